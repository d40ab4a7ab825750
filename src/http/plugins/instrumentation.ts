import type { FastifyInstance, FastifyReply, FastifyRequest, onResponseHookHandler, preHandlerHookHandler, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import type { Scenario } from '../../core/scenarios/schema.js'
import { errorBody } from '../errors.js'

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
        scenario: request.scenario
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
    route.preHandler = [...[route.preHandler ?? []].flat(), applyScenario]
    route.onResponse = [...[route.onResponse ?? []].flat(), recordResponse]
  })
}, {
  // Stryker disable next-line StringLiteral: the name shows only in the errors of plugins that depend on this one, and none does
  name: 'instrumentation',
  // Stryker disable next-line StringLiteral: the range only guards an install with another Fastify; this one has Fastify 5
  fastify: '5.x',
  dependencies: ['auth']
})

function respond (reply: FastifyReply, scenario: Scenario): void {
  const { status, body, headers } = scenario.respond as NonNullable<Scenario['respond']>
  // Sent already serialized, so that the route's response schema cannot reshape it.
  const payload = typeof body === 'string'
    ? body
    : JSON.stringify(body === undefined ? errorBody(status, `injected by scenario ${scenario.id}`) : body)
  reply.code(status)
    .type(typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8')
    .headers(headers ?? {})
    .send(payload)
}
