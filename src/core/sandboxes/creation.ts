import type { Database } from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { FixtureError } from '../errors.js'
import { LeadValidationError } from '../leads/validate.js'
import { EMPTY_SEED, validateSeed, writeSeed, type Repositories, type SeedData } from '../seed-data.js'
import { newSecret, TokenDigest } from '../tokens/token.js'
import { Validator } from '../validation.js'
import { SandboxInput, type CreatedSandbox } from './schema.js'
import type { SandboxStore } from './store.js'

const DEFAULT_TTL_SECONDS = 3600
const sandboxInput = new Validator(SandboxInput)

/** What creating a sandbox needs, on the connection that writes it (the server's, or the bulk worker's). */
export class SandboxWriter {
  #demoTemplate = false

  constructor (
    private readonly db: Database,
    private readonly store: SandboxStore,
    private readonly repositories: Repositories,
    private readonly options: { maxSandboxes: number, now: () => number, demo: () => SeedData }
  ) {}

  /**
   * Validates `input` and writes a new sandbox, its row and its seed in one transaction, with
   * MAX_SANDBOXES counted under the write lock (another process creating one at the same moment
   * waits). Throws a FixtureError naming what is wrong, or the limit. Returns its key too. `now` is
   * when it is made (the bulk worker is given the server's clock reading).
   */
  create (input: unknown = {}, now = this.options.now()): CreatedSandbox & { key: number } {
    const seed = (input as { seed?: unknown } | null)?.seed
    const data = seed !== undefined && seed !== null && typeof seed === 'object' ? seedData(seed) : undefined
    // The data was checked just above, with messages that name the record: the rest is checked here.
    const problem = sandboxInput.problem(data === undefined ? input : { ...(input as object), seed: 'none' })
    if (problem !== undefined) throw new FixtureError(400, `sandbox: ${problem}`)
    const { ttlSeconds = DEFAULT_TTL_SECONDS, name } = input as SandboxInput
    const { maxSandboxes } = this.options
    const id = `sbx_${randomBytes(8).toString('hex')}`
    const token = newSecret()
    const clientId = `${id}-client`
    const clientSecret = newSecret()
    const createdAt = now
    const expiresAt = createdAt + ttlSeconds * 1000
    const storedSeed = data === undefined ? (seed as 'demo' | 'none' | undefined) ?? 'demo' : JSON.stringify(data)
    const key = this.db.transaction(() => {
      if (this.store.count() >= maxSandboxes) {
        throw new FixtureError(409, `MAX_SANDBOXES (${maxSandboxes}) sandboxes exist; delete one (DELETE /__admin/sandboxes/:id) or wait for one to expire`)
      }
      const key = this.store.insert({
        id,
        name: name ?? null,
        tokenDigest: TokenDigest.of(token).hex,
        clientId,
        clientSecretDigest: TokenDigest.of(clientSecret).hex,
        seed: storedSeed,
        createdAt,
        expiresAt
      })
      this.#write(key, storedSeed, data)
      return key
    }).immediate()
    return { key, id, token, clientId, clientSecret, expiresAt: new Date(expiresAt).toISOString() }
  }

  /** What a reset of a sandbox writes: its seed as stored (read when the reset comes: a seed may be large). */
  seedOf (key: number): SeedData {
    const seed = this.store.seedOf(key)
    if (seed === 'demo') return this.options.demo()
    if (seed === 'none') return EMPTY_SEED
    const stored = JSON.parse(seed) as SeedData | SeedData['leads']
    // Sandboxes made before the lifecycle kept their seed as an array of leads.
    return Array.isArray(stored) ? { ...EMPTY_SEED, leads: stored } : stored
  }

  /** A new sandbox's data: the demo leads are copied inside SQLite from a template made once. */
  #write (key: number, seed: string, data: SeedData | undefined): void {
    if (data !== undefined) {
      writeSeed(this.repositories, key, data, false)
    } else if (seed === 'demo') {
      const demo = this.options.demo()
      if (!this.#demoTemplate) this.repositories.leads.prepareTemplate(demo.leads)
      this.#demoTemplate = true
      this.repositories.leads.copyTemplate(key)
      writeSeed(this.repositories, key, { ...demo, leads: [] }, false)
    }
  }
}

/** Seed data for a sandbox, checked like any other; the message says it is the seed. */
function seedData (seed: object): SeedData {
  try {
    return validateSeed(seed)
  } catch (error) {
    throw new LeadValidationError(`sandbox seed: ${(error as Error).message}`)
  }
}
