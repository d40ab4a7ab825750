import { rmSync } from 'node:fs'
import type { Database, Statement } from 'better-sqlite3'
import { demoFinancialEntities, demoLeads, demoUsers } from '../../seed/demo.js'
import { SETTINGS, type Config } from './config.js'
import { migrate, schemaVersion } from './db/migrate.js'
import { explain, MEMORY, openDatabase } from './db/open.js'
import { FixtureError } from './errors.js'
import { FinancialEntityRepository } from './financial-entities/repository.js'
import { LeadRepository } from './leads/repository.js'
import { EMPTY_SEED, writeSeed, type Repositories, type SeedData } from './seed-data.js'
import { UserRepository } from './users/repository.js'
import { Sandboxes } from './sandboxes/sandboxes.js'
import type { CreatedSandbox, Sandbox } from './sandboxes/schema.js'
import { JournalBudget, type WatchedEntry } from './journal/journal.js'
import { BulkRunner } from './bulk/runner.js'
import { Space, type FixtureJournal, type FixtureLeads, type FixtureScenarios, type SpaceOptions } from './space.js'
import { TokenIssuer, type IssuedToken } from './tokens/issuer.js'
import { Scrubber } from './tokens/scrubber.js'
import type { TokenDigest } from './tokens/token.js'
import { TokenSet } from './tokens/token-set.js'

export type { FixtureJournal, FixtureLeads, FixtureScenarios } from './space.js'

// The demo data, built once per process and only read: every fixture of a test suite seeds it.
let demo: SeedData | undefined
const demoSeed = (): SeedData => (demo ??= { leads: demoLeads(), financialEntities: demoFinancialEntities(), users: demoUsers() })

// A new in-memory database (what startServer() gives a test by default) is a copy of one migrated
// and seeded once per process: doing that again for every server would be most of its start.
const freshImages = new Map<'demo' | 'none', Buffer>()

export interface FixtureOptions {
  /** The clock that issued tokens and sandboxes expire by; tests move it instead of waiting. */
  now?: () => number
}

/** The sandboxes of a fixture, as a test suite or the admin API manages them. */
export interface FixtureSandboxes {
  /** Validates the options and creates a sandbox; throws a FixtureError naming the mistake, or MAX_SANDBOXES (409). */
  create: (options?: { seed?: 'demo' | 'none' | readonly unknown[] | object, ttlSeconds?: number, name?: string }) => CreatedSandbox & { space: Space }
  list: () => Sandbox[]
  get: (id: string) => Sandbox | undefined
  /** Deletes a sandbox, its leads and its tokens; resolves false when there is none by that id. */
  delete: (id: string) => Promise<boolean>
}

/**
 * Which token opens what. `api`: GET /lead (an API token, an issued token, a sandbox token).
 * `space`: the admin routes about one space's data (the admin token for the shared data, a
 * sandbox's token for its own). `admin`: the rest of the admin API (the admin token only).
 */
/** Live journal streams (GET /__admin/journal/stream) one space may hold open @internal */
export const MAX_JOURNAL_STREAMS_PER_SPACE = 4
/** Live journal streams the whole server holds open @internal */
export const MAX_JOURNAL_STREAMS = 32

export type Role = 'api' | 'space' | 'admin'

/**
 * The fixture's state: the leads in SQLite, the request journals, the scenarios, the tokens, the
 * sandboxes. It is the only door to that state. Its first members (leads, journal, scenarios,
 * issueToken, reset, close, and sandboxes) are what startServer() hands a test suite and what the
 * admin API uses; the rest is what the LeanCore routes need to answer a request.
 */
export class Fixture {
  readonly leads: FixtureLeads
  readonly journal: FixtureJournal
  readonly scenarios: FixtureScenarios
  readonly sandboxes: FixtureSandboxes
  /** The data the configured API tokens open, and that requests without a valid token are journaled in */
  readonly shared: Space
  /** The database got the seed on this start (it was new, or --fresh); false when an existing one was kept as it was */
  readonly seeded: boolean
  /** What the journal and the server's log lines are cleared of secrets with */
  readonly scrubber: Scrubber
  readonly #sandboxes: Sandboxes
  readonly #issuer: TokenIssuer
  readonly #apiTokens: TokenSet
  readonly #adminTokens: TokenSet
  readonly #configuredClients: Set<string>
  readonly #db: Database
  readonly #healthProbe: Statement<[string], unknown>
  readonly #runner: BulkRunner
  readonly #journalBudget: JournalBudget
  /** How many live journal streams each space has open */
  readonly #watching = new Map<Space, number>()

  readonly #now: () => number

  constructor (config: Config, options: FixtureOptions = {}) {
    const now = this.#now = options.now ?? Date.now
    // Only the built-in default directory is created: a path the user typed that does not
    // exist is more likely a typo or a missing volume than a wish.
    const { seed } = config
    const imageKey = config.databasePath === MEMORY && typeof seed === 'string' ? seed : undefined
    const image = imageKey === undefined ? undefined : freshImages.get(imageKey)
    // --fresh: the file goes, and the seed is written into a new one.
    if (config.fresh && config.databasePath !== MEMORY) for (const suffix of ['', '-wal', '-shm']) rmSync(`${config.databasePath}${suffix}`, { force: true })
    this.#db = openDatabase(image ?? config.databasePath, { createDirectory: config.databasePath === SETTINGS.databasePath.default })
    const scrubber = this.scrubber = new Scrubber(config)
    const spaceOptions: SpaceOptions = {
      journal: { capacity: config.journalSize, maxBytes: config.journalBytes },
      journalBudget: this.#journalBudget = new JournalBudget(config.journalTotalBytes),
      scrub: (text: string) => scrubber.scrub(text),
      limits: config
    }
    const sharedSeed = seed === 'demo' ? demoSeed : () => seed === 'none' ? EMPTY_SEED : seed
    try {
      // A copied image is at the newest version already: nothing to apply, so nothing is seeded.
      const applied = migrate(this.#db)
      const limits = { maxLeads: config.maxLeadsPerSandbox, maxBytes: config.maxSandboxBytes }
      const repository = new LeadRepository(this.#db, limits)
      const repositories: Repositories = { leads: repository, financialEntities: new FinancialEntityRepository(this.#db), users: new UserRepository(this.#db) }
      this.shared = new Space(0, repositories, sharedSeed, spaceOptions)
      // A new database gets the seed. One made before the lifecycle (migration 5) gets the demo
      // seed's financial entities and users, if it has the demo seed: its leads are left as they are.
      this.seeded = image !== undefined || applied.includes(1)
      if (applied.includes(1)) repository.write(0, () => writeSeed(repositories, 0, this.shared.seed(), false))
      else if (applied.includes(5) && seed === 'demo') repository.write(0, () => writeSeed(repositories, 0, { ...demoSeed(), leads: [] }, false))
      if (imageKey !== undefined && image === undefined) freshImages.set(imageKey, this.#db.serialize())
      this.#sandboxes = new Sandboxes(this.#db, repositories, {
        maxSandboxes: config.maxSandboxes,
        now,
        demo: demoSeed,
        space: spaceOptions,
        // Stryker disable next-line ArrowFunction: equivalent for every client, a deleted sandbox's tokens open nothing (no sandbox answers to their client); revoking frees their memory
        forgetClient: (clientId) => this.#issuer.revoke(clientId),
        purge: async (key) => await this.#runner.run({ kind: 'purge', space: key })
      })
      // A file can be opened by a second connection, the bulk worker's; an in-memory database cannot.
      this.#runner = spaceOptions.runner = new BulkRunner(
        { db: this.#db, repositories, sandboxes: this.#sandboxes.writer, sharedSeed },
        this.#db.memory ? undefined : { databasePath: config.databasePath, limits, maxSandboxes: config.maxSandboxes, sharedSeed: seed }
      )
      this.#sandboxes.start()
      // One read through the ecosystem index: SELECT 1 alone would never touch the file.
      this.#healthProbe = this.#db.prepare('SELECT seq FROM leads WHERE sandbox = 0 AND ecosystem = ? LIMIT 1')
    } catch (error) {
      this.#db.close()
      throw explain(error, config.databasePath)
    }
    this.#issuer = new TokenIssuer(config.oauthClients, config.tokenTtl, config.maxTokensPerClient, now,
      (clientId) => this.#sandboxes.clientSecret(clientId))
    this.#configuredClients = new Set(config.oauthClients.map((client) => client.id))
    this.#apiTokens = new TokenSet(config.tokens)
    this.#adminTokens = new TokenSet(config.adminToken === undefined ? [] : [config.adminToken])
    this.leads = this.shared.leads
    this.journal = this.shared.journal
    this.scenarios = this.shared.scenarios
    const sandboxes = this.#sandboxes
    this.sandboxes = {
      create: (input) => sandboxes.create(input),
      list: () => sandboxes.list(),
      get: (id) => sandboxes.get(id),
      delete: (id) => sandboxes.delete(id)
    }
  }

  /** A token from the OAuth endpoint's issuer, as if a client had asked for one. Throws TokenLimitReached past MAX_TOKENS_PER_CLIENT. */
  issueToken (): IssuedToken {
    return this.#issuer.issue()
  }

  /** Back to the state of a fresh start: the seed's leads, an empty journal, no scenarios. Sandboxes are left alone. */
  reset (): void {
    this.shared.reset()
  }

  /**
   * Tells `watcher` of every journal entry as it is kept: the shared data's and every sandbox's when
   * `space` is the shared data (the admin token), one sandbox's own otherwise. Each is a live stream
   * a client holds open, so they are counted: MAX_JOURNAL_STREAMS_PER_SPACE per space and
   * MAX_JOURNAL_STREAMS in all, past which it throws a FixtureError (429). When the space goes away
   * (its sandbox deleted or expired) the watch stops and `gone` is called. Returns the call that stops it.
   */
  watchJournal (space: Space, watcher: (entry: WatchedEntry) => void, gone: () => void): () => void {
    const open = this.#watching.get(space) ?? 0
    const { watchers } = this.#journalBudget
    if (open >= MAX_JOURNAL_STREAMS_PER_SPACE) throw new FixtureError(429, `the data this token opens (the shared data, or its sandbox) has ${open} journal streams open, the most it may; close one first`)
    if (watchers.size >= MAX_JOURNAL_STREAMS) throw new FixtureError(429, `the server has ${watchers.size} journal streams open, the most it keeps; try again later`)
    const { sandbox } = space
    const watch = space === this.shared ? watcher : (entry: WatchedEntry): void => { if (entry.sandbox === sandbox) watcher(entry) }
    watchers.add(watch)
    this.#watching.set(space, open + 1)
    let stopped = false
    const stop = (): void => {
      if (stopped) return
      stopped = true
      forget()
      watchers.delete(watch)
      const left = (this.#watching.get(space) as number) - 1
      if (left === 0) this.#watching.delete(space)
      else this.#watching.set(space, left)
    }
    // A sandbox deleted or expired: its streams end, and give their places back.
    const forget = space.whenReleased(() => {
      stop()
      gone()
    })
    return stop
  }

  /** Stops the bulk worker once its jobs are done, then closes the database. Safe to call twice. */
  async close (): Promise<void> {
    await this.#runner.close()
    this.#db.close()
  }

  /** A sandbox from the bytes of POST /__admin/sandboxes (its seed may be 32 MiB): written off the event loop on a file. */
  async createSandbox (body: Uint8Array): Promise<CreatedSandbox & { space: Space }> {
    return this.#sandboxes.adopt(await this.#runner.run({ kind: 'create-sandbox', body, now: this.#now() }))
  }

  // What the LeanCore routes need to answer a request.

  /** The data a token opens in a role, or undefined when it opens nothing there (see Role). */
  open (role: Role, token: TokenDigest): Space | undefined {
    if (role !== 'api') {
      if (this.#adminTokens.has(token)) return this.shared
      return role === 'space' ? this.#sandboxes.byToken(token) : undefined
    }
    if (this.#apiTokens.has(token)) return this.shared
    const issued = this.#issuer.issued(token)
    if (issued === undefined) return this.#sandboxes.byToken(token)
    if (issued.client === undefined || this.#configuredClients.has(issued.client)) return this.shared
    return this.#sandboxes.byClient(issued.client)
  }

  /**
   * The space a request acts on: the one its token opened or, when `sandbox` names one, that
   * sandbox's, which only the admin token may ask for. Throws a FixtureError (400, 404) otherwise.
   */
  spaceFor (opened: Space, sandbox: string | undefined): Space {
    if (sandbox === undefined) return opened
    if (opened !== this.shared) throw new FixtureError(400, "sandbox= is for the admin token; a sandbox's token acts on its own sandbox")
    const space = this.#sandboxes.byId(sandbox)
    if (space === undefined) throw new FixtureError(404, `no sandbox has id ${sandbox}`)
    return space
  }

  /** Whether a token the server refused is one it issued that has expired, for the journal's reason */
  tokenExpired (token: TokenDigest): boolean {
    return this.#issuer.expired(token)
  }

  /** Whether an OAuth client's secret is right (a configured client, or a sandbox's), checked in constant time */
  authenticateClient (clientId: string, secret: string): boolean {
    return this.#issuer.authenticate(clientId, secret)
  }

  /** A token for an OAuth client; throws TokenLimitReached past MAX_TOKENS_PER_CLIENT. */
  issueTokenTo (clientId: string): IssuedToken {
    return this.#issuer.issue(clientId)
  }

  /** Throws a FixtureError (503) naming the problem when the database cannot answer. */
  checkHealth (): void {
    try {
      const version = schemaVersion(this.#db)
      if (version < 1) throw new Error(`the schema is at version ${version}`)
      // Stryker disable next-line StringLiteral: equivalent, any ecosystem makes SQLite read the index; none is needed to find one
      this.#healthProbe.get('')
    } catch (error) {
      throw new FixtureError(503, `the database cannot answer: ${(error as Error).message}`)
    }
  }
}
