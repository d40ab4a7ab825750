import fastifyCors from '@fastify/cors'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { LogController, type FastifyInstance, type FastifyReply } from 'fastify'
import type { Config } from '../core/config.js'
import { Fixture, type FixtureOptions } from '../core/fixture.js'
import { FinancialEntity } from '../core/financial-entities/schema.js'
import { Lead, LeadWithStatus } from '../core/leads/schema.js'
import { ConvertedUser, User } from '../core/users/schema.js'
import { compilersFactory } from './compilers.js'
import { errorBody, errorHandler, HttpErrorBody, notFoundHandler, schemaErrorFormatter } from './errors.js'
import { auth } from './plugins/auth.js'
import { instrumentation } from './plugins/instrumentation.js'
import { jsonBody } from './plugins/json-body.js'
import { clientErrorHandler, requestLimits } from './plugins/limits.js'
import { openapi } from './plugins/openapi.js'
import { loggerOptions, requestLogger, type LogStream } from './plugins/request-log.js'
import { SECURITY_HEADERS, securityHeaders } from './plugins/security-headers.js'
import { adminRoutes } from './routes/admin.js'
import { dashboardRoutes } from './routes/dashboard.js'
import { healthRoutes } from './routes/health.js'
import { financialEntityRoutes } from './routes/financial-entity.js'
import { leadRoutes } from './routes/lead.js'
import { OAuthError, oauthRoutes } from './routes/oauth-token.js'
import { userRoutes } from './routes/user.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The fixture's state, and the only door to it */
    fixture: Fixture
  }
}

export interface AppOptions extends FixtureOptions {
  /** Where log lines go; standard output when left out. */
  logStream?: LogStream
}

/**
 * The whole server as a Fastify instance, not listening: tests `inject` into it, startServer
 * listens with it. Takes a validated Config and never reads the environment.
 */
export async function buildApp (config: Config, options: AppOptions = {}): Promise<FastifyInstance> {
  const fixture = new Fixture(config, options)
  const logRequest = requestLogger(fixture.scrubber)
  const timeout = config.requestTimeout * 1000
  const app = Fastify({
    logger: loggerOptions(config, fixture.scrubber, options.logStream),
    // One line per request, written by logRequest, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // During shutdown a request on a kept-alive connection is still served (with Connection:
    // close), so that in-flight work completes instead of failing.
    return503OnClosing: false,
    // A URL Fastify cannot decode. This path skips every hook, so it sets the headers and
    // writes the log line itself, to look like any other 400.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      reply.headers(SECURITY_HEADERS).code(400).send(errorBody(400, error.message))
      logRequest(request, reply, () => {})
    },
    // A misspelled field must be an error, not silently dropped (Fastify's default). The schemas
    // come from TypeBox, so checking them against the JSON Schema meta-schema only costs start-up.
    // Stryker disable next-line BooleanLiteral: validateSchema only checks this project's own schemas, which are valid
    ajv: { customOptions: { removeAdditional: false, validateSchema: false } },
    // Stryker disable next-line ObjectLiteral: Fastify's default compilers validate and serialize the same; these only compile each schema once per process
    schemaController: { compilersFactory },
    schemaErrorFormatter,
    // A slow client (a body sent a byte a second) gets 408 instead of holding its connection.
    requestTimeout: timeout,
    // Node looks for timed-out requests this often (every 30 s by default, longer than the timeout).
    // Stryker disable next-line MethodExpression,ArithmeticOperator: only how late after REQUEST_TIMEOUT the 408 comes, which only a timed test could see
    // requireHostHeader off: Node would answer a request without Host with an empty 400 of its own;
    // the limits plugin answers it in JSON instead.
    http: { requestTimeout: timeout, headersTimeout: timeout, connectionsCheckingInterval: Math.min(1000, timeout / 2), requireHostHeader: false },
    clientErrorHandler: clientErrorHandler(config)
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('fixture', fixture)
  app.addHook('onClose', async () => await fixture.close())
  // Once closing starts, every response still to be sent tells its client to hang up, so that
  // keep-alive connections end with the requests in flight instead of holding the close open.
  let closing = false
  app.addHook('preClose', async () => { closing = true })
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close')
    done(null, payload)
  })
  app.addSchema(Lead)
  app.addSchema(LeadWithStatus)
  app.addSchema(User)
  app.addSchema(ConvertedUser)
  app.addSchema(FinancialEntity)
  app.addSchema(HttpErrorBody)
  app.addSchema(OAuthError)
  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler(notFoundHandler)
  app.addHook('onResponse', logRequest)

  await app.register(securityHeaders)
  await app.register(requestLimits, config)
  await app.register(jsonBody)
  // strictPreflight off: an OPTIONS without preflight headers gets an empty 204, not a text/plain 400.
  await app.register(fastifyCors, { origin: config.corsOrigin === true ? '*' : config.corsOrigin, maxAge: 600, strictPreflight: false })
  await app.register(auth)
  await app.register(instrumentation)
  await app.register(openapi)
  await app.register(healthRoutes)
  await app.register(leadRoutes)
  await app.register(userRoutes)
  await app.register(financialEntityRoutes)
  await app.register(oauthRoutes)
  if (config.adminToken !== undefined) {
    await app.register(adminRoutes, { prefix: '/__admin' })
    await app.register(dashboardRoutes, { prefix: '/__admin' })
  }
  await app.ready()
  return app
}
