import { timingSafeEqual } from 'node:crypto'
import { TokenDigest } from './token.js'

/**
 * A fixed set of secrets, checked in constant time: a candidate arrives hashed (so lengths never
 * differ) and is compared with every member, without stopping at a match.
 */
export class TokenSet {
  readonly #members: Buffer[]

  constructor (tokens: readonly string[]) {
    this.#members = tokens.map((token) => TokenDigest.of(token).bytes)
  }

  has (candidate: TokenDigest): boolean {
    let found = false
    for (const member of this.#members) {
      found = timingSafeEqual(member, candidate.bytes) || found
    }
    return found
  }
}
