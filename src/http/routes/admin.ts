import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifySchemaCompiler } from 'fastify'
import { FixtureError } from '../../core/errors.js'
import { JournalEntry } from '../../core/journal/journal.js'
import { LeadInput } from '../../core/leads/schema.js'
import { Scenario, ScenarioInput } from '../../core/scenarios/schema.js'

/** Fixture data can be large (about 40,000 leads); anything bigger is a 413. */
const ADMIN_BODY_LIMIT = 32 * 1024 * 1024
/** Past any table this server could hold; bounded so that SQLite is never handed a number it refuses. */
const MAX_OFFSET = 1_000_000_000

const errorRef = Type.Ref('HttpError')
const Ecosystem = Type.String({ format: 'uuid' })
const errors = { 400: errorRef, 401: errorRef, 404: errorRef }
const ADMIN = { tags: ['admin'], security: [{ adminAuth: [] }] }
const config = { auth: 'admin' } as const
// Bodies the fixture validates itself, so that both of its doors (this API and startServer) give
// the same message for the same mistake; the schema still documents them.
const validatedByTheFixture: FastifySchemaCompiler<unknown> = () => (value) => ({ value })

/**
 * /__admin/: what a test suite uses to load leads, read the journal and inject scenarios.
 * Registered only when an admin token is set; opened by that token alone. Every route is one call
 * to the fixture's facade, the same members startServer() returns.
 */
export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { fixture } = app

  app.get('/leads', {
    config,
    schema: {
      ...ADMIN,
      summary: 'List leads, all or one ecosystem\'s, in their stored order',
      querystring: Type.Object({
        ecosystem: Type.Optional(Ecosystem),
        limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 }),
        offset: Type.Integer({ minimum: 0, maximum: MAX_OFFSET, default: 0 })
      }),
      response: { 200: Type.Object({ total: Type.Integer(), leads: Type.Array(Type.Ref('Lead')) }), ...errors }
    }
  }, async (request) => fixture.leads.list(request.query))

  app.post('/leads', {
    config,
    bodyLimit: ADMIN_BODY_LIMIT,
    schema: {
      ...ADMIN,
      summary: 'Add leads, or replace them by id; all or nothing',
      description: 'The body is an array of leads. `image`, `score`, `apn_token`, `history`, `payment_data` and ' +
        '`additional_data` may be left out (they become null, [] and {}). One invalid lead rejects the whole request, ' +
        'with a message naming the lead and the field, and nothing is written.',
      body: Type.Array(LeadInput),
      response: { 201: Type.Object({ written: Type.Integer() }), ...errors, 413: errorRef }
    },
    validatorCompiler: validatedByTheFixture
  }, async (request, reply) => reply.code(201).send({ written: fixture.leads.add(request.body) }))

  app.delete('/leads', {
    config,
    schema: {
      ...ADMIN,
      summary: 'Delete every lead, or one ecosystem\'s',
      querystring: Type.Object({ ecosystem: Type.Optional(Ecosystem) }),
      response: { 200: Type.Object({ deleted: Type.Integer() }), ...errors }
    }
  }, async (request) => ({ deleted: fixture.leads.remove(request.query) }))

  app.delete('/leads/:id', {
    config,
    schema: { ...ADMIN, summary: 'Delete one lead', params: Type.Object({ id: Type.String() }), response: { 204: Type.Null(), ...errors } }
  }, async (request, reply) => {
    if (!fixture.leads.removeById(request.params.id)) throw new FixtureError(404, `no lead has id ${request.params.id}`)
    return reply.code(204).send(null)
  })

  app.post('/reset', {
    config,
    schema: {
      ...ADMIN,
      summary: 'Back to a fresh start: the seed\'s leads, an empty journal, no scenarios',
      response: { 200: Type.Object({ leads: Type.Integer() }), ...errors }
    }
  }, async () => {
    fixture.reset()
    return { leads: fixture.leads.list({ limit: 1 }).total }
  })

  app.get('/journal', {
    config,
    schema: {
      ...ADMIN,
      summary: 'The requests GET /lead and POST /oauth2/token received, oldest first',
      querystring: Type.Object({
        path: Type.Optional(Type.String()),
        status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
        token: Type.Optional(Type.String({ description: 'The token itself, or its fingerprint (sha256:…)' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 }))
      }),
      response: {
        200: Type.Object({
          capacity: Type.Integer(),
          dropped: Type.Integer({ description: 'Entries pushed out by newer ones since the last clear' }),
          entries: Type.Array(JournalEntry)
        }),
        ...errors
      }
    }
  }, async (request) => {
    const { journal } = fixture
    return { capacity: journal.capacity, dropped: journal.dropped, entries: journal.entries(request.query) }
  })

  app.delete('/journal', {
    config,
    schema: { ...ADMIN, summary: 'Empty the journal', response: { 204: Type.Null(), ...errors } }
  }, async (_request, reply) => {
    fixture.journal.clear()
    return reply.code(204).send(null)
  })

  const TokenQuery = Type.Object({ token: Type.Optional(Type.String({ description: 'Only the scenarios of this token' })) })
  app.get('/scenarios', {
    config,
    schema: { ...ADMIN, summary: 'The active scenarios, in the order they apply', querystring: TokenQuery, response: { 200: Type.Array(Scenario), ...errors } }
  }, async (request) => fixture.scenarios.list(request.query.token))

  app.post('/scenarios', {
    config,
    schema: {
      ...ADMIN,
      summary: 'Add a scenario: a status, a body, a delay or a dropped connection for matching requests',
      body: ScenarioInput,
      response: { 201: Scenario, ...errors, 409: errorRef, 413: errorRef }
    },
    validatorCompiler: validatedByTheFixture
  }, async (request, reply) => reply.code(201).send(fixture.scenarios.add(request.body)))

  app.delete('/scenarios/:id', {
    config,
    schema: { ...ADMIN, summary: 'Remove one scenario', params: Type.Object({ id: Type.String() }), response: { 204: Type.Null(), ...errors } }
  }, async (request, reply) => {
    if (!fixture.scenarios.remove(request.params.id)) throw new FixtureError(404, `no scenario has id ${request.params.id}`)
    return reply.code(204).send(null)
  })

  app.delete('/scenarios', {
    config,
    schema: { ...ADMIN, summary: 'Remove every scenario, or one token\'s', querystring: TokenQuery, response: { 200: Type.Object({ deleted: Type.Integer() }), ...errors } }
  }, async (request) => ({ deleted: fixture.scenarios.clear(request.query.token) }))
}
