import { randomBytes, timingSafeEqual } from 'node:crypto'
import { digest } from '../auth/token-set.js'
import type { OAuthClient } from '../config.js'
import { ISSUED_TOKEN_PREFIX } from '../secrets.js'

export interface IssuedToken {
  access_token: string
  token_type: 'Bearer'
  expires_in: number
}

/** MAX_TOKENS_PER_CLIENT reached: the client must wait for one of its tokens to expire. */
export class TokenLimitReached {
  constructor (readonly message: string, readonly retryAfterSeconds: number) {}
}

interface LiveToken {
  expiresAt: number
  /** The client it was issued to; undefined for issueToken() */
  client: string | undefined
}

/**
 * LeanCore's client-credentials flow: checks client secrets in constant time, issues random
 * bearer tokens and remembers them (by hash) until they expire.
 */
export class TokenIssuer {
  readonly #clients: Map<string, Buffer>
  // An unknown client id is checked against this, so that it takes as long as a known one.
  readonly #decoy = digest(randomBytes(32).toString('hex'))
  /** sha256 hex of a token -> when it expires (ms since the epoch). Every token lives as long, so the oldest come first. */
  readonly #live = new Map<string, LiveToken>()
  /** How many live tokens each client holds */
  readonly #perClient = new Map<string | undefined, number>()

  constructor (
    clients: readonly OAuthClient[],
    readonly ttlSeconds: number,
    readonly maxPerClient: number,
    readonly now: () => number
  ) {
    this.#clients = new Map(clients.map((client) => [client.id, digest(client.secret)]))
  }

  authenticate (clientId: string, secret: string): boolean {
    const expected = this.#clients.get(clientId)
    const match = timingSafeEqual(expected ?? this.#decoy, digest(secret))
    return expected !== undefined && match
  }

  /**
   * A new token for `client`, or TokenLimitReached when it holds maxPerClient live ones already:
   * a client never pushes out another's tokens, nor its own that are still in use.
   */
  issue (client?: string): IssuedToken | TokenLimitReached {
    const now = this.now()
    for (const [hash, token] of this.#live) {
      if (token.expiresAt > now) break
      this.#live.delete(hash)
      this.#perClient.set(token.client, (this.#perClient.get(token.client) ?? 1) - 1)
    }
    const held = this.#perClient.get(client) ?? 0
    if (held >= this.maxPerClient) {
      const oldest = [...this.#live.values()].find((token) => token.client === client) as LiveToken
      const who = client === undefined ? 'issueToken()' : `client ${client}`
      return new TokenLimitReached(
        `${who} already holds MAX_TOKENS_PER_CLIENT (${this.maxPerClient}) live tokens; use one of them, or ask again when the oldest expires`,
        Math.max(1, Math.ceil((oldest.expiresAt - now) / 1000))
      )
    }
    const token = `${ISSUED_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`
    this.#live.set(digest(token).toString('hex'), { expiresAt: now + this.ttlSeconds * 1000, client })
    this.#perClient.set(client, held + 1)
    return { access_token: token, token_type: 'Bearer', expires_in: this.ttlSeconds }
  }

  /** Whether a token with this sha256 was issued here and has not expired. */
  accepts (tokenDigest: Buffer): boolean {
    const token = this.#live.get(tokenDigest.toString('hex'))
    return token !== undefined && token.expiresAt > this.now()
  }
}
