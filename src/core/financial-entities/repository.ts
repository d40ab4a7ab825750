import type { Database, Statement } from 'better-sqlite3'
import type { FinancialEntity, FinancialEntityUser } from './schema.js'

const COLUMNS = ['uid', 'name', 'nit', 'ecosystem', 'email', 'phone', 'address', 'loan_products'] as const satisfies ReadonlyArray<keyof FinancialEntity>
const SELECTED = COLUMNS.join(', ')
type Row = Omit<FinancialEntity, 'loan_products'> & { loan_products: string }

/**
 * Every SQL statement that touches `financial_entities`, prepared once, each within one sandbox (0
 * is the shared data). Writes run inside the space's write transaction (LeadRepository.write).
 */
export class FinancialEntityRepository {
  readonly #upsert: Statement<unknown[]>
  readonly #byUid: Statement<[number, string], Row>
  readonly #page: Statement<[number, number, number], Row>
  readonly #pageOfEcosystem: Statement<[number, string, number, number], Row>
  readonly #count: Statement<[number], number>
  readonly #countOfEcosystem: Statement<[number, string], number>
  readonly #deleteAll: Statement<[number]>
  readonly #deleteEcosystem: Statement<[number, string]>
  readonly #deleteByUid: Statement<[number, string]>
  readonly #users: Statement<[number, string, number, number], FinancialEntityUser>
  readonly #userCount: Statement<[number, string], number>

  constructor (db: Database) {
    this.#upsert = db.prepare(`INSERT INTO financial_entities (sandbox, ${SELECTED}) VALUES (?, ${COLUMNS.map(() => '?').join(', ')})
      ON CONFLICT (sandbox, uid) DO UPDATE SET ${COLUMNS.filter((column) => column !== 'uid').map((column) => `${column} = excluded.${column}`).join(', ')}`)
    this.#byUid = db.prepare(`SELECT ${SELECTED} FROM financial_entities WHERE sandbox = ? AND uid = ?`)
    this.#page = db.prepare(`SELECT ${SELECTED} FROM financial_entities WHERE sandbox = ? ORDER BY seq LIMIT ? OFFSET ?`)
    this.#pageOfEcosystem = db.prepare(`SELECT ${SELECTED} FROM financial_entities WHERE sandbox = ? AND ecosystem = ? ORDER BY seq LIMIT ? OFFSET ?`)
    this.#count = db.prepare<[number], number>('SELECT count(*) FROM financial_entities WHERE sandbox = ?').pluck()
    this.#countOfEcosystem = db.prepare<[number, string], number>('SELECT count(*) FROM financial_entities WHERE sandbox = ? AND ecosystem = ?').pluck()
    this.#deleteAll = db.prepare('DELETE FROM financial_entities WHERE sandbox = ?')
    this.#deleteEcosystem = db.prepare('DELETE FROM financial_entities WHERE sandbox = ? AND ecosystem = ?')
    this.#deleteByUid = db.prepare('DELETE FROM financial_entities WHERE sandbox = ? AND uid = ?')
    this.#users = db.prepare(`SELECT id AS uid, name, nit, email, phone, address FROM users
      WHERE sandbox = ? AND financial_entity = ? ORDER BY seq LIMIT ? OFFSET ?`)
    this.#userCount = db.prepare<[number, string], number>('SELECT count(*) FROM users WHERE sandbox = ? AND financial_entity = ?').pluck()
  }

  byUid (sandbox: number, uid: string): FinancialEntity | undefined {
    const row = this.#byUid.get(sandbox, uid)
    return row === undefined ? undefined : toEntity(row)
  }

  page (sandbox: number, { ecosystem, limit, offset }: { ecosystem?: string | undefined, limit: number, offset: number }): { total: number, financialEntities: FinancialEntity[] } {
    const rows = ecosystem === undefined ? this.#page.all(sandbox, limit, offset) : this.#pageOfEcosystem.all(sandbox, ecosystem, limit, offset)
    const total = ecosystem === undefined ? this.#count.get(sandbox) : this.#countOfEcosystem.get(sandbox, ecosystem)
    return { total: total as number, financialEntities: rows.map(toEntity) }
  }

  /** Inserts or replaces (by uid), in the order given; call it inside the space's write transaction. */
  upsertAll (sandbox: number, entities: Iterable<FinancialEntity>): number {
    let written = 0
    for (const entity of entities) {
      this.#upsert.run(sandbox, ...COLUMNS.map((column) => column === 'loan_products' ? JSON.stringify(entity.loan_products) : entity[column]))
      written++
    }
    return written
  }

  deleteAll (sandbox: number, ecosystem?: string): number {
    return (ecosystem === undefined ? this.#deleteAll.run(sandbox) : this.#deleteEcosystem.run(sandbox, ecosystem)).changes
  }

  deleteByUid (sandbox: number, uid: string): boolean {
    return this.#deleteByUid.run(sandbox, uid).changes === 1
  }

  /** A page of the users of a financial entity, in the order they became users, and how many it has */
  users (sandbox: number, uid: string, limit: number, offset: number): { size: number, data: FinancialEntityUser[] } {
    return { size: this.#userCount.get(sandbox, uid) as number, data: this.#users.all(sandbox, uid, limit, offset) }
  }
}

function toEntity (row: Row): FinancialEntity {
  return { ...row, loan_products: JSON.parse(row.loan_products) as FinancialEntity['loan_products'] }
}
