import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { requireBearer } from '../auth/bearer.js'
import { HttpError } from '../errors.js'
import { JournalEntry } from '../journal/journal.js'
import { LeadInput } from '../leads/schema.js'
import { validateLeads } from '../leads/validate.js'
import { Scenario, ScenarioInput } from '../scenarios/schema.js'

/** Fixture data can be large (about 40,000 leads); anything bigger is a 413. */
export const ADMIN_BODY_LIMIT = 32 * 1024 * 1024

/** Past any table this server could hold; bounded so that SQLite is never handed a number it refuses. */
const MAX_OFFSET = 1_000_000_000

const errorRef = Type.Ref('HttpError')
const Ecosystem = Type.String({ format: 'uuid' })
const errors = { 400: errorRef, 401: errorRef, 404: errorRef }
const ADMIN = { tags: ['admin'], security: [{ adminAuth: [] }] }

/**
 * /__admin/: what a test suite uses to load leads, read the journal and inject scenarios.
 * Registered only when an admin token is set; opened by that token alone.
 */
export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { fixture } = app
  await requireBearer(app, (token) => fixture.acceptsAdminToken(token), 'leancore-admin')

  app.get('/leads', {
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
  }, async (request) => {
    return fixture.listLeads(request.query)
  })

  app.post('/leads', {
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
    // The lead validator names the lead (position and id) and the field; Ajv would say "body/3/quota".
    validatorCompiler: () => (data) => {
      try {
        return { value: validateLeads(data) }
      } catch (error) {
        return { error: error as Error }
      }
    }
  }, async (request, reply) => {
    return reply.code(201).send({ written: fixture.leads.upsert(request.body as ReturnType<typeof validateLeads>) })
  })

  app.delete('/leads', {
    schema: {
      ...ADMIN,
      summary: 'Delete every lead, or one ecosystem\'s',
      querystring: Type.Object({ ecosystem: Type.Optional(Ecosystem) }),
      response: { 200: Type.Object({ deleted: Type.Integer() }), ...errors }
    }
  }, async (request) => {
    return { deleted: fixture.removeLeads(request.query.ecosystem) }
  })

  app.delete('/leads/:id', {
    schema: {
      ...ADMIN,
      summary: 'Delete one lead',
      params: Type.Object({ id: Type.String() }),
      response: { 204: Type.Null(), ...errors }
    }
  }, async (request, reply) => {
    if (!fixture.leads.deleteById(request.params.id)) throw new HttpError(404, `no lead has id ${request.params.id}`)
    return reply.code(204).send(null)
  })

  app.post('/reset', {
    schema: {
      ...ADMIN,
      summary: 'Back to a fresh start: the seed\'s leads, an empty journal, no scenarios',
      response: { 200: Type.Object({ leads: Type.Integer() }), ...errors }
    }
  }, async () => {
    fixture.reset()
    return { leads: fixture.leads.count() }
  })

  const JournalQuery = Type.Object({
    path: Type.Optional(Type.String()),
    token: Type.Optional(Type.String({ description: 'The token itself, or its fingerprint (sha256:…)' })),
    status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 }))
  })
  app.get('/journal', {
    schema: {
      ...ADMIN,
      summary: 'The requests GET /lead and POST /oauth2/token received, oldest first',
      querystring: JournalQuery,
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
    return { capacity: journal.capacity, dropped: journal.dropped, entries: fixture.journalEntries(request.query) }
  })

  app.delete('/journal', {
    schema: { ...ADMIN, summary: 'Empty the journal', response: { 204: Type.Null(), ...errors } }
  }, async (_request, reply) => {
    fixture.journal.clear()
    return reply.code(204).send(null)
  })

  const TokenQuery = Type.Object({ token: Type.Optional(Type.String({ description: 'Only the scenarios of this token' })) })
  app.get('/scenarios', {
    schema: {
      ...ADMIN,
      summary: 'The active scenarios, in the order they apply',
      querystring: TokenQuery,
      response: { 200: Type.Array(Scenario), ...errors }
    }
  }, async (request) => fixture.scenarios.list(request.query.token))

  app.post('/scenarios', {
    schema: {
      ...ADMIN,
      summary: 'Add a scenario: a status, a body, a delay or a dropped connection for matching requests',
      body: ScenarioInput,
      response: { 201: Scenario, ...errors }
    }
  }, async (request, reply) => reply.code(201).send(fixture.scenarios.add(request.body)))

  app.delete('/scenarios/:id', {
    schema: {
      ...ADMIN,
      summary: 'Remove one scenario',
      params: Type.Object({ id: Type.String() }),
      response: { 204: Type.Null(), ...errors }
    }
  }, async (request, reply) => {
    if (!fixture.scenarios.remove(request.params.id)) throw new HttpError(404, `no scenario has id ${request.params.id}`)
    return reply.code(204).send(null)
  })

  app.delete('/scenarios', {
    schema: {
      ...ADMIN,
      summary: 'Remove every scenario, or one token\'s',
      querystring: TokenQuery,
      response: { 200: Type.Object({ deleted: Type.Integer() }), ...errors }
    }
  }, async (request) => ({ deleted: fixture.scenarios.clear(request.query.token) }))
}
