import { createHash, timingSafeEqual } from 'node:crypto'

export function digest (token: string): Buffer {
  return createHash('sha256').update(token).digest()
}

/** How the journal and the scenario list name a token: a short hash, never the token itself. */
export function fingerprint (token: string | Buffer): string {
  const hash = typeof token === 'string' ? digest(token) : token
  return `sha256:${hash.toString('hex', 0, 6)}`
}

/**
 * A fixed set of secrets, checked in constant time: the candidate is hashed (so lengths never
 * differ) and compared with every member, without stopping at a match.
 */
export class TokenSet {
  readonly #digests: Buffer[]

  constructor (tokens: readonly string[]) {
    this.#digests = tokens.map(digest)
  }

  has (candidate: string): boolean {
    return this.hasDigest(digest(candidate))
  }

  /** The same check for a candidate already hashed with digest() */
  hasDigest (probe: Buffer): boolean {
    let found = false
    for (const member of this.#digests) {
      found = timingSafeEqual(member, probe) || found
    }
    return found
  }
}
