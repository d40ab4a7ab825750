import type { FastifyInstance } from 'fastify'
import { configFromOptions, type Config, type StartOptions } from './core/config.js'
import { ConfigError } from './core/errors.js'
import type { FixtureJournal, FixtureLeads, FixtureScenarios } from './core/fixture.js'
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
  readonly journal: FixtureJournal
  readonly scenarios: FixtureScenarios
  /** A token from the OAuth endpoint's issuer, as if a client had asked for one. */
  issueToken: () => IssuedToken
  /** Back to a fresh start: the seed's leads, an empty journal, no scenarios. */
  reset: () => void
  /** Stops listening, lets requests in flight finish, closes the database. Safe to call twice. */
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
    journal: fixture.journal,
    scenarios: fixture.scenarios,
    issueToken: () => fixture.issueToken(),
    reset: () => fixture.reset(),
    close: async () => {
      closing ??= app.close()
      await closing
    }
  }
}

function explainListenError (error: unknown, config: Config): ConfigError {
  const { code, message } = error as { code?: string, message: string }
  if (code === 'EADDRINUSE') {
    return new ConfigError('PORT', `${config.port} is already in use on ${config.host}; stop what uses it or choose another port`)
  }
  return new ConfigError('HOST', `cannot listen on ${config.host} port ${config.port} (${message}); is it an address of this machine?`)
}
