import type { BulkRunner } from './bulk/runner.js'
import { FixtureError } from './errors.js'
import { Journal, type JournalBudget, type JournalEntry, type JournalFilter, type JournalLimits, type JournalRecord } from './journal/journal.js'
import { ORDERS, type EcosystemCount, type LeadOrder, type LeadPage, type LeadRepository } from './leads/repository.js'
import type { Lead, LeadExtra, LeadInput } from './leads/schema.js'
import { normalizeEcosystem, validateLeads } from './leads/validate.js'
import { LeadWriter, type LeadChanges, type NewLead } from './leads/writes.js'
import { ScenarioBook, type ScenarioAction, type ScenarioLimits, type ScenarioRequest } from './scenarios/scenario-book.js'
import type { Scenario, ScenarioInput } from './scenarios/schema.js'
import type { BulkTable } from './bulk/jobs.js'
import type { FinancialEntity, FinancialEntityUser } from './financial-entities/schema.js'
import { validateFinancialEntities } from './financial-entities/validate.js'
import { writeSeed, type Repositories, type SeedData } from './seed-data.js'
import { Lifecycle, type LifecycleRequest, type UserChanges } from './users/lifecycle.js'
import type { StoredUser, UserInput } from './users/schema.js'
import { validateUsers } from './users/validate.js'

/** The leads a fixture holds: what a test loads, lists and removes. */
export interface FixtureLeads {
  /** Validates and writes leads (insert, or replace by id), all or nothing; returns how many. Throws LeadValidationError. */
  add: (leads: readonly LeadInput[]) => number
  /** A page of leads, all or one ecosystem's (any spelling of its UUID), in stored order */
  list: (options?: { ecosystem?: string | undefined, search?: string | undefined, sort?: LeadOrder | undefined, limit?: number | undefined, offset?: number | undefined }) => LeadPage
  /** Each ecosystem that has leads, with how many */
  ecosystems: () => EcosystemCount[]
  /** Deletes every lead, or one ecosystem's; returns how many went. */
  remove: (options?: { ecosystem?: string | undefined }) => number
  removeById: (id: string) => boolean
}

/** The financial entities (fintechs) a fixture holds, keyed by uid: what a test loads, lists and removes. */
export interface FixtureFinancialEntities {
  /** Validates and writes financial entities (insert, or replace by uid), all or nothing; returns how many. Throws LeadValidationError. */
  add: (entities: readonly FinancialEntity[]) => number
  /** A page, all or one ecosystem's, in stored order */
  list: (options?: { ecosystem?: string | undefined, limit?: number | undefined, offset?: number | undefined }) => { total: number, financialEntities: FinancialEntity[] }
  /** Deletes every one, or one ecosystem's; returns how many went. */
  remove: (options?: { ecosystem?: string | undefined }) => number
  removeById: (uid: string) => boolean
}

/** The users (leads turned into clients) a fixture holds: what a test loads, lists and removes. */
export interface FixtureUsers {
  /** Validates and writes users (insert, or replace by id), all or nothing; returns how many. Throws LeadValidationError. */
  add: (users: readonly UserInput[]) => number
  /** A page, all or one ecosystem's, in the order they were made */
  list: (options?: { ecosystem?: string | undefined, limit?: number | undefined, offset?: number | undefined }) => { total: number, users: StoredUser[] }
  /** Deletes every one, or one ecosystem's; returns how many went. */
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

/** What the admin API and the write routes do with what grows with a client's input; off the event loop on a database file. */
export interface SpaceBulk {
  /** A JSON array of leads (financial entities, users), as bytes: validated and added or replaced, all or nothing; how many */
  load: (table: BulkTable, body: Uint8Array) => Promise<number>
  /** create-lead?bulk-load=true's body, as bytes: the new leads, with lead_status, as JSON */
  createLeads: (body: Uint8Array) => Promise<Uint8Array>
  /** Back to the seed's data, an empty journal, no scenarios; how many leads */
  reset: () => Promise<number>
  /** Every lead (financial entity, user), or one ecosystem's (any spelling of its UUID); how many went */
  remove: (table: BulkTable, ecosystem?: string) => Promise<number>
  /** An ecosystem's leads (`ecosystem` already normalized), serialized as GET /lead answers them */
  read: (ecosystem: string) => Promise<Uint8Array>
  /** Runs a write of the server's own connection when no bulk job is under way */
  exclusive: <T>(write: () => T) => Promise<T>
}

export interface SpaceOptions {
  /** JOURNAL_SIZE and JOURNAL_BYTES: what each space's journal keeps */
  journal: JournalLimits
  /** JOURNAL_TOTAL_BYTES: what all the journals keep together */
  journalBudget: JournalBudget
  /** Clears secrets out of text a client wrote, before the journal keeps it */
  scrub: (text: string) => string
  /** The scenario limits, each space's own */
  limits: ScenarioLimits
  /** Where the bulk jobs run; set once the fixture has made it (spaces are made before and after) */
  runner?: BulkRunner
}

/** The largest page of leads, and the farthest offset: past any table this server could hold, and never a number SQLite refuses. */
const MAX_PAGE = 10_000
const MAX_OFFSET = 1_000_000_000

/**
 * One set of data and everything about it: the shared data that the configured API tokens open, or
 * one sandbox. Its leads (its rows in SQLite), its own journal and scenarios, and what a reset goes
 * back to. The first four members are the facade a test suite and the admin API use; the rest is
 * what the LeanCore routes need to answer a request.
 */
export class Space {
  readonly leads: FixtureLeads
  readonly financialEntities: FixtureFinancialEntities
  readonly users: FixtureUsers
  readonly journal: FixtureJournal
  readonly scenarios: FixtureScenarios
  readonly bulk: SpaceBulk
  readonly #repository: LeadRepository
  readonly #repositories: Repositories
  readonly #journal: Journal
  readonly #scenarios: ScenarioBook
  readonly #writer: LeadWriter
  readonly #lifecycle: Lifecycle
  /** Who wants to know when the space goes away (its live journal streams) */
  readonly #onRelease = new Set<() => void>()

  /**
   * `key` is the sandbox column of its rows (0 for the shared data); `seed` is what reset() writes;
   * `sandbox` is the sandbox's id (null for the shared data).
   */
  constructor (readonly key: number, repositories: Repositories, readonly seed: () => SeedData, options: SpaceOptions, readonly sandbox: string | null = null) {
    const repository = this.#repository = repositories.leads
    this.#repositories = repositories
    this.#writer = new LeadWriter(repository, key)
    this.#lifecycle = new Lifecycle(repositories, key)
    this.#journal = new Journal(options.journal, options.scrub, options.journalBudget, sandbox)
    this.#scenarios = new ScenarioBook(options.limits)
    this.leads = {
      add: (leads) => repository.upsert(key, validateLeads(leads)),
      list: ({ ecosystem, search, sort, limit = 1000, offset = 0 } = {}) => repository.page(key, {
        ecosystem: ecosystem === undefined ? undefined : normalizeEcosystem(ecosystem),
        search: search === undefined || search === '' ? undefined : searchText(search),
        sort: sort === undefined ? undefined : order(sort),
        limit: wholeNumber('limit', limit, 1, MAX_PAGE),
        offset: wholeNumber('offset', offset, 0, MAX_OFFSET)
      }),
      remove: ({ ecosystem } = {}) => ecosystem === undefined ? repository.deleteAll(key) : repository.deleteEcosystem(key, normalizeEcosystem(ecosystem)),
      removeById: (id) => repository.deleteById(key, id),
      ecosystems: () => repository.ecosystems(key)
    }
    const { financialEntities, users } = repositories
    const page = ({ ecosystem, limit = 1000, offset = 0 }: { ecosystem?: string | undefined, limit?: number | undefined, offset?: number | undefined }) => ({
      ecosystem: ecosystem === undefined ? undefined : normalizeEcosystem(ecosystem),
      limit: wholeNumber('limit', limit, 1, MAX_PAGE),
      offset: wholeNumber('offset', offset, 0, MAX_OFFSET)
    })
    // One write transaction each, in the space's limits, like the leads'.
    this.financialEntities = {
      add: (entities) => repository.write(key, () => financialEntities.upsertAll(key, validateFinancialEntities(entities))),
      list: (options = {}) => financialEntities.page(key, page(options)),
      remove: ({ ecosystem } = {}) => repository.write(key, () => financialEntities.deleteAll(key, ecosystem === undefined ? undefined : normalizeEcosystem(ecosystem))),
      removeById: (uid) => repository.write(key, () => financialEntities.deleteByUid(key, uid))
    }
    this.users = {
      add: (added) => repository.write(key, () => users.upsertAll(key, validateUsers(added))),
      list: (options = {}) => users.page(key, page(options)),
      remove: ({ ecosystem } = {}) => repository.write(key, () => users.deleteAll(key, ecosystem === undefined ? undefined : normalizeEcosystem(ecosystem))),
      removeById: (id) => repository.write(key, () => users.deleteById(key, id))
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
    const runner = (): BulkRunner => options.runner as BulkRunner
    // A job on another connection: the next read here must not be served from a cache.
    const written = async <T>(job: Promise<T>): Promise<T> => {
      try {
        return await job
      } finally {
        repository.noteWrite(key)
      }
    }
    this.bulk = {
      load: async (table, body) => await written(runner().run({ kind: 'load', table, space: key, body })),
      createLeads: async (body) => await written(runner().run({ kind: 'create-leads', space: key, body })),
      reset: async () => {
        const leads = await written(runner().run({ kind: 'reset', space: key }))
        this.#journal.clear()
        this.#scenarios.clear()
        return leads
      },
      remove: async (table, ecosystem) => await written(runner().run({ kind: 'remove', table, space: key, ecosystem: ecosystem === undefined ? undefined : normalizeEcosystem(ecosystem) })),
      read: async (ecosystem) => await runner().run({ kind: 'read', space: key, ecosystem }),
      exclusive: async (write) => await runner().exclusive(write)
    }
  }

  /** Back to the state of a fresh start: the seed's leads, financial entities and users, an empty journal, no scenarios. */
  reset (): void {
    this.#repository.write(this.key, () => writeSeed(this.#repositories, this.key, this.seed(), true))
    this.#journal.clear()
    this.#scenarios.clear()
  }

  /** Changes whenever these leads may have changed: what a cached response body is valid for. */
  generation (): number {
    return this.#repository.generation(this.key)
  }

  /** How many leads an ecosystem has; `ecosystem` already normalized. */
  countOfEcosystem (ecosystem: string): number {
    return this.#repository.countOfEcosystem(this.key, ecosystem)
  }

  /** An ecosystem's leads in stored order; `ecosystem` already normalized. */
  leadsOfEcosystem (ecosystem: string): Lead[] {
    return this.#repository.byEcosystem(this.key, ecosystem)
  }

  leadWithPhone (phone: string): Lead | undefined {
    return this.#repository.byPhone(this.key, phone)
  }

  leadById (id: string): Lead | undefined {
    return this.#repository.byId(this.key, id)
  }

  /** What the write routes were given beyond a lead's 18 keys (incomes, expenses, ...): kept, never listed */
  leadExtra (id: string): LeadExtra | undefined {
    return this.#repository.extraOf(this.key, id)
  }

  leadWithNit (nit: string): Lead | undefined {
    return this.#repository.byNit(this.key, nit)
  }

  /** POST /create-lead: new leads (see readNewLeads), all or nothing; a NIT or phone taken in the ecosystem is a 400. */
  createLeads (leads: readonly NewLead[]): Lead[] {
    return this.#writer.create(leads)
  }

  /** POST /update-lead (see readLeadChanges): 404 for an unknown id, 400 for a NIT or phone taken. */
  updateLead (changes: LeadChanges): Lead {
    return this.#writer.update(changes)
  }

  /** POST /assign-lead-to-financial-entity: the lead, its status as it was */
  assignLead (request: LifecycleRequest): Lead {
    return this.#lifecycle.assign(request)
  }

  /** POST /turn-lead-into-client: the lead becomes a user of the entity, in one transaction */
  convertLead (request: LifecycleRequest): StoredUser {
    return this.#lifecycle.convert(request)
  }

  /** POST /update-user */
  updateUser (changes: UserChanges): StoredUser {
    return this.#lifecycle.update(changes)
  }

  userById (id: string): StoredUser | undefined {
    return this.#repositories.users.byId(this.key, id)
  }

  userWithNit (nit: string): StoredUser | undefined {
    return this.#repositories.users.byNit(this.key, nit)
  }

  financialEntity (uid: string): FinancialEntity | undefined {
    return this.#repositories.financialEntities.byUid(this.key, uid)
  }

  /** GET /financial-entity-users: a page of an entity's users, and how many it has */
  financialEntityUsers (uid: string, limit: number, offset: number): { size: number, data: FinancialEntityUser[] } {
    return this.#repositories.financialEntities.users(this.key, uid, limit, offset)
  }

  /** Where a lead is on its way: the financial entity it is assigned to, if it is */
  leadAssignment (id: string): string | undefined {
    return this.#repository.assignedTo(this.key, id)
  }

  /** The scenario that applies to a request, counted as used; undefined when none does. */
  scenarioFor (request: ScenarioRequest): ScenarioAction | undefined {
    return this.#scenarios.take(request)
  }

  record (request: JournalRecord): void {
    this.#journal.record(request)
  }

  /** Gives its journal's bytes back to the overall budget, and drops its scenarios: the space is going away. */
  release (): void {
    this.#scenarios.clear()
    this.#journal.release()
    for (const gone of this.#onRelease) gone()
    this.#onRelease.clear()
  }

  /** Calls `gone` when the space goes away (its sandbox deleted or expired); returns the call that forgets it. */
  whenReleased (gone: () => void): () => void {
    this.#onRelease.add(gone)
    return () => { this.#onRelease.delete(gone) }
  }
}

/** What a search of the leads looks for: some text, not a novel */
const MAX_SEARCH = 200

function searchText (value: string): string {
  // A control character (NUL above all, which ends a LIKE pattern early) is in no lead's text.
  if (typeof value !== 'string' || value.length > MAX_SEARCH || /\p{Cc}/u.test(value)) throw new FixtureError(400, `search must be text of at most ${MAX_SEARCH} characters, without control characters`)
  return value
}

function order (value: string): LeadOrder {
  if (!Object.hasOwn(ORDERS, value)) throw new FixtureError(400, `sort must be one of ${Object.keys(ORDERS).join(', ')}, got ${JSON.stringify(value)}`)
  return value as LeadOrder
}

function wholeNumber (name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new FixtureError(400, `${name} must be a whole number from ${min} to ${max}, got ${String(value)}`)
  }
  return value
}
