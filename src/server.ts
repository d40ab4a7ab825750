import type { FastifyInstance } from 'fastify'
import { buildApp, type AppOptions } from './app.js'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { ConfigError, configFromOptions, type Config, type StartOptions } from './config.js'
import { HttpError } from './errors.js'
import type { JournalEntry } from './journal/journal.js'
import type { LeadPage } from './leads/repository.js'
import type { LeadInput } from './leads/schema.js'
import { TokenLimitReached, type IssuedToken } from './oauth/issuer.js'
import { ScenarioInput, type Scenario } from './scenarios/schema.js'

/**
 * A running leancore-mock: what startServer returns. Every admin operation is a typed method
 * here, working whether or not the HTTP admin API is enabled.
 */
export interface MockServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:54321 */
  readonly url: string
  readonly port: number
  /** The Fastify instance, for `inject` and anything the methods here do not cover */
  readonly app: FastifyInstance
  readonly leads: {
    /** Validates and writes leads (insert, or replace by id), all or nothing; returns how many. Throws LeadValidationError. */
    add: (leads: LeadInput[]) => number
    list: (options?: { ecosystem?: string, limit?: number, offset?: number }) => LeadPage
    /** Deletes every lead, or one ecosystem's; returns how many went. */
    remove: (options?: { ecosystem?: string }) => number
    removeById: (id: string) => boolean
  }
  readonly journal: {
    /** Requests to GET /lead and POST /oauth2/token, oldest first. `token` takes the token or its fingerprint. */
    entries: (filter?: { path?: string, status?: number, token?: string, limit?: number }) => JournalEntry[]
    clear: () => void
  }
  readonly scenarios: {
    /** Throws an error with statusCode 400 when the scenario is invalid. */
    add: (scenario: ScenarioInput) => Scenario
    /** All scenarios, or those of one token */
    list: (token?: string) => Scenario[]
    remove: (id: string) => boolean
    /** Removes every scenario, or one token's; returns how many went. */
    clear: (token?: string) => number
  }
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
  return listen(configFromOptions(options), appOptions)
}

function explainListenError (error: unknown, config: Config): ConfigError {
  const { code, message } = error as { code?: string, message: string }
  if (code === 'EADDRINUSE') {
    return new ConfigError('PORT', `${config.port} is already in use on ${config.host}; stop what uses it or choose another port`)
  }
  return new ConfigError('HOST', `cannot listen on ${config.host} port ${config.port} (${message}); is it an address of this machine?`)
}

let scenarioInput: ReturnType<typeof TypeCompiler.Compile<typeof ScenarioInput>> | undefined

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
  const url = `http://${host}:${address.port}`
  let closing: Promise<void> | undefined
  const { fixture } = app
  return {
    url,
    port: address.port,
    app,
    leads: {
      add: (leads) => fixture.addLeads(leads),
      list: ({ ecosystem, limit = 1000, offset = 0 } = {}) => fixture.listLeads({ ecosystem, limit, offset }),
      remove: ({ ecosystem } = {}) => fixture.removeLeads(ecosystem),
      removeById: (id) => fixture.leads.deleteById(id)
    },
    journal: {
      entries: (filter) => fixture.journalEntries(filter),
      clear: () => fixture.journal.clear()
    },
    scenarios: {
      add: (scenario) => {
        scenarioInput ??= TypeCompiler.Compile(ScenarioInput)
        const error = scenarioInput.Errors(scenario).First()
        if (error !== undefined) throw new HttpError(400, `scenario${error.path}: ${error.message.toLowerCase()}`)
        return fixture.scenarios.add(scenario)
      },
      list: (token) => fixture.scenarios.list(token),
      remove: (id) => fixture.scenarios.remove(id),
      clear: (token) => fixture.scenarios.clear(token)
    },
    issueToken: () => {
      const issued = fixture.issuer.issue()
      if (issued instanceof TokenLimitReached) throw new HttpError(429, issued.message)
      return issued
    },
    reset: () => fixture.reset(),
    close: async () => {
      closing ??= app.close()
      await closing
    }
  }
}
