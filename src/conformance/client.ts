import { setTimeout as sleep } from 'node:timers/promises'

/** One request as the kit sends it. */
export interface Request {
  method: 'GET' | 'POST'
  url: string
  headers: Record<string, string>
  body?: string
}

/** What a server answered: the status, the headers (lower-case names), the body as text. */
export interface Exchange {
  status: number
  headers: Record<string, string>
  body: string
  /** Set when the body was larger than --max-body (this many bytes): it was not read, and body is '' */
  oversized?: number
}

/** The run's --deadline passed: the cases still to run are not run. */
export class DeadlinePassed extends Error {
  constructor (seconds: number) {
    super(`not run: the run's --deadline (${seconds} s) passed`)
    this.name = 'DeadlinePassed'
  }
}

/** The target did not answer at all: refused, unknown host, timed out. The message names the URL. */
export class TargetUnreachable extends Error {
  constructor (readonly url: string, readonly reason: string) {
    super(`cannot reach ${url}: ${reason}`)
    this.name = 'TargetUnreachable'
  }
}

/** What a production API is asked at most, unless the user says otherwise. */
const DEFAULT_RATE = 2
const ATTEMPTS = 4
/** Past this, a Retry-After is not waited for: the 429 is what the target answered. */
const LONGEST_RETRY_AFTER = 60
const RETRY_WITHOUT_HEADER = 1

export interface ClientOptions {
  /** Requests per second; undefined: the default for the host */
  rate: number | undefined
  timeoutMs: number
  /** The most of a body it reads (--max-body) */
  maxBodyBytes: number
  /** When the whole run must be over (ms since the epoch), and how long that was (--deadline) */
  deadlineAt: number
  deadlineMs: number
  progress: (line: string) => void
}

/**
 * The kit's HTTP client: every request has a timeout, requests to another machine are paced, and
 * a 429 is retried after its Retry-After. It never follows a redirect, so the report shows it.
 */
export class Client {
  #lastStart = Number.NEGATIVE_INFINITY

  constructor (private readonly options: ClientOptions) {}

  async send (request: Request): Promise<Exchange> {
    let exchange = await this.#fetch(request)
    for (let attempt = 1; attempt < ATTEMPTS && exchange.status === 429; attempt++) {
      const wait = retryAfterSeconds(exchange.headers['retry-after'])
      // A wait past the deadline is not waited: the 429 is the answer.
      if (wait > LONGEST_RETRY_AFTER || Date.now() + wait * 1000 >= this.options.deadlineAt) break
      this.options.progress(`429 from ${where(request.url)}: retrying in ${wait} s, as its Retry-After asks`)
      await sleep(wait * 1000)
      exchange = await this.#fetch(request)
    }
    return exchange
  }

  async #pace (url: URL): Promise<void> {
    const rate = this.options.rate ?? (onThisMachine(url.hostname) ? Number.POSITIVE_INFINITY : DEFAULT_RATE)
    const wait = this.#lastStart + 1000 / rate - Date.now()
    if (wait > 0) await sleep(wait)
    this.#lastStart = Date.now()
  }

  async #fetch ({ method, url, headers, body }: Request): Promise<Exchange> {
    await this.#pace(new URL(url))
    const { timeoutMs, deadlineAt, deadlineMs, maxBodyBytes } = this.options
    const left = deadlineAt - Date.now()
    if (left <= 0) throw new DeadlinePassed(deadlineMs / 1000)
    try {
      const response = await fetch(url, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(Math.min(timeoutMs, left)) })
      return { status: response.status, headers: Object.fromEntries(response.headers), ...await readBody(response, maxBodyBytes) }
    } catch (error) {
      const { name, cause } = error as Error
      if (name === 'TimeoutError' && left < timeoutMs) throw new DeadlinePassed(deadlineMs / 1000)
      // undici wraps every network failure in "fetch failed", with what went wrong as its cause. A
      // request it refuses to make has none, and its message may quote a header or the URL's password.
      const reason = name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (cause as Error | undefined)?.message ?? 'the request could not be made: a header or the URL holds what HTTP does not allow'
      throw new TargetUnreachable(where(url), reason)
    }
  }
}

/** The body as text, unless it is larger than `max` bytes: then none of it is kept, and the rest is not read. */
async function readBody (response: Response, max: number): Promise<{ body: string, oversized?: number }> {
  const declared = Number(response.headers.get('content-length') ?? 0)
  if (declared > max) {
    await response.body?.cancel()
    return { body: '', oversized: max }
  }
  const chunks: Uint8Array[] = []
  let read = 0
  for await (const chunk of response.body ?? []) {
    read += (chunk as Uint8Array).byteLength
    if (read > max) {
      await response.body?.cancel().catch(() => {})
      return { body: '', oversized: max }
    }
    chunks.push(chunk as Uint8Array)
  }
  return { body: Buffer.concat(chunks).toString('utf8') }
}

/** The URL without its query: a phone in it is personal data. */
function where (url: string): string {
  const { origin, pathname } = new URL(url)
  return `${origin}${pathname}`
}

function onThisMachine (hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || /^127\./.test(hostname) || hostname === '[::1]'
}

/** Seconds, or an HTTP date (RFC 9110); anything else gets a short pause. */
function retryAfterSeconds (header: string | undefined): number {
  if (header === undefined) return RETRY_WITHOUT_HEADER
  if (/^\d+$/.test(header.trim())) return Number(header)
  const date = Date.parse(header)
  return Number.isNaN(date) ? RETRY_WITHOUT_HEADER : Math.max(0, Math.ceil((date - Date.now()) / 1000))
}
