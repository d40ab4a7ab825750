import type { Database } from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { FixtureError } from '../errors.js'
import type { LeadRepository } from '../leads/repository.js'
import type { Lead } from '../leads/schema.js'
import { LeadValidationError, validateLeads } from '../leads/validate.js'
import { Space, type SpaceOptions } from '../space.js'
import { newSecret, TokenDigest } from '../tokens/token.js'
import { Validator } from '../validation.js'
import { SandboxInput, type CreatedSandbox, type Sandbox } from './schema.js'
import { SandboxStore, type SandboxRow } from './store.js'

const DEFAULT_TTL_SECONDS = 3600
const sandboxInput = new Validator(SandboxInput)

export interface SandboxesOptions {
  maxSandboxes: number
  now: () => number
  /** The demo leads, built once */
  demo: () => Lead[]
  space: SpaceOptions
  /** Called once a sandbox is gone, so that the tokens issued to its client stop working */
  forgetClient: (clientId: string) => void
}

/**
 * The sandboxes: private copies of the data, each opened by its own token. Rows in SQLite (they
 * survive a restart until they expire), plus, in memory, a Space for each sandbox in use: its
 * journal and scenarios. Creating one writes its row and its seed in one transaction; deleting one,
 * or finding it expired, removes both in one transaction.
 */
export class Sandboxes {
  readonly #db: Database
  readonly #repository: LeadRepository
  readonly #store: SandboxStore
  readonly #options: SandboxesOptions
  readonly #spaces = new Map<number, Space>()
  #demoTemplate = false

  constructor (db: Database, repository: LeadRepository, options: SandboxesOptions) {
    this.#db = db
    this.#repository = repository
    this.#store = new SandboxStore(db)
    this.#options = options
    this.#sweep()
  }

  /** Validates `input` and creates a sandbox; throws a FixtureError naming what is wrong, or MAX_SANDBOXES. */
  create (input: unknown = {}): CreatedSandbox & { space: Space } {
    const seed = (input as { seed?: unknown } | null)?.seed
    const leads = Array.isArray(seed) ? seedLeads(seed) : undefined
    // Leads were checked just above, with messages that name the lead: the rest is checked here.
    const problem = sandboxInput.problem(leads === undefined ? input : { ...(input as object), seed: 'none' })
    if (problem !== undefined) throw new FixtureError(400, `sandbox: ${problem}`)
    const { ttlSeconds = DEFAULT_TTL_SECONDS, name } = input as SandboxInput
    this.#sweep()
    const { maxSandboxes, now } = this.#options
    if (this.#store.count() >= maxSandboxes) {
      throw new FixtureError(409, `MAX_SANDBOXES (${maxSandboxes}) sandboxes exist; delete one (DELETE /__admin/sandboxes/:id) or wait for one to expire`)
    }
    const id = `sbx_${randomBytes(8).toString('hex')}`
    const token = newSecret()
    const clientId = `${id}-client`
    const clientSecret = newSecret()
    const createdAt = now()
    const expiresAt = createdAt + ttlSeconds * 1000
    const storedSeed = leads === undefined ? (seed as 'demo' | 'none' | undefined) ?? 'demo' : JSON.stringify(leads)
    const key = this.#db.transaction(() => {
      const key = this.#store.insert({
        id,
        name: name ?? null,
        tokenDigest: TokenDigest.of(token).hex,
        clientId,
        clientSecretDigest: TokenDigest.of(clientSecret).hex,
        seed: storedSeed,
        createdAt,
        expiresAt
      })
      this.#write(key, storedSeed, leads)
      return key
    }).immediate()
    return { id, token, clientId, clientSecret, expiresAt: new Date(expiresAt).toISOString(), space: this.#space(key) }
  }

  /** A new sandbox's leads: the demo seed is copied inside SQLite from a template made once. */
  #write (key: number, seed: string, leads: Lead[] | undefined): void {
    if (leads !== undefined) {
      this.#repository.upsert(key, leads)
    } else if (seed === 'demo') {
      if (!this.#demoTemplate) this.#repository.prepareTemplate(this.#options.demo())
      this.#demoTemplate = true
      this.#repository.copyTemplate(key)
    }
  }

  /** Every live sandbox, oldest first, without its tokens */
  list (): Sandbox[] {
    this.#sweep()
    return this.#store.all().map((row) => describe(row, row.leads))
  }

  get (id: string): Sandbox | undefined {
    const row = this.#live(this.#store.byId(id))
    return row === undefined ? undefined : describe(row, this.#repository.count(row.key))
  }

  /** Deletes a sandbox and its data, in one transaction; false when there is none by that id. */
  delete (id: string): boolean {
    const row = this.#live(this.#store.byId(id))
    if (row === undefined) return false
    this.#remove(row)
    return true
  }

  /** The sandbox a sandbox token opens, while it lives */
  byToken (token: TokenDigest): Space | undefined {
    const row = this.#live(this.#store.byToken(token.hex))
    return row === undefined ? undefined : this.#space(row.key)
  }

  /** The sandbox an OAuth client belongs to, while it lives */
  byClient (clientId: string): Space | undefined {
    const row = this.#live(this.#store.byClient(clientId))
    return row === undefined ? undefined : this.#space(row.key)
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

  #sweep (): void {
    for (const row of this.#store.expired(this.#options.now())) this.#remove(row)
  }

  #remove (row: SandboxRow): void {
    this.#db.transaction(() => {
      this.#repository.deleteAll(row.key)
      this.#store.delete(row.key)
    }).immediate()
    this.#spaces.get(row.key)?.release()
    this.#spaces.delete(row.key)
    this.#options.forgetClient(row.client_id)
  }

  /** The in-memory side of a sandbox (journal, scenarios), made when it is first used */
  #space (key: number): Space {
    let space = this.#spaces.get(key)
    if (space === undefined) {
      space = new Space(key, this.#repository, this.#seed(() => this.#store.seedOf(key)), this.#options.space)
      this.#spaces.set(key, space)
    }
    return space
  }

  /** What a reset writes, for the seed as stored (read when the reset comes: a seed may be large) */
  #seed (stored: () => string): () => Lead[] {
    return () => {
      const seed = stored()
      if (seed === 'demo') return this.#options.demo()
      return seed === 'none' ? [] : JSON.parse(seed) as Lead[]
    }
  }
}

/** Fixture data for a sandbox, checked like any other; the message says it is the seed. */
function seedLeads (seed: unknown[]): Lead[] {
  try {
    return validateLeads(seed)
  } catch (error) {
    throw new LeadValidationError(`sandbox seed: ${(error as Error).message}`)
  }
}

function describe (row: SandboxRow, leads: number): Sandbox {
  return {
    id: row.id,
    name: row.name,
    clientId: row.client_id,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    leads
  }
}
