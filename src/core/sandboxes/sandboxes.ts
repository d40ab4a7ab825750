import type { Database } from 'better-sqlite3'
import type { LeadRepository, RecordCounts } from '../leads/repository.js'
import type { Repositories, SeedData } from '../seed-data.js'
import { Space, type SpaceOptions } from '../space.js'
import type { TokenDigest } from '../tokens/token.js'
import { SandboxWriter } from './creation.js'
import type { CreatedSandbox, Sandbox } from './schema.js'
import { SandboxStore, type SandboxRow } from './store.js'

export interface SandboxesOptions {
  maxSandboxes: number
  now: () => number
  /** The demo data, built once */
  demo: () => SeedData
  space: SpaceOptions
  /** Called once a sandbox is gone, so that the tokens issued to its client stop working */
  forgetClient: (clientId: string) => void
  /** Deletes the leads of a sandbox whose row is gone (LeadRepository.purge, as a bulk job) */
  purge: (key: number) => Promise<unknown>
}

/**
 * The sandboxes: private copies of the data, each opened by its own token. Rows in SQLite (they
 * survive a restart until they expire), plus, in memory, a Space for each sandbox in use: its
 * journal and scenarios. Creating one writes its row and its seed in one transaction, MAX_SANDBOXES
 * counted inside it; deleting one, or finding it expired, removes both in one transaction.
 *
 * Several processes may share the database file. A sandbox's key is never used twice
 * (AUTOINCREMENT), so no process can take a new sandbox for one it knew; the memory of a sandbox
 * another process deleted is dropped at the next sweep (every create and list).
 */
export class Sandboxes {
  readonly #repository: LeadRepository
  readonly #repositories: Repositories
  readonly #store: SandboxStore
  readonly #options: SandboxesOptions
  readonly #spaces = new Map<number, { space: Space, clientId: string }>()
  readonly #writer: SandboxWriter

  constructor (db: Database, repositories: Repositories, options: SandboxesOptions) {
    this.#repository = repositories.leads
    this.#repositories = repositories
    this.#store = new SandboxStore(db)
    this.#options = options
    this.#writer = new SandboxWriter(db, this.#store, repositories, options)
  }

  /** Validates `input` and creates a sandbox; throws a FixtureError naming what is wrong, or MAX_SANDBOXES. */
  create (input: unknown = {}): CreatedSandbox & { space: Space } {
    this.#sweep()
    return this.adopt(this.#writer.create(input))
  }

  /** A sandbox written by this process's bulk worker (or by create): its in-memory side made here. */
  adopt ({ key, ...created }: CreatedSandbox & { key: number }): CreatedSandbox & { space: Space } {
    return { ...created, space: this.#space({ key, id: created.id, client_id: created.clientId }) }
  }

  /** Every live sandbox, oldest first, without its tokens */
  list (): Sandbox[] {
    this.#sweep()
    return this.#store.all().map((row) => describe(row, row))
  }

  get (id: string): Sandbox | undefined {
    const row = this.#live(this.#store.byId(id))
    return row === undefined ? undefined : describe(row, this.#repository.counts(row.key))
  }

  /**
   * Deletes a sandbox: its row at once (from then on its tokens open nothing, in every process), then
   * its leads, off the event loop on a database file; resolves once they are gone too. False when
   * there is none by that id.
   */
  async delete (id: string): Promise<boolean> {
    const row = this.#live(this.#store.byId(id))
    if (row === undefined) return false
    await this.#remove(row)
    return true
  }

  /** The writer of new sandboxes on this connection, for the bulk jobs run here */
  get writer (): SandboxWriter {
    return this.#writer
  }

  /** Removes what expired while the server was down, and what a deletion cut short left behind. */
  start (): void {
    this.#sweep()
    for (const key of this.#repository.orphans()) this.#purge(key)
  }

  /** A sandbox's data by its id, while it lives: for the admin token acting on one sandbox */
  byId (id: string): Space | undefined {
    const row = this.#live(this.#store.byId(id))
    return row === undefined ? undefined : this.#space(row)
  }

  /** The sandbox a sandbox token opens, while it lives */
  byToken (token: TokenDigest): Space | undefined {
    const row = this.#live(this.#store.byToken(token.hex))
    return row === undefined ? undefined : this.#space(row)
  }

  /** The sandbox an OAuth client belongs to, while it lives */
  byClient (clientId: string): Space | undefined {
    const row = this.#live(this.#store.byClient(clientId))
    return row === undefined ? undefined : this.#space(row)
  }

  /** The digest of a sandbox client's secret, for the token endpoint to check in constant time */
  clientSecret (clientId: string): Buffer | undefined {
    const row = this.#live(this.#store.byClient(clientId))
    return row === undefined ? undefined : Buffer.from(row.client_secret_digest, 'hex')
  }

  /** The row, unless it has expired, in which case the sandbox is removed now. */
  #live (row: SandboxRow | undefined): SandboxRow | undefined {
    if (row === undefined) return undefined
    if (row.expires_at > this.#options.now()) return row
    this.#remove(row)
    return undefined
  }

  /** Removes the expired sandboxes, and forgets those another process removed. */
  #sweep (): void {
    for (const row of this.#store.expired(this.#options.now())) this.#remove(row)
    const live = new Set(this.#store.keys())
    for (const [key, { clientId }] of this.#spaces) if (!live.has(key)) this.#forget(key, clientId)
  }

  /**
   * The row now (one quick statement), the leads after: with the row gone no one can see them, and
   * no sandbox will ever have its key again. The promise, of the purge, never rejects.
   */
  #remove (row: SandboxRow): Promise<void> {
    this.#store.delete(row.key)
    this.#forget(row.key, row.client_id)
    return this.#purge(row.key)
  }

  /** A deleted sandbox's leads; a purge that fails is done again at the next start. */
  async #purge (key: number): Promise<void> {
    await this.#options.purge(key).catch(() => {})
  }

  /** Drops the in-memory side of a sandbox that is gone, and the tokens issued to its client. */
  #forget (key: number, clientId: string): void {
    this.#spaces.get(key)?.space.release()
    this.#spaces.delete(key)
    this.#options.forgetClient(clientId)
  }

  /** The in-memory side of a sandbox (journal, scenarios), made when it is first used */
  #space (row: Pick<SandboxRow, 'key' | 'id' | 'client_id'>): Space {
    const { key } = row
    let entry = this.#spaces.get(key)
    if (entry === undefined) {
      entry = { space: new Space(key, this.#repositories, () => this.#writer.seedOf(key), this.#options.space, row.id), clientId: row.client_id }
      this.#spaces.set(key, entry)
    }
    return entry.space
  }
}

function describe (row: SandboxRow, { leads, financialEntities, users }: RecordCounts): Sandbox {
  return {
    id: row.id,
    name: row.name,
    clientId: row.client_id,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    leads,
    financialEntities,
    users
  }
}
