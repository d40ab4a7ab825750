import type { Database } from 'better-sqlite3'
import { demoLeads } from '../seed/demo.js'
import { SETTINGS, type Config } from './config.js'
import { TokenSet } from './auth/token-set.js'
import { migrate } from './db/migrate.js'
import { explain, openDatabase } from './db/open.js'
import { LeadRepository } from './leads/repository.js'
import type { Lead } from './leads/schema.js'

/**
 * The state behind the routes: the database and what the tests that use this server as a
 * fixture load, inspect and reset. The HTTP admin API and the programmatic API are two doors
 * to this one object.
 */
export class Fixture {
  readonly leads: LeadRepository
  readonly apiTokens: TokenSet
  readonly #db: Database
  readonly #config: Config

  constructor (config: Config) {
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
    this.apiTokens = new TokenSet(config.tokens)
  }

  /** Whether GET /lead accepts this bearer token. */
  acceptsApiToken (token: string): boolean {
    return this.apiTokens.has(token)
  }

  get database (): Database {
    return this.#db
  }

  /** Back to the state of a fresh start: the seed's leads and nothing else. */
  reset (): void {
    this.leads.replaceAll(seedLeads(this.#config.seed))
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
