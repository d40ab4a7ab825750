import { createHash, randomBytes } from 'node:crypto'

/**
 * A bearer token as the fixture knows it: its SHA-256 digest, computed once per request. The token
 * itself is never kept; `fingerprint` is how the journal and the admin API name it.
 */
export class TokenDigest {
  #hex: string | undefined

  private constructor (readonly bytes: Buffer) {}

  /** The digest in hex, for maps; made when first asked for (a configured token never needs it) */
  get hex (): string {
    this.#hex ??= this.bytes.toString('hex')
    return this.#hex
  }

  static of (token: string): TokenDigest {
    return new TokenDigest(createHash('sha256').update(token).digest())
  }

  /** sha256: and 12 hex digits: enough to tell tokens apart, useless for guessing one */
  get fingerprint (): string {
    return `sha256:${this.hex.slice(0, 12)}`
  }
}

/** What this server hands out (issued tokens, sandbox tokens and client secrets): a prefix that makes them easy to spot, and to scrub, then 256 random bits. */
export const SECRET_PREFIX = 'lcm_'

export function newSecret (): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`
}

/** A token's fingerprint, given the token itself or already a fingerprint (sha256:…). */
export function fingerprintOf (tokenOrFingerprint: string): string {
  return tokenOrFingerprint.startsWith('sha256:') ? tokenOrFingerprint : TokenDigest.of(tokenOrFingerprint).fingerprint
}
