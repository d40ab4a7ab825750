import type { Database, Statement } from 'better-sqlite3'
import { demoLeads } from '../../seed/demo.js'
import { SETTINGS, type Config } from './config.js'
import { migrate, schemaVersion } from './db/migrate.js'
import { explain, openDatabase } from './db/open.js'
import { FixtureError } from './errors.js'
import { Journal, type JournalEntry, type JournalFilter, type JournalRecord } from './journal/journal.js'
import { LeadRepository, type LeadPage } from './leads/repository.js'
import type { Lead, LeadInput } from './leads/schema.js'
import { normalizeEcosystem, validateLeads } from './leads/validate.js'
import { ScenarioBook, type ScenarioRequest } from './scenarios/scenario-book.js'
import type { Scenario, ScenarioInput } from './scenarios/schema.js'
import { TokenIssuer, type IssuedToken } from './tokens/issuer.js'
import { Scrubber } from './tokens/scrubber.js'
import type { TokenDigest } from './tokens/token.js'
import { TokenSet } from './tokens/token-set.js'

export interface FixtureOptions {
  /** The clock that issued tokens expire by; tests move it instead of waiting. */
  now?: () => number
}

/** The leads a fixture holds: what a test loads, lists and removes. */
export interface FixtureLeads {
  /** Validates and writes leads (insert, or replace by id), all or nothing; returns how many. Throws LeadValidationError. */
  add: (leads: readonly LeadInput[]) => number
  /** A page of leads, all or one ecosystem's (any spelling of its UUID), in stored order */
  list: (options?: { ecosystem?: string | undefined, limit?: number | undefined, offset?: number | undefined }) => LeadPage
  /** Deletes every lead, or one ecosystem's; returns how many went. */
  remove: (options?: { ecosystem?: string | undefined }) => number
  removeById: (id: string) => boolean
}

/** The requests GET /lead and POST /oauth2/token received. */
export interface FixtureJournal {
  /** Oldest first. `token` takes the token or its fingerprint (sha256:…). */
  entries: (filter?: JournalFilter) => JournalEntry[]
  clear: () => void
  /** How many entries it keeps (JOURNAL_SIZE) */
  readonly capacity: number
  /** How many were pushed out by newer ones since the last clear */
  readonly dropped: number
}

/** Failures and latency on purpose. */
export interface FixtureScenarios {
  /** Validates and adds a scenario; throws a FixtureError (statusCode 400, 409 or 413) naming what is wrong. */
  add: (scenario: ScenarioInput) => Scenario
  /** All scenarios, or those of one token */
  list: (token?: string) => Scenario[]
  remove: (id: string) => boolean
  /** Removes every scenario, or one token's; returns how many went. */
  clear: (token?: string) => number
}

/**
 * The fixture's state: the leads in SQLite, the request journal, the scenarios, the tokens. It is
 * the only door to that state. Its first six members are what startServer() hands a test suite and
 * all the admin API uses; the rest is what the LeanCore routes need to answer a request.
 */
export class Fixture {
  readonly leads: FixtureLeads
  readonly journal: FixtureJournal
  readonly scenarios: FixtureScenarios
  /** What the journal and the server's log lines are cleared of secrets with */
  readonly scrubber: Scrubber
  readonly #repository: LeadRepository
  readonly #journal: Journal
  readonly #scenarios: ScenarioBook
  readonly #issuer: TokenIssuer
  readonly #apiTokens: TokenSet
  readonly #adminTokens: TokenSet
  readonly #db: Database
  readonly #config: Config
  readonly #healthProbe: Statement<[string], unknown>

  constructor (config: Config, options: FixtureOptions = {}) {
    this.#config = config
    // Only the built-in default directory is created: a path the user typed that does not
    // exist is more likely a typo or a missing volume than a wish.
    this.#db = openDatabase(config.databasePath, { createDirectory: config.databasePath === SETTINGS.databasePath.default })
    try {
      const applied = migrate(this.#db)
      this.#repository = new LeadRepository(this.#db)
      if (applied.includes(1)) this.#repository.upsert(seedLeads(config.seed))
      // One read through the ecosystem index: SELECT 1 alone would never touch the file.
      this.#healthProbe = this.#db.prepare('SELECT seq FROM leads WHERE ecosystem = ? LIMIT 1')
    } catch (error) {
      this.#db.close()
      throw explain(error, config.databasePath)
    }
    const scrubber = this.scrubber = new Scrubber(config)
    this.#journal = new Journal(config.journalSize, (text) => scrubber.scrub(text))
    this.#scenarios = new ScenarioBook(config)
    this.#issuer = new TokenIssuer(config.oauthClients, config.tokenTtl, config.maxTokensPerClient, options.now ?? Date.now)
    this.#apiTokens = new TokenSet(config.tokens)
    this.#adminTokens = new TokenSet(config.adminToken === undefined ? [] : [config.adminToken])

    const repository = this.#repository
    this.leads = {
      add: (leads) => repository.upsert(validateLeads(leads)),
      list: ({ ecosystem, limit = 1000, offset = 0 } = {}) => repository.page({
        ecosystem: ecosystem === undefined ? undefined : normalizeEcosystem(ecosystem),
        limit: wholeNumber('limit', limit, 1, MAX_PAGE),
        offset: wholeNumber('offset', offset, 0, MAX_OFFSET)
      }),
      remove: ({ ecosystem } = {}) => ecosystem === undefined ? repository.deleteAll() : repository.deleteEcosystem(normalizeEcosystem(ecosystem)),
      removeById: (id) => repository.deleteById(id)
    }
    const journal = this.#journal
    this.journal = {
      entries: (filter) => journal.list(filter),
      clear: () => journal.clear(),
      get capacity () { return journal.capacity },
      get dropped () { return journal.dropped }
    }
    const scenarios = this.#scenarios
    this.scenarios = {
      add: (scenario) => scenarios.add(scenario),
      list: (token) => scenarios.list(token),
      remove: (id) => scenarios.remove(id),
      clear: (token) => scenarios.clear(token)
    }
  }

  /** A token from the OAuth endpoint's issuer, as if a client had asked for one. Throws TokenLimitReached past MAX_TOKENS_PER_CLIENT. */
  issueToken (): IssuedToken {
    return this.#issuer.issue()
  }

  /** Back to the state of a fresh start: the seed's leads, an empty journal, no scenarios. */
  reset (): void {
    this.#repository.replaceAll(seedLeads(this.#config.seed))
    this.#journal.clear()
    this.#scenarios.clear()
  }

  /** Closes the database. Safe to call twice. */
  close (): void {
    if (this.#db.open) this.#db.close()
  }

  // What the LeanCore routes need to answer a request.

  /** Whether a token opens GET /lead (a configured API token, or an issued one not expired), or the admin API. */
  accepts (role: 'api' | 'admin', token: TokenDigest): boolean {
    if (role === 'admin') return this.#adminTokens.has(token)
    return this.#apiTokens.has(token) || this.#issuer.accepts(token)
  }

  /** Whether an OAuth client's secret is right, checked in constant time */
  authenticateClient (clientId: string, secret: string): boolean {
    return this.#issuer.authenticate(clientId, secret)
  }

  /** A token for an OAuth client; throws TokenLimitReached past MAX_TOKENS_PER_CLIENT. */
  issueTokenTo (clientId: string): IssuedToken {
    return this.#issuer.issue(clientId)
  }

  /** Changes whenever the leads may have changed, here or in another process: what a cached body is valid for. */
  generation (): number {
    return this.#repository.generation()
  }

  /** An ecosystem's leads in stored order; `ecosystem` already normalized. */
  leadsOfEcosystem (ecosystem: string): Lead[] {
    return this.#repository.byEcosystem(ecosystem)
  }

  leadWithPhone (phone: string): Lead | undefined {
    return this.#repository.byPhone(phone)
  }

  /** The scenario that applies to a request, counted as used; undefined when none does. */
  scenarioFor (request: ScenarioRequest): Scenario | undefined {
    return this.#scenarios.size === 0 ? undefined : this.#scenarios.take(request)
  }

  record (request: JournalRecord): void {
    this.#journal.record(request)
  }

  /** Throws a FixtureError (503) naming the problem when the database cannot answer. */
  checkHealth (): void {
    try {
      const version = schemaVersion(this.#db)
      if (version < 1) throw new Error(`the schema is at version ${version}`)
      this.#healthProbe.get('')
    } catch (error) {
      throw new FixtureError(503, `the database cannot answer: ${(error as Error).message}`)
    }
  }
}

/** The largest page of leads, and the farthest offset: past any table this server could hold, and never a number SQLite refuses. */
const MAX_PAGE = 10_000
const MAX_OFFSET = 1_000_000_000

function wholeNumber (name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new FixtureError(400, `${name} must be a whole number from ${min} to ${max}, got ${String(value)}`)
  }
  return value
}

function seedLeads (seed: Config['seed']): Lead[] {
  if (seed === 'demo') return demoLeads()
  if (seed === 'none') return []
  return seed
}
