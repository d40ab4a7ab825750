import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { errorBody } from './errors.js'
import type { Scenario } from './scenarios/schema.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** sha256 of the bearer token the request carried, once auth has looked at it */
    tokenDigest: Buffer | undefined
    /** The OAuth client that asked for a token */
    oauthClient: string | undefined
    /** The id of the scenario that answered, if one did */
    scenario: string | undefined
  }
}

/**
 * What every LeanCore route (GET /lead, POST /oauth2/token) gets in a fixture: scenarios may
 * answer in its place, and every request lands in the journal.
 */
export function instrumentLeanCoreRoute (app: FastifyInstance, path: string): void {
  const { journal, scenarios } = app.fixture

  const record = (request: FastifyRequest, status: number | null, durationMs: number): void => {
    journal.record({
      at: Date.now() - durationMs,
      method: request.method,
      path,
      query: request.query as Record<string, unknown>,
      status,
      durationMs,
      tokenDigest: request.tokenDigest,
      client: request.oauthClient,
      scenario: request.scenario
    })
  }

  // Added after the auth hook, so that a scenario sees who is asking (and never applies to
  // requests that are refused anyway). Callback style: with no scenarios, the common case, it
  // costs one comparison and no promise.
  app.addHook('onRequest', (request, reply, done) => {
    if (scenarios.size === 0) return done()
    const query = request.query as Record<string, unknown>
    const scenario = scenarios.take({
      path,
      tokenDigest: request.tokenDigest?.toString('hex'),
      ecosystem: query.ecosystem,
      phone: query.phone
    })
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
  })

  app.addHook('onResponse', (request, reply, done) => {
    record(request, reply.statusCode, reply.elapsedTime)
    done()
  })
}

function respond (reply: FastifyReply, scenario: Scenario): void {
  const { status, body, headers } = scenario.respond as NonNullable<Scenario['respond']>
  // Sent already serialized, so that the route's response schema cannot reshape it.
  const payload = typeof body === 'string'
    ? body
    : JSON.stringify(body === undefined ? errorBody(status, `injected by scenario ${scenario.id}`) : body)
  void reply.code(status)
    .type(typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8')
    .headers(headers ?? {})
    .send(payload)
}
