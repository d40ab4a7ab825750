import type { FastifyInstance } from 'fastify'
import { configFromOptions, DEV_CLIENT, DEV_TOKEN, type Config, type StartOptions } from './core/config.js'
import { ConfigError } from './core/errors.js'
import type { FixtureJournal, FixtureLeads, FixtureScenarios } from './core/fixture.js'
import type { LeadInput } from './core/leads/schema.js'
import type { SeedInput } from './core/seed-data.js'
import type { FixtureFinancialEntities, FixtureUsers } from './core/space.js'
import type { IssuedToken } from './core/tokens/issuer.js'
import { buildApp, type AppOptions } from './http/app.js'

/**
 * A running leancore-mock: what startServer returns. Every admin operation is a typed method
 * here, working whether or not the HTTP admin API is enabled: the same members the admin API calls.
 */
export interface MockServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:54321 */
  readonly url: string
  readonly port: number
  /** The Fastify instance, for `inject` and anything the methods here do not cover */
  readonly app: FastifyInstance
  readonly leads: FixtureLeads
  /** The financial entities (fintechs) leads are assigned to and become users of */
  readonly financialEntities: FixtureFinancialEntities
  /** The users: leads turned into clients of a financial entity */
  readonly users: FixtureUsers
  readonly journal: FixtureJournal
  readonly scenarios: FixtureScenarios
  /** A token from the OAuth endpoint's issuer, as if a client had asked for one. */
  issueToken: () => IssuedToken
  /** Back to a fresh start: the seed's leads, an empty journal, no scenarios. Sandboxes are left alone. */
  reset: () => void
  /**
   * A sandbox: a private copy of the data, opened by its own token, with its own journal and
   * scenarios. `close()` deletes it. Throws a FixtureError naming a bad option, or MAX_SANDBOXES.
   */
  sandbox: (options?: SandboxOptions) => Promise<MockSandbox>
  /** Stops listening, lets requests in flight finish, closes the database. Safe to call twice. */
  close: () => Promise<void>
}

export interface SandboxOptions {
  /** What it starts with, and what its reset goes back to: 'demo' (the default), 'none', leads, or `{ leads, financialEntities, users }` */
  seed?: 'demo' | 'none' | readonly LeadInput[] | SeedInput
  /** Seconds it lives (3600 by default) */
  ttlSeconds?: number
  /** A label for people */
  name?: string
}

/** A sandbox seen from a test suite: the same members as a MockServer's, for its own data. */
export interface MockSandbox {
  readonly id: string
  /** Opens GET /lead, and this sandbox's admin routes */
  readonly token: string
  /** Its OAuth client: POST /oauth2/token with these gets tokens that open this sandbox */
  readonly clientId: string
  readonly clientSecret: string
  /** ISO 8601 */
  readonly expiresAt: string
  readonly leads: FixtureLeads
  readonly financialEntities: FixtureFinancialEntities
  readonly users: FixtureUsers
  readonly journal: FixtureJournal
  readonly scenarios: FixtureScenarios
  reset: () => void
  /** Deletes the sandbox, its data and its tokens. Safe to call twice. */
  close: () => Promise<void>
}

/**
 * Starts a leancore-mock in this process, by default on a free port of 127.0.0.1 with a private
 * in-memory database holding the demo leads: what a test suite wants from a fixture.
 */
export async function startServer (options: StartOptions = {}, appOptions: AppOptions = {}): Promise<MockServer> {
  return await listen(configFromOptions(options), appOptions)
}

/** Builds the app for `config` and listens. The CLI uses this with a config from the environment. */
export async function listen (config: Config, appOptions: AppOptions = {}): Promise<MockServer> {
  const app = await buildApp(config, appOptions)
  warnOfDevelopmentCredentials(app, config)
  try {
    await app.listen({ port: config.port, host: config.host })
  } catch (error) {
    await app.close()
    throw explainListenError(error, config)
  }
  const address = app.server.address() as { address: string, port: number, family: string }
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const { fixture } = app
  let closing: Promise<void> | undefined
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    app,
    leads: fixture.leads,
    financialEntities: fixture.shared.financialEntities,
    users: fixture.shared.users,
    journal: fixture.journal,
    scenarios: fixture.scenarios,
    issueToken: () => fixture.issueToken(),
    reset: () => fixture.reset(),
    sandbox: async (options = {}) => {
      const { space, ...created } = fixture.sandboxes.create(options)
      return {
        ...created,
        leads: space.leads,
        financialEntities: space.financialEntities,
        users: space.users,
        journal: space.journal,
        scenarios: space.scenarios,
        reset: () => space.reset(),
        close: async () => { await fixture.sandboxes.delete(created.id) }
      }
    },
    close: async () => {
      closing ??= app.close()
      await closing
    }
  }
}

/**
 * The development token and client are in the README: on an address other machines reach, anyone
 * who read it gets in. Say so at start, naming the settings (the values are no secret).
 */
function warnOfDevelopmentCredentials (app: FastifyInstance, config: Config): void {
  if (/^(127\.|localhost$|::1$|\[::1\]$)/.test(config.host)) return
  const active = [
    ...config.tokens.includes(DEV_TOKEN) ? ['API_TOKENS holds the development token'] : [],
    ...config.oauthClients.some(({ id, secret }) => id === DEV_CLIENT.id && secret === DEV_CLIENT.secret) ? [`OAUTH_CLIENTS holds the development client ${DEV_CLIENT.id}`] : []
  ]
  if (active.length > 0) {
    app.log.warn({ host: config.host }, `listening on ${config.host}, which other machines may reach, while ${active.join(' and ')}, published in the README: set your own before anyone else can reach it`)
  }
}

function explainListenError (error: unknown, config: Config): ConfigError {
  const { code, message } = error as { code?: string, message: string }
  if (code === 'EADDRINUSE') {
    return new ConfigError('PORT', `${config.port} is already in use on ${config.host}; stop what uses it or choose another port`)
  }
  return new ConfigError('HOST', `cannot listen on ${config.host} port ${config.port} (${message}); is it an address of this machine?`)
}
