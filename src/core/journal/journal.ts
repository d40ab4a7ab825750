import { Type, type Static } from '@sinclair/typebox'
import { fingerprintOf, type TokenDigest } from '../tokens/token.js'

export const JournalEntry = Type.Object({
  seq: Type.Integer({ description: 'Position in the journal since the server started (or was reset)' }),
  time: Type.String({ format: 'date-time' }),
  method: Type.String(),
  path: Type.String(),
  query: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])),
  status: Type.Union([Type.Integer(), Type.Null()], { description: 'null when a scenario dropped the connection' }),
  durationMs: Type.Number(),
  token: Type.Union([Type.String(), Type.Null()], { description: "Fingerprint of the request's bearer token (sha256:…), never the token" }),
  client: Type.Union([Type.String(), Type.Null()], { description: 'OAuth client id, on /oauth2/token' }),
  scenario: Type.Union([Type.String(), Type.Null()], { description: 'The scenario that answered, if one did' }),
  headers: Type.Record(Type.String(), Type.String(), {
    description: 'The request headers (the first 20), each cut to 256 characters; Authorization as its scheme and the token\'s fingerprint, cookies and keys as [redacted]'
  }),
  body: Type.Union([Type.String(), Type.Null()], { description: 'The request body as received, cut to 2,048 characters, secrets [redacted]; null when there was none' }),
  reason: Type.Union([Type.String(), Type.Null()], {
    description: 'Why the request failed: the message of its error answer, or for a refused bearer token which way it was wrong ' +
      '(no header, another scheme, expired, unknown); null for a success'
  })
}, { $id: 'JournalEntry', additionalProperties: false })
export type JournalEntry = Static<typeof JournalEntry>

export interface JournalFilter {
  path?: string | undefined
  status?: number | undefined
  /** The token itself, or its fingerprint (sha256:…) */
  token?: string | undefined
  /** Only the newest `limit` matching entries */
  limit?: number | undefined
}

/** What the request path hands over; the journal cuts and scrubs it before it keeps anything. */
export interface JournalRecord {
  /** When the request arrived, ms since the epoch */
  at: number
  method: string
  path: string
  /** The query as Fastify parsed it */
  query: Record<string, unknown>
  status: number | null
  durationMs: number
  token: TokenDigest | undefined
  client: string | undefined
  scenario: string | undefined
  /** Node's rawHeaders: name, value, name, value… */
  headers?: readonly string[] | undefined
  /** The body as received, if it had one */
  body?: string | undefined
  /** The message of an error answer */
  reason?: string | undefined
}

// What an entry keeps at most: every piece is cut before it is stored.
const MAX_VALUE = 256
const MAX_KEYS = 20
const MAX_BODY = 2048
const MAX_REASON = 512
// What an entry costs beyond its text (the object, its slots, the numbers): counted with the text.
const ENTRY_OVERHEAD = 400
/**
 * The HTTP authentication schemes in IANA's registry (and two common ones): names that are safe to
 * repeat. Whatever else stands first in an Authorization header may be a token sent without its scheme.
 */
const AUTH_SCHEMES = new Set(['bearer', 'basic', 'digest', 'negotiate', 'ntlm', 'hoba', 'mutual', 'oauth', 'dpop', 'privatetoken',
  'scram-sha-1', 'scram-sha-256', 'vapid', 'concealed', 'token', 'apikey'])

/** The scheme an Authorization header starts with, as written, when it is a known one; undefined when what stands first may be a token. */
export function authScheme (header: string): string | undefined {
  const first = header.trim().split(/\s+/, 1)[0] as string
  return AUTH_SCHEMES.has(first.toLowerCase()) ? first : undefined
}
// Header values that are secrets as a whole: never kept, whatever they hold.
const SECRET_HEADERS = new Set(['cookie', 'set-cookie', 'proxy-authorization', 'x-api-key', 'api-key', 'x-auth-token'])

type Stored = Omit<JournalEntry, 'time' | 'token'> & { at: number, token: string | null, bytes: number }

/**
 * What all the journals of a server share: a byte budget overall (JOURNAL_TOTAL_BYTES). When it is
 * passed, the journal that holds the most gives up its oldest entries first, so that one busy space
 * cannot empty the others'.
 */
export class JournalBudget {
  bytes = 0
  readonly journals = new Set<Journal>()
  /** Who is told of every entry as it is kept, in any journal (the live stream of the admin API) */
  readonly watchers = new Set<(entry: WatchedEntry) => void>()

  constructor (readonly maxBytes: number) {}

  /** Drops the oldest entries of the largest journals until the total fits. */
  settle (): void {
    while (this.bytes > this.maxBytes) {
      let largest: Journal | undefined
      for (const journal of this.journals) if (largest === undefined || journal.bytes > largest.bytes) largest = journal
      ;(largest as Journal).dropOldest()
    }
  }
}

/** An entry as the live stream shows it: which sandbox's journal kept it (null: the shared data's) */
export type WatchedEntry = JournalEntry & { sandbox: string | null }

export interface JournalLimits {
  /** Entries kept (JOURNAL_SIZE); 0 turns the journal off */
  capacity: number
  /** Bytes kept (JOURNAL_BYTES) */
  maxBytes: number
}

/**
 * The requests the LeanCore routes received, oldest first. Each entry is stored already cut and
 * scrubbed of secrets, with what it costs in bytes; past JOURNAL_SIZE entries or JOURNAL_BYTES bytes
 * (or the overall budget) the oldest go first, so memory stays bounded however long the server runs
 * and whatever its clients send.
 */
export class Journal {
  readonly capacity: number
  readonly #maxBytes: number
  #entries: Stored[] = []
  #head = 0
  #seq = 0
  #dropped = 0
  #bytes = 0

  /** `scrub` hides secrets a client put in a query string, a header or a body (Scrubber.scrub). */
  /** `sandbox` names the sandbox whose journal this is, for the watchers (null for the shared data). */
  constructor (limits: JournalLimits, private readonly scrub: (text: string) => string, private readonly budget = new JournalBudget(Number.POSITIVE_INFINITY), readonly sandbox: string | null = null) {
    this.capacity = limits.capacity
    this.#maxBytes = limits.maxBytes
    budget.journals.add(this)
  }

  /** How many entries were pushed out by newer ones since the last clear */
  get dropped (): number {
    return this.#dropped
  }

  /** What the entries it holds cost, in bytes (their text as UTF-16, and each entry's overhead) */
  get bytes (): number {
    return this.#bytes
  }

  get size (): number {
    return this.#entries.length - this.#head
  }

  record (record: JournalRecord): void {
    if (this.capacity === 0) return
    const entry = this.#cut(record)
    if (entry.bytes > this.#maxBytes) return
    while (this.size >= this.capacity || this.#bytes + entry.bytes > this.#maxBytes) this.dropOldest()
    this.#entries.push(entry)
    this.#bytes += entry.bytes
    this.budget.bytes += entry.bytes
    this.budget.settle()
    if (this.budget.watchers.size === 0) return
    const watched = { ...shown(entry), sandbox: this.sandbox }
    for (const watcher of this.budget.watchers) watcher(watched)
  }

  /** Gives up the oldest entry (no-op when empty). */
  dropOldest (): void {
    const oldest = this.#entries[this.#head]
    if (oldest === undefined) return
    this.#entries[this.#head++] = undefined as unknown as Stored
    this.#bytes -= oldest.bytes
    this.budget.bytes -= oldest.bytes
    this.#dropped++
    // Now and then, give the array's dropped slots back.
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head)
      this.#head = 0
    }
  }

  list (filter: JournalFilter = {}): JournalEntry[] {
    const matches: JournalEntry[] = []
    const wanted = filter.token === undefined ? undefined : fingerprintOf(filter.token)
    for (let i = this.#head; i < this.#entries.length; i++) {
      const entry = this.#entries[i] as Stored
      if (filter.path !== undefined && entry.path !== filter.path) continue
      if (filter.status !== undefined && entry.status !== filter.status) continue
      if (wanted !== undefined && entry.token !== wanted) continue
      matches.push(shown(entry))
    }
    // Stryker disable next-line ConditionalExpression: equivalent, slice(-undefined) is slice(0), every entry
    return filter.limit === undefined ? matches : matches.slice(-filter.limit)
  }

  clear (): void {
    this.budget.bytes -= this.#bytes
    this.#entries = []
    this.#head = 0
    this.#seq = 0
    this.#dropped = 0
    this.#bytes = 0
  }

  /** No longer counted in the overall budget: the space is going away. */
  release (): void {
    this.clear()
    this.budget.journals.delete(this)
  }

  /** The entry as it is kept: every text scrubbed, then cut (a cut first could leave a secret's start behind). */
  #cut (record: JournalRecord): Stored {
    let chars = 0
    const text = (value: unknown, max = MAX_VALUE): string => {
      const shown = this.scrub(String(value)).slice(0, max)
      chars += shown.length
      return shown
    }
    const query: JournalEntry['query'] = {}
    // The first keys only, without a copy of them all: a URL may carry thousands.
    let keys = 0
    for (const key in record.query) {
      if (keys++ === MAX_KEYS) break
      const value = record.query[key]
      query[text(key)] = Array.isArray(value) ? value.slice(0, MAX_KEYS).map((item) => text(item)) : text(value)
    }
    const headers: Record<string, string> = {}
    const raw = record.headers ?? []
    for (let i = 0; i + 1 < raw.length && i < MAX_KEYS * 2; i += 2) {
      const name = text((raw[i] as string).toLowerCase(), 64)
      const value = this.#headerValue(name, raw[i + 1] as string, record.token, text)
      headers[name] = name in headers ? `${headers[name] as string}, ${value}` : value
    }
    const token = record.token?.fingerprint ?? null
    const entry = {
      seq: ++this.#seq,
      at: record.at,
      method: record.method,
      path: record.path,
      query,
      status: record.status,
      durationMs: Math.round(record.durationMs * 100) / 100,
      token,
      client: record.client === undefined ? null : text(record.client),
      scenario: record.scenario ?? null,
      headers,
      body: record.body === undefined || record.body === '' ? null : text(record.body, MAX_BODY),
      reason: record.reason === undefined ? null : text(record.reason, MAX_REASON),
      bytes: 0
    }
    entry.bytes = ENTRY_OVERHEAD + 2 * (chars + entry.method.length + entry.path.length + (token?.length ?? 0) + (entry.scenario?.length ?? 0))
    return entry
  }

  #headerValue (name: string, value: string, token: TokenDigest | undefined, text: (value: unknown) => string): string {
    if (SECRET_HEADERS.has(name)) return text('[redacted]')
    if (name !== 'authorization') return text(value)
    // The scheme, and for a bearer token its fingerprint: what a reader needs to tell tokens apart.
    const scheme = authScheme(value)
    if (scheme === undefined) return text('[redacted]')
    return text(scheme.toLowerCase() === 'bearer' && token !== undefined ? `${scheme} ${token.fingerprint}` : `${scheme} [redacted]`)
  }
}

/** A kept entry as readers see it: its time as an ISO string, without what it costs. */
function shown ({ seq, at, bytes: _bytes, ...entry }: Stored): JournalEntry {
  return { seq, time: new Date(at).toISOString(), ...entry }
}
