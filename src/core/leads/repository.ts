import type { Database, Statement } from 'better-sqlite3'
import { JSON_COLUMNS, type Lead } from './schema.js'
import { LeadValidationError } from './validate.js'

/** A row that SQLite holds but that is not a lead any more: someone wrote around the CHECKs. */
export class StoredLeadError extends Error {
  constructor (readonly leadId: string, readonly column: string) {
    super(`Stored lead ${JSON.stringify(leadId)} has invalid JSON in ${column}; fix or delete that row`)
    this.name = 'StoredLeadError'
  }
}

type JsonColumn = typeof JSON_COLUMNS[number]
type LeadRow = Omit<Lead, JsonColumn> & Record<JsonColumn, string>

// The one list of columns: the SELECT, the INSERT, its UPDATE SET and the bound parameters all
// derive from it, in this order.
const COLUMNS = [
  'id', 'name', 'lastname', 'business_name', 'status', 'phone', 'email', 'nit', 'address', 'ecosystem',
  'business_entity', 'quota', 'image', 'score', 'apn_token', 'history', 'payment_data', 'additional_data'
] as const satisfies ReadonlyArray<keyof Lead>
const IS_JSON = COLUMNS.map((column) => (JSON_COLUMNS as readonly string[]).includes(column))
const SELECTED = COLUMNS.join(', ')
const UPSERT = `INSERT INTO leads (${SELECTED}) VALUES (${COLUMNS.map(() => '?').join(', ')})
  ON CONFLICT (id) DO UPDATE SET ${COLUMNS.filter((column) => column !== 'id').map((column) => `${column} = excluded.${column}`).join(', ')}`

export interface LeadPage {
  total: number
  leads: Lead[]
}

/**
 * Every SQL statement that touches `leads`, prepared once. Reads come back in `seq` order (the
 * order leads were first written). Every write is one transaction and bumps `generation()`.
 */
export class LeadRepository {
  readonly #db: Database
  readonly #byEcosystem: Statement<[string], LeadRow>
  readonly #byPhone: Statement<[string], LeadRow>
  readonly #page: Statement<[number, number], LeadRow>
  readonly #pageOfEcosystem: Statement<[string, number, number], LeadRow>
  readonly #count: Statement<[], number>
  readonly #countOfEcosystem: Statement<[string], number>
  readonly #upsert: Statement<unknown[]>
  readonly #deleteAll: Statement<[]>
  readonly #deleteEcosystem: Statement<[string]>
  readonly #deleteById: Statement<[string]>
  readonly #dataVersion: Statement<[], number>
  #lastDataVersion: number
  #generation = 0

  constructor (db: Database) {
    this.#db = db
    this.#byEcosystem = db.prepare(`SELECT ${SELECTED} FROM leads WHERE ecosystem = ? ORDER BY seq`)
    this.#byPhone = db.prepare(`SELECT ${SELECTED} FROM leads WHERE phone = ? ORDER BY seq LIMIT 1`)
    this.#page = db.prepare(`SELECT ${SELECTED} FROM leads ORDER BY seq LIMIT ? OFFSET ?`)
    this.#pageOfEcosystem = db.prepare(`SELECT ${SELECTED} FROM leads WHERE ecosystem = ? ORDER BY seq LIMIT ? OFFSET ?`)
    this.#count = db.prepare<[], number>('SELECT count(*) FROM leads').pluck()
    this.#countOfEcosystem = db.prepare<[string], number>('SELECT count(*) FROM leads WHERE ecosystem = ?').pluck()
    // Positional parameters, in COLUMNS order: binding by name is measurably slower on a large seed.
    this.#upsert = db.prepare(UPSERT)
    this.#deleteAll = db.prepare('DELETE FROM leads')
    this.#deleteEcosystem = db.prepare('DELETE FROM leads WHERE ecosystem = ?')
    this.#deleteById = db.prepare('DELETE FROM leads WHERE id = ?')
    // data_version moves when another connection (another process, `leancore-mock seed`) commits.
    this.#dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck()
    this.#lastDataVersion = this.#dataVersion.get() as number
  }

  /**
   * A number that changes whenever the table may have changed, by this process or another one.
   * Anything derived from the table (a cached response body) is valid for one generation.
   */
  generation (): number {
    const version = this.#dataVersion.get() as number
    if (version !== this.#lastDataVersion) {
      this.#lastDataVersion = version
      this.#generation++
    }
    return this.#generation
  }

  byEcosystem (ecosystem: string): Lead[] {
    return this.#byEcosystem.all(ecosystem).map(toLead)
  }

  byPhone (phone: string): Lead | undefined {
    const row = this.#byPhone.get(phone)
    return row === undefined ? undefined : toLead(row)
  }

  page (options: { ecosystem?: string | undefined, limit: number, offset: number }): LeadPage {
    const { ecosystem, limit, offset } = options
    const rows = ecosystem === undefined
      ? this.#page.all(limit, offset)
      : this.#pageOfEcosystem.all(ecosystem, limit, offset)
    const total = ecosystem === undefined ? this.#count.get() : this.#countOfEcosystem.get(ecosystem)
    return { total: total as number, leads: rows.map(toLead) }
  }

  count (): number {
    return this.#count.get() as number
  }

  /** Inserts new leads and replaces existing ones (matched by id), all or nothing. */
  upsert (leads: Iterable<Lead>): number {
    return this.#write(() => this.#upsertAll(leads))
  }

  /** Empties the table and writes `leads`, all or nothing: the reset of a fixture. */
  replaceAll (leads: Iterable<Lead>): number {
    return this.#write(() => {
      this.#deleteAll.run()
      return this.#upsertAll(leads)
    })
  }

  deleteAll (): number {
    return this.#write(() => this.#deleteAll.run().changes)
  }

  deleteEcosystem (ecosystem: string): number {
    return this.#write(() => this.#deleteEcosystem.run(ecosystem).changes)
  }

  deleteById (id: string): boolean {
    return this.#write(() => this.#deleteById.run(id).changes) === 1
  }

  #upsertAll (leads: Iterable<Lead>): number {
    let written = 0
    for (const lead of leads) {
      try {
        this.#upsert.run(COLUMNS.map((column, index) => IS_JSON[index] === true ? JSON.stringify(lead[column]) : lead[column]))
      } catch (error) {
        // Validation runs first, so this is a lead that got past it: still the client's data, a 400.
        const { code, message } = error as { code?: unknown, message: string }
        if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) {
          throw new LeadValidationError(`lead ${written} (id ${JSON.stringify(lead.id)}): the database refused it (${code}: ${message})`)
        }
        throw error
      }
      written++
    }
    return written
  }

  #write (work: () => number): number {
    try {
      return this.#db.transaction(work).immediate()
    } finally {
      // Also after a rollback: a failed write must not leave a stale generation behind.
      this.#generation++
    }
  }
}

function toLead (row: LeadRow): Lead {
  const lead = row as unknown as Lead
  for (const column of JSON_COLUMNS) {
    try {
      lead[column] = JSON.parse(row[column])
    } catch {
      throw new StoredLeadError(row.id, column)
    }
  }
  return lead
}
