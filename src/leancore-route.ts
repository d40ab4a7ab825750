import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { fingerprint } from './auth/token-set.js'
import { errorBody } from './errors.js'
import type { JournalEntry } from './journal/journal.js'
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
  const { journal, scenarios, scrubber } = app.fixture

  const record = (request: FastifyRequest, status: number | null, durationMs: number): void => {
    const query: JournalEntry['query'] = {}
    for (const [key, value] of Object.entries(request.query as Record<string, string | string[]>)) {
      query[scrubber.scrub(key)] = Array.isArray(value) ? value.map((item) => scrubber.scrub(item)) : scrubber.scrub(value)
    }
    journal.record({
      time: new Date(Date.now() - durationMs).toISOString(),
      method: request.method,
      path,
      query,
      status,
      durationMs: Math.round(durationMs * 100) / 100,
      token: request.tokenDigest === undefined ? null : fingerprint(request.tokenDigest),
      client: request.oauthClient ?? null,
      scenario: request.scenario ?? null
    })
  }

  // Added after the auth hook, so that a scenario sees who is asking (and never applies to
  // requests that are refused anyway).
  app.addHook('onRequest', async (request, reply) => {
    if (scenarios.size === 0) return
    const query = request.query as Record<string, unknown>
    const scenario = scenarios.take({
      path,
      tokenDigest: request.tokenDigest?.toString('hex'),
      ecosystem: query.ecosystem,
      phone: query.phone
    })
    if (scenario === undefined) return
    request.scenario = scenario.id
    if (scenario.delayMs > 0) await sleep(scenario.delayMs)
    if (scenario.drop) {
      record(request, null, reply.elapsedTime)
      reply.hijack()
      request.raw.socket.destroy()
      return reply
    }
    if (scenario.respond !== undefined) return respond(reply, scenario)
  })

  app.addHook('onResponse', (request, reply, done) => {
    record(request, reply.statusCode, reply.elapsedTime)
    done()
  })
}

function respond (reply: FastifyReply, scenario: Scenario): FastifyReply {
  const { status, body, headers } = scenario.respond as NonNullable<Scenario['respond']>
  // Sent already serialized, so that the route's response schema cannot reshape it.
  const payload = typeof body === 'string'
    ? body
    : JSON.stringify(body === undefined ? errorBody(status, `injected by scenario ${scenario.id}`) : body)
  void reply.code(status)
    .type(typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8')
    .headers(headers ?? {})
    .send(payload)
  return reply
}
