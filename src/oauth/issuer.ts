import { randomBytes, timingSafeEqual } from 'node:crypto'
import { digest } from '../auth/token-set.js'
import type { OAuthClient } from '../config.js'
import { ISSUED_TOKEN_PREFIX } from '../secrets.js'

// Enough for any test suite; past it the oldest tokens go first, so memory stays bounded.
const MAX_LIVE_TOKENS = 10_000

export interface IssuedToken {
  access_token: string
  token_type: 'Bearer'
  expires_in: number
}

/**
 * LeanCore's client-credentials flow: checks client secrets in constant time, issues random
 * bearer tokens and remembers them (by hash) until they expire.
 */
export class TokenIssuer {
  readonly #clients: Map<string, Buffer>
  // An unknown client id is checked against this, so that it takes as long as a known one.
  readonly #decoy = digest(randomBytes(32).toString('hex'))
  /** sha256 hex of a token -> when it expires (ms since the epoch) */
  readonly #live = new Map<string, number>()

  constructor (clients: readonly OAuthClient[], readonly ttlSeconds: number, readonly now: () => number) {
    this.#clients = new Map(clients.map((client) => [client.id, digest(client.secret)]))
  }

  get liveTokens (): number {
    return this.#live.size
  }

  authenticate (clientId: string, secret: string): boolean {
    const expected = this.#clients.get(clientId)
    const match = timingSafeEqual(expected ?? this.#decoy, digest(secret))
    return expected !== undefined && match
  }

  issue (): IssuedToken {
    const now = this.now()
    for (const [hash, expiresAt] of this.#live) {
      if (expiresAt > now && this.#live.size < MAX_LIVE_TOKENS) break
      this.#live.delete(hash)
    }
    const token = `${ISSUED_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`
    this.#live.set(digest(token).toString('hex'), now + this.ttlSeconds * 1000)
    return { access_token: token, token_type: 'Bearer', expires_in: this.ttlSeconds }
  }

  /** Whether a token with this sha256 was issued here and has not expired. */
  accepts (tokenDigest: Buffer): boolean {
    const expiresAt = this.#live.get(tokenDigest.toString('hex'))
    return expiresAt !== undefined && expiresAt > this.now()
  }
}
