import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import fastifyCors from '@fastify/cors'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifySchemaValidationError } from 'fastify'
import type { DestinationStream } from 'pino'
import type { Config } from './config.js'
import { errorBody, errorHandler, HttpError, HttpErrorBody } from './errors.js'
import { Fixture, type FixtureOptions } from './fixture.js'
import { healthRoutes } from './health.js'
import { adminRoutes } from './admin/routes.js'
import { leadRoutes } from './leads/routes.js'
import { OAuthError, oauthRoutes } from './oauth/routes.js'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE, Lead, PHONE_PATTERN } from './leads/schema.js'
import { loggerOptions, requestLogger } from './log.js'
import { Scrubber } from './secrets.js'
import { openapi } from './openapi.js'
import { SECURITY_HEADERS, securityHeaders } from './security-headers.js'

declare module 'fastify' {
  interface FastifyInstance {
    fixture: Fixture
  }
}

export interface AppOptions extends FixtureOptions {
  /** Where log lines go; standard output when left out. */
  logStream?: DestinationStream
}

/** Longer URLs get a 414 before any routing. Node itself answers 431 past 16 KiB of headers. */
export const MAX_URL_LENGTH = 8192

/**
 * The whole server as a Fastify instance, not listening: tests `inject` into it, startServer
 * listens with it. Takes a validated Config and never reads the environment.
 */
export async function buildApp (config: Config, options: AppOptions = {}): Promise<FastifyInstance> {
  const fixture = new Fixture(config, options)
  const scrubber = new Scrubber(config)
  const logRequest = requestLogger(scrubber)
  const app = Fastify({
    logger: loggerOptions(config, scrubber, options.logStream),
    // One line per request, written by logRequest, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // During shutdown a request on a kept-alive connection is still served (with Connection:
    // close), so that in-flight work completes instead of turning into 503s.
    return503OnClosing: false,
    // A URL Fastify cannot decode. This path skips every hook, so it sets the headers and
    // writes the log line itself, to look like any other 400.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      void reply.headers(SECURITY_HEADERS).code(400).send(errorBody(400, error.message))
      logRequest(request, reply, () => {})
    },
    // A misspelled field in a scenario must be an error, not silently dropped (Fastify's default).
    // The schemas come from TypeBox, so checking them against the JSON Schema meta-schema only
    // costs start-up time (a fifth of it).
    ajv: { customOptions: { removeAdditional: false, validateSchema: false } },
    schemaErrorFormatter,
    // A slow client (a body sent a byte a second) gets 408 instead of holding its connection.
    requestTimeout: config.requestTimeout * 1000,
    http: {
      requestTimeout: config.requestTimeout * 1000,
      headersTimeout: config.requestTimeout * 1000,
      // Node looks for timed-out requests this often (30 s by default, longer than the timeout).
      connectionsCheckingInterval: Math.min(1000, config.requestTimeout * 500)
    },
    clientErrorHandler: clientError(config)
  }).withTypeProvider<TypeBoxTypeProvider>()
  capConnections(app, config)
  app.addHook('onClose', async () => fixture.close())
  // Once closing starts, every response still to be sent tells its client to hang up, so that
  // keep-alive connections end with the requests in flight instead of holding the close open.
  let closing = false
  app.addHook('preClose', async () => { closing = true })
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close')
    done(null, payload)
  })
  app.decorate('fixture', fixture)
  app.decorateRequest('tokenDigest', undefined)
  app.decorateRequest('oauthClient', undefined)
  app.decorateRequest('scenario', undefined)
  app.addSchema(Lead)
  app.addSchema(HttpErrorBody)
  app.addSchema(OAuthError)
  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler(async (request, reply) => {
    return reply.code(404).send(errorBody(404, `Route ${request.method}:${request.url} not found`))
  })
  app.addHook('onRequest', (request, _reply, done) => {
    done(request.url.length > MAX_URL_LENGTH ? new HttpError(414, `the URL is longer than ${MAX_URL_LENGTH} characters`) : undefined)
  })
  app.addHook('onRequest', securityHeaders)
  app.addHook('onResponse', logRequest)
  // strictPreflight off: an OPTIONS without preflight headers gets an empty 204, not a text/plain 400.
  await app.register(fastifyCors, { origin: config.corsOrigin === true ? '*' : config.corsOrigin, maxAge: 600, strictPreflight: false })
  openapi(app)
  await app.register(healthRoutes)
  await app.register(leadRoutes)
  await app.register(oauthRoutes)
  if (config.adminToken !== undefined) await app.register(adminRoutes, { prefix: '/__admin' })
  await app.ready()
  return app
}

const OVER_CAPACITY = Symbol('over capacity')

/**
 * MAX_CONNECTIONS: a connection past it gets a 429 naming the setting on its first request, and is
 * closed. Past twice the cap Node closes new connections at once, as it cannot answer them all.
 */
function capConnections (app: FastifyInstance, config: Config): void {
  let open = 0
  app.server.maxConnections = config.maxConnections * 2
  app.server.on('connection', (socket: Socket & { [OVER_CAPACITY]?: true }) => {
    open++
    socket.once('close', () => { open-- })
    if (open <= config.maxConnections) return
    socket[OVER_CAPACITY] = true
    socket.setTimeout(config.requestTimeout * 1000, () => socket.destroy())
  })
  app.addHook('onRequest', (request, reply, done) => {
    if ((request.raw.socket as Socket & { [OVER_CAPACITY]?: true })[OVER_CAPACITY] !== true) return done()
    void reply.header('connection', 'close').header('retry-after', '1')
    done(new HttpError(429, `more than MAX_CONNECTIONS (${config.maxConnections}) connections are open; close some, or retry later`))
  })
}

/**
 * What a client gets for bytes that never became a request (a timeout, headers too large, not
 * HTTP): JSON like every other error. The log line names the problem only: the raw bytes Node
 * attaches to the error hold the request's headers, tokens included.
 */
function clientError (config: Config) {
  return function (this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return
    const [status, message] = error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, `the request did not arrive within REQUEST_TIMEOUT (${config.requestTimeout} s)`]
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Exceeded maximum allowed HTTP header size']
        : [400, `not a valid HTTP request (${error.code ?? 'unknown error'})`]
    this.log.debug({ code: error.code, statusCode: status }, 'client error')
    if (socket.writable) {
      const body = JSON.stringify(errorBody(status, message))
      const headers = Object.entries({ ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' })
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] as string}\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n${body}`)
    }
    socket.destroy()
  }
}

const UUID_HINT = `a UUID, like ${EXAMPLE_ECOSYSTEM}`
const PHONE_HINT = `7 to 15 digits, country code first, like ${EXAMPLE_PHONE}`

/** Validation messages that name the parameter and show what a good value looks like. */
function schemaErrorFormatter (errors: FastifySchemaValidationError[], dataVar: string): Error {
  const [first] = errors as [FastifySchemaValidationError]
  const where = `${dataVar}${first.instancePath}`
  if (first.keyword === 'format' && first.params.format === 'uuid') return new Error(`${where} must be ${UUID_HINT}`)
  if (first.keyword === 'pattern' && first.params.pattern === PHONE_PATTERN) return new Error(`${where} must be ${PHONE_HINT}`)
  if (first.keyword === 'additionalProperties') return new Error(`${where} has an unknown property ${JSON.stringify(first.params.additionalProperty)}`)
  return new Error(`${where} ${first.message as string}`)
}
