import type { Database } from 'better-sqlite3'
import { demoLeads } from '../seed/demo.js'
import { digest, fingerprint, TokenSet } from './auth/token-set.js'
import { SETTINGS, type Config } from './config.js'
import { migrate } from './db/migrate.js'
import { explain, openDatabase } from './db/open.js'
import { Journal, type JournalEntry, type JournalFilter } from './journal/journal.js'
import { LeadRepository, type LeadPage } from './leads/repository.js'
import type { Lead } from './leads/schema.js'
import { normalizeEcosystem, validateLeads } from './leads/validate.js'
import { TokenIssuer } from './oauth/issuer.js'
import { ScenarioBook } from './scenarios/scenario-book.js'
import { Scrubber } from './secrets.js'

export interface FixtureOptions {
  /** The clock that issued tokens expire by; tests move it instead of waiting. */
  now?: () => number
}

/**
 * The state behind the routes: the leads in SQLite, the request journal, the scenarios, the
 * tokens. The HTTP admin API and the programmatic API are two doors to this one object.
 */
export class Fixture {
  readonly leads: LeadRepository
  readonly journal: Journal
  readonly scenarios: ScenarioBook
  readonly issuer: TokenIssuer
  readonly #apiTokens: TokenSet
  readonly #adminTokens: TokenSet
  readonly #db: Database
  readonly #config: Config

  constructor (config: Config, options: FixtureOptions = {}) {
    this.#config = config
    // Only the built-in default directory is created: a path the user typed that does not
    // exist is more likely a typo or a missing volume than a wish.
    this.#db = openDatabase(config.databasePath, { createDirectory: config.databasePath === SETTINGS.databasePath.default })
    try {
      const applied = migrate(this.#db)
      this.leads = new LeadRepository(this.#db)
      if (applied.includes(1)) this.leads.upsert(seedLeads(config.seed))
    } catch (error) {
      this.#db.close()
      throw explain(error, config.databasePath)
    }
    const scrubber = new Scrubber(config)
    this.scenarios = new ScenarioBook(config)
    this.journal = new Journal(config.journalSize, (text) => scrubber.scrubClientText(text))
    this.issuer = new TokenIssuer(config.oauthClients, config.tokenTtl, config.maxTokensPerClient, options.now ?? Date.now)
    this.#apiTokens = new TokenSet(config.tokens)
    this.#adminTokens = new TokenSet(config.adminToken === undefined ? [] : [config.adminToken])
  }

  get database (): Database {
    return this.#db
  }

  /** Whether GET /lead accepts a token, given its digest(): a configured one, or one issued and unexpired. */
  acceptsApiToken (tokenDigest: Buffer): boolean {
    return this.#apiTokens.hasDigest(tokenDigest) || this.issuer.accepts(tokenDigest)
  }

  acceptsAdminToken (token: string): boolean {
    return this.#adminTokens.hasDigest(digest(token))
  }

  /** Validates fixture data against the lead schema and writes it, all or nothing. */
  addLeads (input: unknown): number {
    return this.leads.upsert(validateLeads(input))
  }

  /** A page of leads, all or one ecosystem's (any spelling of its UUID), in stored order. */
  listLeads (options: { ecosystem?: string | undefined, limit: number, offset: number }): LeadPage {
    const { ecosystem, limit, offset } = options
    return this.leads.page({ ecosystem: ecosystem === undefined ? undefined : normalizeEcosystem(ecosystem), limit, offset })
  }

  /** Deletes every lead, or one ecosystem's; returns how many went. */
  removeLeads (ecosystem?: string): number {
    return ecosystem === undefined ? this.leads.deleteAll() : this.leads.deleteEcosystem(normalizeEcosystem(ecosystem))
  }

  /** The journal, filtered; `token` is the token itself or its fingerprint (sha256:…). */
  journalEntries ({ token, ...filter }: Omit<JournalFilter, 'token'> & { token?: string | undefined } = {}): JournalEntry[] {
    const print = token === undefined || token.startsWith('sha256:') ? token : fingerprint(token)
    return this.journal.list({ ...filter, token: print })
  }

  /** Back to the state of a fresh start: the seed's leads, an empty journal, no scenarios. */
  reset (): void {
    this.leads.replaceAll(seedLeads(this.#config.seed))
    this.journal.clear()
    this.scenarios.clear()
  }

  close (): void {
    if (this.#db.open) this.#db.close()
  }
}

export function seedLeads (seed: Config['seed']): Lead[] {
  if (seed === 'demo') return demoLeads()
  if (seed === 'none') return []
  return seed
}
