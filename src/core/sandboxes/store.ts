import type { Database, Statement } from 'better-sqlite3'
import type { RecordCounts } from '../leads/repository.js'

/** A sandbox as SQLite keeps it: its tokens only as SHA-256 digests (hex). Its seed, which may be large, is read apart (seedOf). */
export interface SandboxRow {
  key: number
  id: string
  name: string | null
  client_id: string
  client_secret_digest: string
  created_at: number
  expires_at: number
}

export interface NewSandbox {
  id: string
  name: string | null
  tokenDigest: string
  clientId: string
  clientSecretDigest: string
  seed: string
  createdAt: number
  expiresAt: number
}

const SELECTED = 'key, id, name, client_id, client_secret_digest, created_at, expires_at'

/** Every SQL statement that touches `sandboxes`, prepared once. Each lookup is an index search. */
export class SandboxStore {
  readonly #insert: Statement<unknown[]>
  readonly #byToken: Statement<[string], SandboxRow>
  readonly #byClient: Statement<[string], SandboxRow>
  readonly #byId: Statement<[string], SandboxRow>
  readonly #all: Statement<[], SandboxRow & RecordCounts>
  readonly #expired: Statement<[number], SandboxRow>
  readonly #count: Statement<[], number>
  readonly #seed: Statement<[number], string>
  readonly #delete: Statement<[number]>
  readonly #keys: Statement<[], number>

  constructor (db: Database) {
    this.#insert = db.prepare(`INSERT INTO sandboxes (id, name, token_digest, client_id, client_secret_digest, seed, created_at, expires_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
    this.#byToken = db.prepare(`SELECT ${SELECTED} FROM sandboxes WHERE token_digest = ?`)
    this.#byClient = db.prepare(`SELECT ${SELECTED} FROM sandboxes WHERE client_id = ?`)
    this.#byId = db.prepare(`SELECT ${SELECTED} FROM sandboxes WHERE id = ?`)
    // space_usage counts every record as a lead (what the limits count), and fintechs and users apart.
    this.#all = db.prepare(`SELECT ${SELECTED}, coalesce(u.leads - u.financial_entities - u.users, 0) AS leads,
      coalesce(u.financial_entities, 0) AS financialEntities, coalesce(u.users, 0) AS users
      FROM sandboxes LEFT JOIN space_usage u ON u.space = sandboxes.key ORDER BY key`)
    this.#expired = db.prepare(`SELECT ${SELECTED} FROM sandboxes WHERE expires_at <= ?`)
    this.#count = db.prepare<[], number>('SELECT count(*) FROM sandboxes').pluck()
    this.#seed = db.prepare<[number], string>('SELECT seed FROM sandboxes WHERE key = ?').pluck()
    this.#delete = db.prepare('DELETE FROM sandboxes WHERE key = ?')
    this.#keys = db.prepare<[], number>('SELECT key FROM sandboxes').pluck()
  }

  /** Writes a new sandbox and returns its key; call it inside the transaction that writes its seed. */
  insert (sandbox: NewSandbox): number {
    const { id, name, tokenDigest, clientId, clientSecretDigest, seed, createdAt, expiresAt } = sandbox
    return Number(this.#insert.run(id, name, tokenDigest, clientId, clientSecretDigest, seed, createdAt, expiresAt).lastInsertRowid)
  }

  byToken (tokenDigest: string): SandboxRow | undefined {
    return this.#byToken.get(tokenDigest)
  }

  byClient (clientId: string): SandboxRow | undefined {
    return this.#byClient.get(clientId)
  }

  byId (id: string): SandboxRow | undefined {
    return this.#byId.get(id)
  }

  /** Every sandbox, oldest first, with how many leads, fintechs and users it holds */
  all (): Array<SandboxRow & RecordCounts> {
    return this.#all.all()
  }

  expired (now: number): SandboxRow[] {
    return this.#expired.all(now)
  }

  /** 'demo', 'none', or the JSON array of leads the sandbox was created with */
  seedOf (key: number): string {
    return this.#seed.get(key) as string
  }

  count (): number {
    return this.#count.get() as number
  }

  /** Deletes the row; its leads go after (LeadRepository.purge), invisible from now on. */
  delete (key: number): void {
    this.#delete.run(key)
  }

  /** The key of every sandbox there is */
  keys (): number[] {
    return this.#keys.all()
  }
}
