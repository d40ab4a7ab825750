import type { Database, Statement } from 'better-sqlite3'
import { FixtureError } from '../errors.js'
import { JSON_COLUMNS, type Lead, type LeadExtra } from './schema.js'
import { LeadValidationError } from './validate.js'

/** A row that SQLite holds but that is not a lead any more: someone wrote around the CHECKs. */
export class StoredLeadError extends Error {
  constructor (readonly leadId: string, readonly column: string) {
    super(`Stored lead ${JSON.stringify(leadId)} has invalid JSON in ${column}; fix or delete that row`)
    this.name = 'StoredLeadError'
  }
}

type JsonColumn = typeof JSON_COLUMNS[number]
export type LeadRow = Omit<Lead, JsonColumn> & Record<JsonColumn, string>

// The one list of columns: the SELECT, the INSERT, its UPDATE SET and the bound parameters all
// derive from it, in this order.
export const COLUMNS = [
  'id', 'name', 'lastname', 'business_name', 'status', 'phone', 'email', 'nit', 'address', 'ecosystem',
  'business_entity', 'quota', 'image', 'score', 'apn_token', 'history', 'payment_data', 'additional_data'
] as const satisfies ReadonlyArray<keyof Lead>
const IS_JSON = COLUMNS.map((column) => (JSON_COLUMNS as readonly string[]).includes(column))
export const SELECTED = COLUMNS.join(', ')
// Stryker disable next-line MethodExpression,StringLiteral,ConditionalExpression: equivalent, on a conflict the id is the same, so setting it again changes nothing
const UPDATED = COLUMNS.filter((column) => column !== 'id')
const UPSERT = `INSERT INTO leads (sandbox, ${SELECTED}) VALUES (?, ${COLUMNS.map(() => '?').join(', ')})
  ON CONFLICT (sandbox, id) DO UPDATE SET ${UPDATED.map((column) => `${column} = excluded.${column}`).join(', ')}, extra = '{}', financial_entity = NULL`
const INSERT = `INSERT INTO leads (sandbox, ${SELECTED}, extra) VALUES (?, ${COLUMNS.map(() => '?').join(', ')}, ?)`
// update-lead's columns. Those without an index apart from the two with one (nit, phone): SQLite
// rewrites every index a SET names, whether its value changed or not, and most updates change
// neither, so they are set only when they change.
const DETAILS = ['name', 'lastname', 'business_name', 'status', 'email', 'address', 'business_entity', 'image', 'score', 'history', 'additional_data'] as const satisfies ReadonlyArray<keyof Lead>
const KEYS = ['nit', 'phone'] as const satisfies ReadonlyArray<keyof Lead>
const UPDATE_DETAILS = `UPDATE leads SET ${DETAILS.map((column) => `${column} = ?`).join(', ')} WHERE sandbox = ? AND id = ?`
const UPDATE_EXTRA = 'UPDATE leads SET extra = ? WHERE sandbox = ? AND id = ?'
const UPDATE_KEYS = `UPDATE leads SET ${KEYS.map((column) => `${column} = ?`).join(', ')} WHERE sandbox = ? AND id = ?`

export interface EcosystemCount {
  ecosystem: string
  leads: number
}

/** A search of the leads of a sandbox (and one ecosystem, when it is not null) */
const SEARCH = "sandbox = :sandbox AND (:ecosystem IS NULL OR ecosystem = :ecosystem) AND (id LIKE :like ESCAPE '\\' OR " +
  "(name || ' ' || lastname) LIKE :like ESCAPE '\\' OR nit LIKE :like ESCAPE '\\' OR phone LIKE :like ESCAPE '\\' OR email LIKE :like ESCAPE '\\')"

/** The orders a page of leads can come in: a column, descending with a minus; stored order breaks ties */
export const ORDERS = {
  seq: 'seq',
  name: 'name, lastname, seq',
  '-name': 'name DESC, lastname DESC, seq',
  status: 'status, seq',
  '-status': 'status DESC, seq',
  quota: 'quota, seq',
  '-quota': 'quota DESC, seq'
} as const
export type LeadOrder = keyof typeof ORDERS

type SearchStatement = Statement<{ sandbox: number, ecosystem: string | null, like: string, limit: number, offset: number }, LeadRow>

export interface LeadPage {
  total: number
  leads: Lead[]
}

/** What one space holds, as the triggers of migration 0004 count it */
/** How many records of each kind a space holds */
export interface RecordCounts { leads: number, financialEntities: number, users: number }

/** What a space holds, as its limits count it: every record (leads, fintechs, users), and their bytes */
export interface SpaceUsage {
  leads: number
  /** The UTF-8 bytes of its leads' text, and 16 per lead for its numbers */
  bytes: number
}

/** MAX_LEADS_PER_SANDBOX and MAX_SANDBOX_BYTES */
export interface SpaceLimits {
  maxLeads: number
  maxBytes: number
}

const NO_LIMITS: SpaceLimits = { maxLeads: Number.POSITIVE_INFINITY, maxBytes: Number.POSITIVE_INFINITY }

/**
 * Every SQL statement that touches `leads`, prepared once. Each call works within one sandbox (0 is
 * the shared data). Reads come back in `seq` order (the order leads were first written). Every write
 * is one transaction and moves that sandbox's `generation()`.
 */
export class LeadRepository {
  readonly #db: Database
  readonly #byEcosystem: Statement<[number, string], LeadRow>
  readonly #byPhone: Statement<[number, string], LeadRow>
  readonly #byId: Statement<[number, string], LeadRow>
  readonly #byNit: Statement<[number, string], LeadRow>
  readonly #holderOf: Record<'nit' | 'phone', Statement<[number, string, string], string>>
  readonly #extraOf: Statement<[number, string], string>
  readonly #insert: Statement<unknown[]>
  readonly #updateDetails: Statement<unknown[]>
  readonly #updateKeys: Statement<unknown[]>
  readonly #updateExtra: Statement<[string, number, string]>
  readonly #page: Statement<[number, number, number], LeadRow>
  readonly #pageOfEcosystem: Statement<[number, string, number, number], LeadRow>
  readonly #searches = new Map<LeadOrder, SearchStatement>()
  readonly #countOfSearch: Statement<{ sandbox: number, ecosystem: string | null, like: string }, number>
  readonly #ecosystems: Statement<[number], EcosystemCount>
  readonly #count: Statement<[number], number>
  readonly #countOfEcosystem: Statement<[number, string], number>
  readonly #upsert: Statement<unknown[]>
  readonly #deleteAll: Statement<[number]>
  readonly #deleteEcosystem: Statement<[number, string]>
  readonly #deleteById: Statement<[number, string]>
  readonly #dataVersion: Statement<[], number>
  readonly #usage: Statement<[number], SpaceUsage>
  readonly #counts: Statement<[number], RecordCounts>
  readonly #deleteUsage: Statement<[number]>
  readonly #purgeOthers: Array<Statement<[number]>>
  readonly #assign: Statement<[string, number, string]>
  readonly #assignedTo: Statement<[number, string], string | null>
  readonly #orphans: Statement<[], number>
  readonly #limits: SpaceLimits
  #copyTemplate: Statement<[number]> | undefined
  #lastDataVersion: number
  // One counter for every write, so that a sandbox's generation and the epoch (writes by another
  // connection, which may have touched any sandbox) can be compared: the later one wins.
  #writes = 0
  #epoch = 0
  readonly #written = new Map<number, number>()

  /** `limits` bound what a sandbox may hold (and what the Lead API may add to the shared data); see write(). */
  constructor (db: Database, limits: SpaceLimits = NO_LIMITS) {
    this.#db = db
    this.#limits = limits
    this.#usage = db.prepare<[number], SpaceUsage>('SELECT leads, bytes FROM space_usage WHERE space = ?')
    this.#counts = db.prepare<[number], RecordCounts>('SELECT leads - financial_entities - users AS leads, financial_entities AS financialEntities, users FROM space_usage WHERE space = ?')
    this.#deleteUsage = db.prepare('DELETE FROM space_usage WHERE space = ?')
    this.#purgeOthers = [db.prepare('DELETE FROM financial_entities WHERE sandbox = ?'), db.prepare('DELETE FROM users WHERE sandbox = ?')]
    this.#assign = db.prepare('UPDATE leads SET financial_entity = ? WHERE sandbox = ? AND id = ?')
    this.#assignedTo = db.prepare<[number, string], string | null>('SELECT financial_entity FROM leads WHERE sandbox = ? AND id = ?').pluck()
    this.#orphans = db.prepare<[], number>('SELECT space FROM space_usage WHERE space <> 0 AND space NOT IN (SELECT key FROM sandboxes)').pluck()
    this.#byEcosystem = db.prepare(`SELECT ${SELECTED} FROM leads WHERE sandbox = ? AND ecosystem = ? ORDER BY seq`)
    this.#byPhone = db.prepare(`SELECT ${SELECTED} FROM leads WHERE sandbox = ? AND phone = ? ORDER BY seq LIMIT 1`)
    this.#byId = db.prepare(`SELECT ${SELECTED} FROM leads WHERE sandbox = ? AND id = ?`)
    this.#byNit = db.prepare(`SELECT ${SELECTED} FROM leads WHERE sandbox = ? AND nit = ? ORDER BY seq LIMIT 1`)
    this.#holderOf = {
      nit: db.prepare<[number, string, string], string>('SELECT id FROM leads WHERE sandbox = ? AND ecosystem = ? AND nit = ? LIMIT 1').pluck(),
      phone: db.prepare<[number, string, string], string>('SELECT id FROM leads WHERE sandbox = ? AND ecosystem = ? AND phone = ? LIMIT 1').pluck()
    }
    this.#extraOf = db.prepare<[number, string], string>('SELECT extra FROM leads WHERE sandbox = ? AND id = ?').pluck()
    this.#insert = db.prepare(INSERT)
    this.#updateDetails = db.prepare(UPDATE_DETAILS)
    this.#updateKeys = db.prepare(UPDATE_KEYS)
    this.#updateExtra = db.prepare(UPDATE_EXTRA)
    this.#page = db.prepare(`SELECT ${SELECTED} FROM leads WHERE sandbox = ? ORDER BY seq LIMIT ? OFFSET ?`)
    this.#pageOfEcosystem = db.prepare(`SELECT ${SELECTED} FROM leads WHERE sandbox = ? AND ecosystem = ? ORDER BY seq LIMIT ? OFFSET ?`)
    this.#count = db.prepare<[number], number>('SELECT count(*) FROM leads WHERE sandbox = ?').pluck()
    for (const [order, columns] of Object.entries(ORDERS)) {
      this.#searches.set(order as LeadOrder, db.prepare(`SELECT ${SELECTED} FROM leads WHERE ${SEARCH} ORDER BY ${columns} LIMIT :limit OFFSET :offset`))
    }
    this.#countOfSearch = db.prepare<{ sandbox: number, ecosystem: string | null, like: string }, number>(`SELECT count(*) FROM leads WHERE ${SEARCH}`).pluck()
    this.#ecosystems = db.prepare('SELECT ecosystem, count(*) AS leads FROM leads WHERE sandbox = ? GROUP BY ecosystem ORDER BY ecosystem')
    this.#countOfEcosystem = db.prepare<[number, string], number>('SELECT count(*) FROM leads WHERE sandbox = ? AND ecosystem = ?').pluck()
    // Positional parameters, in COLUMNS order: binding by name is measurably slower on a large seed.
    this.#upsert = db.prepare(UPSERT)
    this.#deleteAll = db.prepare('DELETE FROM leads WHERE sandbox = ?')
    this.#deleteEcosystem = db.prepare('DELETE FROM leads WHERE sandbox = ? AND ecosystem = ?')
    this.#deleteById = db.prepare('DELETE FROM leads WHERE sandbox = ? AND id = ?')
    // data_version moves when another connection (another process, `leancore-mock seed`) commits.
    this.#dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck()
    this.#lastDataVersion = this.#dataVersion.get() as number
  }

  /**
   * A number that changes whenever a sandbox's leads may have changed: a write to it here, or any
   * commit by another connection. Anything derived from them (a cached response body) is valid for
   * one generation; a write to another sandbox leaves it alone.
   */
  generation (sandbox: number): number {
    // Only a file can be written by another connection; an in-memory database is this one's alone.
    const version = this.#db.memory ? this.#lastDataVersion : this.#dataVersion.get() as number
    if (version !== this.#lastDataVersion) {
      this.#lastDataVersion = version
      this.#epoch = ++this.#writes
    }
    return Math.max(this.#epoch, this.#written.get(sandbox) ?? 0)
  }

  byEcosystem (sandbox: number, ecosystem: string): Lead[] {
    return this.#byEcosystem.all(sandbox, ecosystem).map(toLead)
  }

  byPhone (sandbox: number, phone: string): Lead | undefined {
    const row = this.#byPhone.get(sandbox, phone)
    return row === undefined ? undefined : toLead(row)
  }

  byId (sandbox: number, id: string): Lead | undefined {
    const row = this.#byId.get(sandbox, id)
    return row === undefined ? undefined : toLead(row)
  }

  /** The first lead written with that NIT (a NIT is one lead's within an ecosystem, not across them) */
  byNit (sandbox: number, nit: string): Lead | undefined {
    const row = this.#byNit.get(sandbox, nit)
    return row === undefined ? undefined : toLead(row)
  }

  /** The id of a lead of the ecosystem that has this NIT or phone, if one does */
  holderOf (sandbox: number, ecosystem: string, field: 'nit' | 'phone', value: string): string | undefined {
    return this.#holderOf[field].get(sandbox, ecosystem, value)
  }

  /** The fields of LeanCore's write routes that are not a lead's 18 keys (LeadExtra), as stored */
  extraOf (sandbox: number, id: string): LeadExtra | undefined {
    const extra = this.#extraOf.get(sandbox, id)
    return extra === undefined ? undefined : JSON.parse(extra) as LeadExtra
  }

  /** A new lead; call it inside write(). */
  insert (sandbox: number, lead: Lead, extra: LeadExtra): void {
    this.#insert.run(parameters(lead, sandbox).concat(JSON.stringify(extra)))
  }

  /**
   * Writes what update-lead may change of a lead (`before` as stored, `after` as it is to be) and adds
   * `extra` to its extra fields; its id, ecosystem, quota, payment data and place stay. Call it inside write().
   */
  update (sandbox: number, before: Lead, after: Lead, extra: LeadExtra): void {
    const details: unknown[] = DETAILS.map((column) => column === 'history' || column === 'additional_data' ? JSON.stringify(after[column]) : after[column])
    this.#updateDetails.run(...details, sandbox, after.id)
    if (KEYS.some((column) => before[column] !== after[column])) this.#updateKeys.run(after.nit, after.phone, sandbox, after.id)
    if (Object.keys(extra).length > 0) this.#updateExtra.run(JSON.stringify({ ...this.extraOf(sandbox, after.id), ...extra }), sandbox, after.id)
  }

  page (sandbox: number, options: { ecosystem?: string | undefined, search?: string | undefined, sort?: LeadOrder | undefined, limit: number, offset: number }): LeadPage {
    const { ecosystem, search, sort, limit, offset } = options
    if (search !== undefined || sort !== undefined) {
      // The text anywhere in the id, name, NIT, phone or email; % and _ are taken as they are.
      const where = { sandbox, ecosystem: ecosystem ?? null, like: `%${(search ?? '').replace(/[\\%_]/g, (character) => `\\${character}`)}%` }
      const statement = this.#searches.get(sort ?? 'seq') as SearchStatement
      return { total: this.#countOfSearch.get(where) as number, leads: statement.all({ ...where, limit, offset }).map(toLead) }
    }
    const rows = ecosystem === undefined
      ? this.#page.all(sandbox, limit, offset)
      : this.#pageOfEcosystem.all(sandbox, ecosystem, limit, offset)
    const total = ecosystem === undefined ? this.#count.get(sandbox) : this.#countOfEcosystem.get(sandbox, ecosystem)
    return { total: total as number, leads: rows.map(toLead) }
  }

  /** Each ecosystem that has leads, with how many, in order of its UUID */
  ecosystems (sandbox: number): EcosystemCount[] {
    return this.#ecosystems.all(sandbox)
  }

  count (sandbox: number): number {
    return this.#count.get(sandbox) as number
  }

  /** Inserts new leads and replaces existing ones (matched by id), all or nothing. */
  upsert (sandbox: number, leads: Iterable<Lead>): number {
    return this.write(sandbox, () => this.#upsertAll(sandbox, leads))
  }

  /** Empties the sandbox and writes `leads`, all or nothing: the reset of a fixture. */
  replaceAll (sandbox: number, leads: Iterable<Lead>): number {
    return this.write(sandbox, () => {
      this.#deleteAll.run(sandbox)
      return this.#upsertAll(sandbox, leads)
    })
  }

  /**
   * Keeps `leads` ready in a temporary table of this connection, so that copyTemplate() can write
   * them into a sandbox inside SQLite: no serializing the same rows again for every sandbox.
   */
  prepareTemplate (leads: Iterable<Lead>): void {
    this.#db.exec(`DROP TABLE IF EXISTS temp.lead_template;
      CREATE TEMP TABLE lead_template AS SELECT seq, ${SELECTED} FROM leads WHERE 0`)
    const insert = this.#db.prepare(`INSERT INTO temp.lead_template (${SELECTED}) VALUES (${COLUMNS.map(() => '?').join(', ')})`)
    this.#db.transaction(() => {
      for (const lead of leads) insert.run(parameters(lead))
    })()
    this.#copyTemplate = this.#db.prepare(`INSERT INTO leads (sandbox, ${SELECTED}) SELECT ?, ${SELECTED} FROM temp.lead_template ORDER BY rowid`)
  }

  /** Writes the prepared template's leads into a sandbox (see prepareTemplate); returns how many. */
  copyTemplate (sandbox: number): number {
    const copy = this.#copyTemplate as Statement<[number]>
    return this.write(sandbox, () => copy.run(sandbox).changes)
  }

  /** Deletes what a deleted sandbox left: its leads, financial entities and users, and the count of them. */
  purge (sandbox: number): number {
    return this.write(sandbox, () => {
      const deleted = this.#deleteAll.run(sandbox).changes
      for (const statement of this.#purgeOthers) statement.run(sandbox)
      this.#deleteUsage.run(sandbox)
      return deleted
    }, false)
  }

  /** The sandboxes whose rows are gone but whose leads may not be (a deletion cut short) */
  orphans (): number[] {
    return this.#orphans.all()
  }

  /** Records the financial entity a lead is assigned to; call it inside write(). */
  assign (sandbox: number, id: string, financialEntity: string): void {
    this.#assign.run(financialEntity, sandbox, id)
  }

  /** The financial entity a lead is assigned to, if it is */
  assignedTo (sandbox: number, id: string): string | undefined {
    return this.#assignedTo.get(sandbox, id) ?? undefined
  }

  /** Makes the next read of a sandbox's leads fresh: another connection (the bulk worker) wrote them. */
  noteWrite (sandbox: number): void {
    this.#written.set(sandbox, ++this.#writes)
  }

  /** How many leads an ecosystem of a sandbox has: an index count */
  countOfEcosystem (sandbox: number, ecosystem: string): number {
    return this.#countOfEcosystem.get(sandbox, ecosystem) as number
  }

  deleteAll (sandbox: number): number {
    return this.write(sandbox, () => this.#deleteAll.run(sandbox).changes)
  }

  deleteEcosystem (sandbox: number, ecosystem: string): number {
    return this.write(sandbox, () => this.#deleteEcosystem.run(sandbox, ecosystem).changes)
  }

  deleteById (sandbox: number, id: string): boolean {
    return this.write(sandbox, () => this.#deleteById.run(sandbox, id).changes) === 1
  }

  /** Throws a 409 naming the limit a write passed (a 413 when the write alone is larger than it); the transaction rolls back. */
  #checkRoom (sandbox: number, before: SpaceUsage, after: SpaceUsage): void {
    const { maxLeads, maxBytes } = this.#limits
    const space = sandbox === 0 ? 'the shared data' : 'the sandbox'
    const refuse = (setting: string, limit: number, held: string, added: number): never => {
      throw new FixtureError(added > limit ? 413 : 409, `${space} would hold ${held}, over ${setting} (${limit}); nothing was written. ` +
        (added > limit ? 'Send fewer at a time, or raise the limit' : 'Delete some first (DELETE /__admin/leads), or raise the limit'))
    }
    if (after.leads > maxLeads) refuse('MAX_LEADS_PER_SANDBOX', maxLeads, `${after.leads} records (leads, financial entities and users)`, after.leads - before.leads)
    if (after.bytes > maxBytes) refuse('MAX_SANDBOX_BYTES', maxBytes, `${after.bytes} bytes of records`, after.bytes - before.bytes)
  }

  #upsertAll (sandbox: number, leads: Iterable<Lead>): number {
    let written = 0
    for (const lead of leads) {
      try {
        this.#upsert.run(parameters(lead, sandbox))
      } catch (error) {
        // Validation runs first, so this is a lead that got past it: still the client's data, a 400.
        const { code, message } = error as { code?: unknown, message: string }
        if (String(code).startsWith('SQLITE_CONSTRAINT')) {
          throw new LeadValidationError(`lead ${written} (id ${JSON.stringify(lead.id)}): the database refused it (${code}: ${message})`)
        }
        throw error
      }
      written++
    }
    return written
  }

  /** What a space holds now */
  usage (sandbox: number): SpaceUsage {
    return this.#usage.get(sandbox) ?? { leads: 0, bytes: 0 }
  }

  /** How many leads, fintechs and users a space holds */
  counts (sandbox: number): RecordCounts {
    return this.#counts.get(sandbox) ?? { leads: 0, financialEntities: 0, users: 0 }
  }

  /**
   * Runs `work` as one write transaction on a sandbox's leads (IMMEDIATE: it holds the write lock
   * from its first statement, so what it read is still true when it writes, in any process), and
   * moves the sandbox's generation. Nested in another transaction, it becomes a savepoint.
   * A sandbox's writes (`limited`, by default every space but the shared data) are checked against
   * the limits inside the transaction: past them, nothing is written.
   */
  write<T> (sandbox: number, work: () => T, limited = sandbox !== 0): T {
    try {
      return this.#db.transaction(() => {
        if (!limited) return work()
        const before = this.usage(sandbox)
        const result = work()
        this.#checkRoom(sandbox, before, this.usage(sandbox))
        return result
      }).immediate()
    } finally {
      // Also after a rollback: a failed write must not leave a stale generation behind.
      this.#written.set(sandbox, ++this.#writes)
    }
  }
}

/** A lead as bound parameters: `first` if given (the sandbox), then COLUMNS in order, JSON columns as text. */
export function parameters (lead: Lead, ...first: number[]): unknown[] {
  const values: unknown[] = first
  for (let index = 0; index < COLUMNS.length; index++) {
    const value = lead[COLUMNS[index] as keyof Lead]
    values.push(IS_JSON[index] === true ? JSON.stringify(value) : value)
  }
  return values
}

export function toLead (row: LeadRow): Lead {
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
