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
    // How a secret may look once a client's text is read: form-decoded, a '+' is a space; in a
    // JSON log line, a quote or a backslash is escaped.
    const readAs = (secret: string): string[] => [secret, secret.replaceAll('+', ' ')].flatMap((form) => [form, JSON.stringify(form).slice(1, -1)])
    this.#secrets = [...new Set(secrets.flatMap(readAs))].filter((secret) => secret.length >= MIN_SCRUBBED_LENGTH)
  }

  scrub (text: string): string {
    for (const secret of this.#secrets) {
      if (text.includes(secret)) text = text.replaceAll(secret, REDACTED)
    }
    return text.includes(ISSUED_TOKEN_PREFIX) ? text.replace(ISSUED_TOKEN, REDACTED) : text
  }

  /**
   * scrub() for text a client wrote (a path, a query value), which may hold a secret
   * percent-encoded, once or twice over: when decoding reveals one, the decoded text is shown,
   * scrubbed. Otherwise the text is shown as it came.
   */
  scrubClientText (text: string): string {
    const scrubbed = this.scrub(text)
    if (!text.includes('%')) return scrubbed
    const decoded = this.scrub(percentDecoded(text))
    return decoded.includes(REDACTED) && !scrubbed.includes(REDACTED) ? decoded : scrubbed
  }
}

/** Percent-decoding undone up to three times over, run by run, so that one broken escape does not hide the rest. */
function percentDecoded (text: string): string {
  for (let round = 0; round < 3 && text.includes('%'); round++) {
    text = text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run)
      } catch {
        return run.replace(/%([0-7][0-9A-Fa-f])/g, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      }
    })
  }
  return text
}
