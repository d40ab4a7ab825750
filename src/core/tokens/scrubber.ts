import type { Config } from '../config.js'
import { SECRET_PREFIX } from './token.js'

const REDACTED = '[redacted]'
// Shorter secrets would match ordinary words; they still never reach a log through a header,
// because no header is logged.
const MIN_SCRUBBED_LENGTH = 6

// A byte percent-encoded, with the '%' itself encoded again any number of times (%61, %2561, ...).
const encodedByte = (byte: number): string => {
  const hex = byte.toString(16).padStart(2, '0')
  return `%(?:25)*${[...hex].map((digit) => /[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit).join('')}`
}

/**
 * One character of a secret, however a client's text may carry it: as itself, percent-encoded
 * (once or more), a '+' read as a space by form decoding, a quote or backslash escaped in a JSON
 * log line.
 */
function characterPattern (character: string): string {
  const forms = [character.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')]
  forms.push([...Buffer.from(character, 'utf8')].map(encodedByte).join(''))
  if (character === '+') forms.push(' ', encodedByte(0x20))
  const escaped = JSON.stringify(character).slice(1, -1)
  if (escaped !== character) forms.push(escaped.replace(/\\/g, '\\\\'))
  return `(?:${forms.join('|')})`
}

// A secret this server handed out, any of its characters possibly encoded: its prefix, then 43 base64url characters.
const ISSUED_TOKEN = new RegExp(`${[...SECRET_PREFIX].map(characterPattern).join('')}(?:[A-Za-z0-9_-]|%(?:25)*[0-9A-Fa-f]{2}){43}`, 'g')

// Every server of a test suite has the same secrets: each pattern is built once per process.
const encodedPatterns = new Map<string, RegExp>()

function encodedPattern (secret: string): RegExp {
  let pattern = encodedPatterns.get(secret)
  if (pattern === undefined) {
    pattern = new RegExp([...secret].map(characterPattern).join(''), 'g')
    encodedPatterns.set(secret, pattern)
  }
  return pattern
}

/**
 * Replaces every secret this server knows (API and admin tokens, OAuth client secrets, the tokens
 * and client secrets it handed out) in text that came from a client, before that text is logged or kept in the journal:
 * whole, and in every form a client can give it that a reader could turn back into the secret.
 */
export class Scrubber {
  /** The forms a secret most often takes, found with includes(): the fast path */
  readonly #plain: string[] = []
  /** Every form, character by character: for text with a '%' in it */
  readonly #encoded: RegExp[] = []

  /** The secrets of a server's configuration: its API and admin tokens, its OAuth clients' secrets. */
  constructor (config: Pick<Config, 'tokens' | 'oauthClients' | 'adminToken'>) {
    const secrets = [...config.tokens, ...config.oauthClients.map((client) => client.secret)]
    if (config.adminToken !== undefined) secrets.push(config.adminToken)
    for (const secret of secrets) this.add(secret)
  }

  /** One more secret to scrub (a token a target issued, a Basic credential); one shorter than 6 characters is not. */
  add (secret: string): void {
    if (secret.length < MIN_SCRUBBED_LENGTH || this.#plain.includes(secret)) return
    const readAs = [secret, secret.replaceAll('+', ' ')].flatMap((form) => [form, JSON.stringify(form).slice(1, -1)])
    for (const form of readAs) if (!this.#plain.includes(form)) this.#plain.push(form)
    this.#encoded.push(encodedPattern(secret))
  }

  scrub (text: string): string {
    for (const secret of this.#plain) {
      if (text.includes(secret)) text = text.replaceAll(secret, REDACTED)
    }
    if (text.includes('%')) {
      for (const secret of this.#encoded) text = text.replace(secret, REDACTED)
      return text.replace(ISSUED_TOKEN, REDACTED)
    }
    return text.includes(SECRET_PREFIX) ? text.replace(ISSUED_TOKEN, REDACTED) : text
  }
}
