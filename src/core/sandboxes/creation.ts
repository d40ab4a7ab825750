import type { Database } from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { FixtureError } from '../errors.js'
import type { LeadRepository } from '../leads/repository.js'
import type { Lead } from '../leads/schema.js'
import { LeadValidationError, validateLeads } from '../leads/validate.js'
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
    private readonly repository: LeadRepository,
    private readonly options: { maxSandboxes: number, now: () => number, demo: () => Lead[] }
  ) {}

  /**
   * Validates `input` and writes a new sandbox, its row and its seed in one transaction, with
   * MAX_SANDBOXES counted under the write lock (another process creating one at the same moment
   * waits). Throws a FixtureError naming what is wrong, or the limit. Returns its key too. `now` is
   * when it is made (the bulk worker is given the server's clock reading).
   */
  create (input: unknown = {}, now = this.options.now()): CreatedSandbox & { key: number } {
    const seed = (input as { seed?: unknown } | null)?.seed
    const leads = Array.isArray(seed) ? seedLeads(seed) : undefined
    // Leads were checked just above, with messages that name the lead: the rest is checked here.
    const problem = sandboxInput.problem(leads === undefined ? input : { ...(input as object), seed: 'none' })
    if (problem !== undefined) throw new FixtureError(400, `sandbox: ${problem}`)
    const { ttlSeconds = DEFAULT_TTL_SECONDS, name } = input as SandboxInput
    const { maxSandboxes } = this.options
    const id = `sbx_${randomBytes(8).toString('hex')}`
    const token = newSecret()
    const clientId = `${id}-client`
    const clientSecret = newSecret()
    const createdAt = now
    const expiresAt = createdAt + ttlSeconds * 1000
    const storedSeed = leads === undefined ? (seed as 'demo' | 'none' | undefined) ?? 'demo' : JSON.stringify(leads)
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
      this.#write(key, storedSeed, leads)
      return key
    }).immediate()
    return { key, id, token, clientId, clientSecret, expiresAt: new Date(expiresAt).toISOString() }
  }

  /** What a reset of a sandbox writes: its seed as stored (read when the reset comes: a seed may be large). */
  seedOf (key: number): Lead[] {
    const seed = this.store.seedOf(key)
    if (seed === 'demo') return this.options.demo()
    return seed === 'none' ? [] : JSON.parse(seed) as Lead[]
  }

  /** A new sandbox's leads: the demo seed is copied inside SQLite from a template made once. */
  #write (key: number, seed: string, leads: Lead[] | undefined): void {
    if (leads !== undefined) {
      this.repository.upsert(key, leads)
    } else if (seed === 'demo') {
      if (!this.#demoTemplate) this.repository.prepareTemplate(this.options.demo())
      this.#demoTemplate = true
      this.repository.copyTemplate(key)
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
