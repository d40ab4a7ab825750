import type { Config } from './config.js'

export const REDACTED = '[redacted]'
/** What /oauth2/token issues: a prefix that makes them easy to spot (and to scrub), then 256 random bits. */
export const ISSUED_TOKEN_PREFIX = 'lcm_'
const ISSUED_TOKEN = /lcm_[A-Za-z0-9_-]{43}/g
// Shorter secrets would match ordinary words; they still never reach a log through a header,
// because no header is logged.
const MIN_SCRUBBED_LENGTH = 6

/**
 * Replaces every secret this server knows (API and admin tokens, OAuth client secrets, tokens it
 * issued) in text that came from a client, before that text is logged or kept in the journal.
 */
export class Scrubber {
  readonly #secrets: string[]

  constructor (config: Config) {
    const secrets = [...config.tokens, ...config.oauthClients.map((client) => client.secret)]
    if (config.adminToken !== undefined) secrets.push(config.adminToken)
    this.#secrets = secrets.filter((secret) => secret.length >= MIN_SCRUBBED_LENGTH)
  }

  scrub (text: string): string {
    for (const secret of this.#secrets) {
      if (text.includes(secret)) text = text.replaceAll(secret, REDACTED)
    }
    return text.includes(ISSUED_TOKEN_PREFIX) ? text.replace(ISSUED_TOKEN, REDACTED) : text
  }
}
