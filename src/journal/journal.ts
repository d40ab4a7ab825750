import { Type, type Static } from '@sinclair/typebox'

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
  /** A token fingerprint (sha256:…) */
  token?: string | undefined
  /** Only the newest `limit` matching entries */
  limit?: number | undefined
}

// An entry's size is bounded as well as their number: long values are cut, extra keys dropped.
const MAX_VALUE = 256
const MAX_KEYS = 20

/**
 * The requests the LeanCore routes received, newest last, in a ring buffer: past its capacity the
 * oldest entries are overwritten, so memory stays flat however long the server runs.
 */
export class Journal {
  readonly #entries: Array<JournalEntry | undefined>
  #next = 0
  #seq = 0

  constructor (readonly capacity: number) {
    this.#entries = new Array(capacity)
  }

  /** How many entries were pushed out by newer ones since the last clear */
  get dropped (): number {
    return Math.max(0, this.#seq - this.capacity)
  }

  record (entry: Omit<JournalEntry, 'seq'>): void {
    if (this.capacity === 0) return
    this.#entries[this.#next] = {
      ...entry,
      seq: ++this.#seq,
      path: entry.path.slice(0, MAX_VALUE),
      query: boundedQuery(entry.query)
    }
    this.#next = (this.#next + 1) % this.capacity
  }

  list (filter: JournalFilter = {}): JournalEntry[] {
    const matches: JournalEntry[] = []
    for (let i = 0; i < this.capacity; i++) {
      const entry = this.#entries[(this.#next + i) % this.capacity]
      if (entry === undefined) continue
      if (filter.path !== undefined && entry.path !== filter.path) continue
      if (filter.status !== undefined && entry.status !== filter.status) continue
      if (filter.token !== undefined && entry.token !== filter.token) continue
      matches.push(entry)
    }
    return filter.limit === undefined ? matches : matches.slice(-filter.limit)
  }

  clear (): void {
    this.#entries.fill(undefined)
    this.#next = 0
    this.#seq = 0
  }
}

function boundedQuery (query: JournalEntry['query']): JournalEntry['query'] {
  const bounded: JournalEntry['query'] = {}
  for (const [key, value] of Object.entries(query).slice(0, MAX_KEYS)) {
    bounded[key.slice(0, MAX_VALUE)] = Array.isArray(value)
      ? value.slice(0, MAX_KEYS).map((item) => String(item).slice(0, MAX_VALUE))
      : String(value).slice(0, MAX_VALUE)
  }
  return bounded
}
