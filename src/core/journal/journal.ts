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
  scenario: Type.Union([Type.String(), Type.Null()], { description: 'The scenario that answered, if one did' })
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

/**
 * What the request path hands over: cheap to make (no formatting, no hashing), turned into a
 * JournalEntry only when someone reads the journal.
 */
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
}

// What a reader gets is bounded too: long values are cut, extra keys dropped.
const MAX_VALUE = 256
const MAX_KEYS = 20

/**
 * The requests the LeanCore routes received, newest last, in a ring buffer: past its capacity the
 * oldest entries are overwritten, so memory stays flat however long the server runs.
 */
export class Journal {
  readonly #records: Array<(JournalRecord & { seq: number }) | undefined>
  #next = 0
  #seq = 0

  /** `scrub` hides secrets a client put in a query string (Scrubber.scrub). */
  constructor (readonly capacity: number, private readonly scrub: (text: string) => string) {
    // Stryker disable next-line ArrayDeclaration: equivalent, an array grows as entries are written; sizing it up front only saves the growing
    this.#records = new Array(capacity)
  }

  /** How many entries were pushed out by newer ones since the last clear */
  get dropped (): number {
    return Math.max(0, this.#seq - this.capacity)
  }

  record (record: JournalRecord): void {
    if (this.capacity === 0) return
    (record as JournalRecord & { seq: number }).seq = ++this.#seq
    this.#records[this.#next] = record as JournalRecord & { seq: number }
    this.#next = (this.#next + 1) % this.capacity
  }

  list (filter: JournalFilter = {}): JournalEntry[] {
    const matches: JournalEntry[] = []
    const wanted = filter.token === undefined ? undefined : fingerprintOf(filter.token)
    for (let i = 0; i < this.capacity; i++) {
      const record = this.#records[(this.#next + i) % this.capacity]
      if (record === undefined) continue
      const token = record.token?.fingerprint ?? null
      if (filter.path !== undefined && record.path !== filter.path) continue
      if (filter.status !== undefined && record.status !== filter.status) continue
      if (wanted !== undefined && token !== wanted) continue
      matches.push({
        seq: record.seq,
        time: new Date(record.at).toISOString(),
        method: record.method,
        path: record.path,
        query: this.#query(record.query),
        status: record.status,
        durationMs: Math.round(record.durationMs * 100) / 100,
        token,
        client: record.client === undefined ? null : this.scrub(record.client).slice(0, MAX_VALUE),
        scenario: record.scenario ?? null
      })
    }
    // Stryker disable next-line ConditionalExpression: equivalent, slice(-undefined) is slice(0), every entry
    return filter.limit === undefined ? matches : matches.slice(-filter.limit)
  }

  clear (): void {
    this.#records.fill(undefined)
    this.#next = 0
    this.#seq = 0
  }

  #query (query: Record<string, unknown>): JournalEntry['query'] {
    const shown: JournalEntry['query'] = {}
    // Scrubbed before it is cut: a cut first could leave the start of a secret behind.
    const text = (value: unknown): string => this.scrub(String(value)).slice(0, MAX_VALUE)
    for (const [key, value] of Object.entries(query).slice(0, MAX_KEYS)) {
      shown[text(key)] = Array.isArray(value) ? value.slice(0, MAX_KEYS).map(text) : text(value)
    }
    return shown
  }
}
