import type { Database, Statement } from 'better-sqlite3'
import { COLUMNS, parameters, SELECTED, toLead, type LeadRow } from '../leads/repository.js'
import type { StoredUser } from './schema.js'

type UserRow = LeadRow & { financial_entity: string, available_quota: number }
const SELECTED_USER = `${SELECTED}, financial_entity, available_quota`
// update-user's columns: as update-lead, nit and phone (indexed) written only when they change.
const DETAILS = ['name', 'lastname', 'business_name', 'status', 'email', 'address', 'business_entity', 'image', 'score', 'history', 'additional_data'] as const

/**
 * Every SQL statement that touches `users`, prepared once, each within one sandbox (0 is the shared
 * data). Writes run inside the space's write transaction (LeadRepository.write).
 */
export class UserRepository {
  readonly #upsert: Statement<unknown[]>
  readonly #insert: Statement<unknown[]>
  readonly #byId: Statement<[number, string], UserRow>
  readonly #byNit: Statement<[number, string], UserRow>
  readonly #holderOf: Record<'nit' | 'phone', Statement<[number, string, string], string>>
  readonly #page: Statement<[number, number, number], UserRow>
  readonly #pageOfEcosystem: Statement<[number, string, number, number], UserRow>
  readonly #count: Statement<[number], number>
  readonly #countOfEcosystem: Statement<[number, string], number>
  readonly #deleteAll: Statement<[number]>
  readonly #deleteEcosystem: Statement<[number, string]>
  readonly #deleteById: Statement<[number, string]>
  readonly #updateDetails: Statement<unknown[]>
  readonly #updateKeys: Statement<unknown[]>

  constructor (db: Database) {
    const values = `?, ${COLUMNS.map(() => '?').join(', ')}, ?, ?`
    this.#upsert = db.prepare(`INSERT INTO users (sandbox, ${SELECTED_USER}) VALUES (${values})
      ON CONFLICT (sandbox, id) DO UPDATE SET ${[...COLUMNS.filter((column) => column !== 'id'), 'financial_entity', 'available_quota'].map((column) => `${column} = excluded.${column}`).join(', ')}`)
    this.#insert = db.prepare(`INSERT INTO users (sandbox, ${SELECTED_USER}) VALUES (${values})`)
    this.#byId = db.prepare(`SELECT ${SELECTED_USER} FROM users WHERE sandbox = ? AND id = ?`)
    this.#byNit = db.prepare(`SELECT ${SELECTED_USER} FROM users WHERE sandbox = ? AND nit = ? ORDER BY seq LIMIT 1`)
    this.#holderOf = {
      nit: db.prepare<[number, string, string], string>('SELECT id FROM users WHERE sandbox = ? AND ecosystem = ? AND nit = ? LIMIT 1').pluck(),
      phone: db.prepare<[number, string, string], string>('SELECT id FROM users WHERE sandbox = ? AND ecosystem = ? AND phone = ? LIMIT 1').pluck()
    }
    this.#page = db.prepare(`SELECT ${SELECTED_USER} FROM users WHERE sandbox = ? ORDER BY seq LIMIT ? OFFSET ?`)
    this.#pageOfEcosystem = db.prepare(`SELECT ${SELECTED_USER} FROM users WHERE sandbox = ? AND ecosystem = ? ORDER BY seq LIMIT ? OFFSET ?`)
    this.#count = db.prepare<[number], number>('SELECT count(*) FROM users WHERE sandbox = ?').pluck()
    this.#countOfEcosystem = db.prepare<[number, string], number>('SELECT count(*) FROM users WHERE sandbox = ? AND ecosystem = ?').pluck()
    this.#deleteAll = db.prepare('DELETE FROM users WHERE sandbox = ?')
    this.#deleteEcosystem = db.prepare('DELETE FROM users WHERE sandbox = ? AND ecosystem = ?')
    this.#deleteById = db.prepare('DELETE FROM users WHERE sandbox = ? AND id = ?')
    this.#updateDetails = db.prepare(`UPDATE users SET ${DETAILS.map((column) => `${column} = ?`).join(', ')} WHERE sandbox = ? AND id = ?`)
    this.#updateKeys = db.prepare('UPDATE users SET nit = ?, phone = ? WHERE sandbox = ? AND id = ?')
  }

  byId (sandbox: number, id: string): StoredUser | undefined {
    const row = this.#byId.get(sandbox, id)
    return row === undefined ? undefined : toUser(row)
  }

  /** The first user made with that NIT */
  byNit (sandbox: number, nit: string): StoredUser | undefined {
    const row = this.#byNit.get(sandbox, nit)
    return row === undefined ? undefined : toUser(row)
  }

  /** The id of a user of the ecosystem that has this NIT or phone, if one does */
  holderOf (sandbox: number, ecosystem: string, field: 'nit' | 'phone', value: string): string | undefined {
    return this.#holderOf[field].get(sandbox, ecosystem, value)
  }

  page (sandbox: number, { ecosystem, limit, offset }: { ecosystem?: string | undefined, limit: number, offset: number }): { total: number, users: StoredUser[] } {
    const rows = ecosystem === undefined ? this.#page.all(sandbox, limit, offset) : this.#pageOfEcosystem.all(sandbox, ecosystem, limit, offset)
    const total = ecosystem === undefined ? this.#count.get(sandbox) : this.#countOfEcosystem.get(sandbox, ecosystem)
    return { total: total as number, users: rows.map(toUser) }
  }

  /** Inserts or replaces (by id); call it inside the space's write transaction. */
  upsertAll (sandbox: number, users: Iterable<StoredUser>): number {
    let written = 0
    for (const user of users) {
      this.#upsert.run(...parameters(user, sandbox), user.financial_entity, user.available_quota)
      written++
    }
    return written
  }

  /** A new user (a lead just turned into one); call it inside the space's write transaction. */
  insert (sandbox: number, user: StoredUser): void {
    this.#insert.run(...parameters(user, sandbox), user.financial_entity, user.available_quota)
  }

  /** Writes what update-user may change; nit and phone only when they change. Call it inside the space's write transaction. */
  update (sandbox: number, before: StoredUser, after: StoredUser): void {
    const details: unknown[] = DETAILS.map((column) => column === 'history' || column === 'additional_data' ? JSON.stringify(after[column]) : after[column])
    this.#updateDetails.run(...details, sandbox, after.id)
    if (before.nit !== after.nit || before.phone !== after.phone) this.#updateKeys.run(after.nit, after.phone, sandbox, after.id)
  }

  deleteAll (sandbox: number, ecosystem?: string): number {
    return (ecosystem === undefined ? this.#deleteAll.run(sandbox) : this.#deleteEcosystem.run(sandbox, ecosystem)).changes
  }

  deleteById (sandbox: number, id: string): boolean {
    return this.#deleteById.run(sandbox, id).changes === 1
  }
}

function toUser (row: UserRow): StoredUser {
  const { financial_entity: financialEntity, available_quota: availableQuota } = row
  return { ...toLead(row), financial_entity: financialEntity, available_quota: availableQuota }
}
