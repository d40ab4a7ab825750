import type { FastifyInstance } from 'fastify'
import { buildApp, type AppOptions } from './app.js'
import { ConfigError, configFromOptions, type Config, type StartOptions } from './config.js'

/** A running leancore-mock: what startServer returns. */
export interface MockServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:54321 */
  readonly url: string
  readonly port: number
  /** The Fastify instance, for `inject` and anything the methods here do not cover */
  readonly app: FastifyInstance
  /** Leads back to the seed state. */
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
  return {
    url,
    port: address.port,
    app,
    reset: () => app.fixture.reset(),
    close: async () => {
      closing ??= app.close()
      await closing
    }
  }
}
