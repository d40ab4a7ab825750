import type { FastifyInstance, FastifyReply, FastifyRequest, onResponseHookHandler, onSendHookHandler, preHandlerHookHandler, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import { authScheme } from '../../core/journal/journal.js'
import type { ScenarioAction } from '../../core/scenarios/scenario-book.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A LeanCore route (GET /lead, POST /oauth2/token): scenarios may answer, the journal records. */
    leancore?: true
  }
  interface FastifyRequest {
    /** The id of the scenario that answered, if one did; set here */
    scenario: string | undefined
    /** The OAuth client that asked for a token, for the journal; set by the token route, which reads the credentials */
    oauthClient: string | undefined
    /** The body as received, for the journal; set by the body parsers */
    bodyText: string | undefined
    /** Why an answer is an error (its message), for the journal; set here when it is sent */
    failure: string | undefined
  }
}

/**
 * What every LeanCore route gets in a fixture: scenarios may answer in its place, and every request
 * lands in the journal. A scenario applies in preHandler, after the route's own checks: the bearer
 * token (the auth plugin, a dependency) or the OAuth client's credentials (the token route's own
 * preHandler, which comes first), and validation. So it sees who is asking, and never applies to a
 * request that was refused.
 */
export const instrumentation = fp(async (app: FastifyInstance) => {
  const { fixture } = app
  // Stryker disable next-line StringLiteral: declaring the properties up front only gives requests one shape for V8; the hooks set them either way
  app.decorateRequest('scenario', undefined)
  // Stryker disable next-line StringLiteral: declaring the property up front only gives requests one shape for V8; the hooks set it either way
  app.decorateRequest('oauthClient', undefined)
  // Stryker disable next-line StringLiteral: declaring the property up front only gives requests one shape for V8; the parsers set it either way
  app.decorateRequest('bodyText', undefined)
  // Stryker disable next-line StringLiteral: declaring the property up front only gives requests one shape for V8; the hook sets it either way
  app.decorateRequest('failure', undefined)

  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.config?.leancore !== true) return
    const path = route.url as string

    // A request that was refused opened no space: it goes to the shared journal.
    const record = (request: FastifyRequest, status: number | null, durationMs: number): void => {
      (request.space ?? fixture.shared).record({
        at: Date.now() - durationMs,
        method: request.method,
        path,
        query: request.query as Record<string, unknown>,
        status,
        durationMs,
        token: request.token,
        client: request.oauthClient,
        scenario: request.scenario,
        headers: request.raw.rawHeaders,
        body: request.bodyText,
        reason: request.failure
      })
    }

    // Callback style: with no scenarios, the common case, it costs one comparison and no promise.
    const applyScenario: preHandlerHookHandler = (request, reply, done) => {
      const query = request.query as Record<string, unknown>
      const scenario = (request.space ?? fixture.shared).scenarioFor({ path, token: request.token, ecosystem: query.ecosystem, phone: query.phone })
      if (scenario === undefined) return done()
      request.scenario = scenario.id
      setTimeout(() => {
        if (scenario.drop) {
          record(request, null, reply.elapsedTime)
          reply.hijack()
          request.raw.socket.destroy()
        } else if (scenario.respond !== undefined) {
          respond(reply, scenario)
        } else {
          done()
        }
      }, scenario.delayMs)
    }
    const recordResponse: onResponseHookHandler = (request, reply, done) => {
      record(request, reply.statusCode, reply.elapsedTime)
      done()
    }
    // An error answer's message (or OAuth's error_description) is why the request failed; for a
    // bearer token the auth plugin refused, which of the ways it was wrong (the answer says less).
    // On a bearer route only a refused request has no space: the auth plugin opens one for every
    // token it accepts, before validation, the handler or a scenario could answer.
    const bearer = route.config.auth !== undefined
    const noteFailure: onSendHookHandler = (request, reply, payload, done) => {
      // An error here is text already (Fastify's serialized error body, a scenario's payload).
      if (reply.statusCode >= 400) request.failure = bearer && request.space === undefined ? refusal(request, fixture) : failureOf(String(payload))
      done(null, payload)
    }
    route.preHandler = [...[route.preHandler ?? []].flat(), applyScenario]
    route.onSend = [...[route.onSend ?? []].flat(), noteFailure]
    route.onResponse = [...[route.onResponse ?? []].flat(), recordResponse]
  })
}, {
  // Stryker disable next-line StringLiteral: the name shows only in the errors of plugins that depend on this one, and none does
  name: 'instrumentation',
  // Stryker disable next-line StringLiteral: the range only guards an install with another Fastify; this one has Fastify 5
  fastify: '5.x',
  dependencies: ['auth']
})

function respond (reply: FastifyReply, scenario: ScenarioAction): void {
  const { status, headers, payload, contentType } = scenario.respond as NonNullable<ScenarioAction['respond']>
  // Sent already serialized, so that the route's response schema cannot reshape it.
  reply.code(status).type(contentType).headers(headers).send(payload)
}

/** Why the auth plugin refused a request's bearer token, as a person reading the journal needs it */
function refusal (request: FastifyRequest, fixture: FastifyInstance['fixture']): string {
  const header = request.headers.authorization
  if (header === undefined) return '401: no Authorization header'
  // Only a scheme's name is repeated: what else stands there may be a token sent without "Bearer ".
  const scheme = authScheme(header)
  if (scheme === undefined) return '401: the Authorization header does not start with "Bearer " (a token without its scheme?)'
  if (scheme.toLowerCase() !== 'bearer') return `401: the Authorization scheme is ${scheme}, not Bearer`
  if (request.token === undefined) return '401: Bearer without a token'
  if (fixture.tokenExpired(request.token)) return '401: the token expired'
  return '401: a token this server does not know (never issued, revoked with its sandbox, or expired a while ago), or one for another role'
}

/** The message of an error body (or OAuth's error_description); the body itself when it is neither. */
function failureOf (payload: string): string {
  try {
    const body = JSON.parse(payload) as { message?: unknown, error_description?: unknown }
    const message = body.message ?? body.error_description
    return typeof message === 'string' ? message : payload
  } catch {
    return payload
  }
}
