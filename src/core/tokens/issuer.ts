import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { OAuthClient } from '../config.js'
import { FixtureError } from '../errors.js'
import { newSecret, TokenDigest } from './token.js'

export interface IssuedToken {
  access_token: string
  token_type: 'Bearer'
  expires_in: number
}

/** MAX_TOKENS_PER_CLIENT reached: the client must wait for one of its tokens to expire. */
export class TokenLimitReached extends FixtureError {
  constructor (message: string, readonly retryAfterSeconds: number) {
    super(429, message)
    this.name = 'TokenLimitReached'
  }
}

export interface LiveToken {
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
  readonly #decoy = TokenDigest.of(randomBytes(32).toString('hex')).bytes
  /** sha256 hex of a token -> when it expires (ms since the epoch). Every token lives as long, so the oldest come first. */
  readonly #live = new Map<string, LiveToken>()
  /** How many live tokens each client holds */
  readonly #perClient = new Map<string | undefined, number>()

  /** `otherClients` finds the secret digest of a client created at run time (a sandbox's). */
  constructor (
    clients: readonly OAuthClient[],
    readonly ttlSeconds: number,
    readonly maxPerClient: number,
    readonly now: () => number,
    readonly otherClients: (clientId: string) => Buffer | undefined = () => undefined
  ) {
    this.#clients = new Map(clients.map((client) => [client.id, TokenDigest.of(client.secret).bytes]))
  }

  authenticate (clientId: string, secret: string): boolean {
    const expected = this.#clients.get(clientId) ?? this.otherClients(clientId)
    const match = timingSafeEqual(expected ?? this.#decoy, TokenDigest.of(secret).bytes)
    // Stryker disable next-line ConditionalExpression: equivalent, the decoy is a random digest that no secret hashes to
    return expected !== undefined && match
  }

  /**
   * A new token for `client`; throws TokenLimitReached when it holds maxPerClient live ones
   * already: a client never pushes out another's tokens, nor its own that are still in use.
   */
  issue (client?: string): IssuedToken {
    const now = this.now()
    for (const [hash, token] of this.#live) {
      if (token.expiresAt > now) break
      this.#live.delete(hash)
      this.#perClient.set(token.client, (this.#perClient.get(token.client) as number) - 1)
    }
    const held = this.#perClient.get(client) ?? 0
    if (held >= this.maxPerClient) {
      const oldest = [...this.#live.values()].find((token) => token.client === client) as LiveToken
      const who = client === undefined ? 'issueToken()' : `client ${client}`
      throw new TokenLimitReached(
        `${who} already holds MAX_TOKENS_PER_CLIENT (${this.maxPerClient}) live tokens; use one of them, or ask again when the oldest expires`,
        Math.max(1, Math.ceil((oldest.expiresAt - now) / 1000))
      )
    }
    const token = newSecret()
    this.#live.set(TokenDigest.of(token).hex, { expiresAt: now + this.ttlSeconds * 1000, client })
    this.#perClient.set(client, held + 1)
    return { access_token: token, token_type: 'Bearer', expires_in: this.ttlSeconds }
  }

  /** The token as issued here, when it was and has not expired */
  issued (candidate: TokenDigest): LiveToken | undefined {
    const token = this.#live.get(candidate.hex)
    return token !== undefined && token.expiresAt > this.now() ? token : undefined
  }

  /** Whether this token was issued here and has expired (until it is swept, a little later) */
  expired (candidate: TokenDigest): boolean {
    const token = this.#live.get(candidate.hex)
    return token !== undefined && token.expiresAt <= this.now()
  }

  /** Forgets every token of a client that is going away (a deleted sandbox's). */
  revoke (client: string): void {
    for (const [hash, token] of this.#live) {
      if (token.client === client) this.#live.delete(hash)
    }
    this.#perClient.delete(client)
  }
}
