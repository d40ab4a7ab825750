import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type TSchema } from '@sinclair/typebox'
import type { FastifyReply, FastifySchemaCompiler } from 'fastify'
import { FixtureError } from '../../core/errors.js'
import { CreateLeadInput, EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE, Lead, LeadWithStatus, PHONE_PATTERN, UpdateLeadInput } from '../../core/leads/schema.js'
import { parseJson } from '../../core/json-text.js'
import { normalizeEcosystem } from '../../core/leads/validate.js'
import { readLeadChanges, readNewLeads, type LeadChanges, type NewLead } from '../../core/leads/writes.js'
import type { Space } from '../../core/space.js'
import { LifecycleRequest, readLifecycleRequest } from '../../core/users/lifecycle.js'
import { ConvertedUser } from '../../core/users/schema.js'
import { BodyCache } from './body-cache.js'

const JSON_UTF8 = 'application/json; charset=utf-8'
const CACHE_BYTES = 32 * 1024 * 1024
/** An ecosystem with more leads than this is read and serialized off the event loop (on a database file). */
const LARGE_ECOSYSTEM = 2000
/** A bulk load of create-lead can be as large as a fixture load of the admin API. */
const BULK_BODY_LIMIT = 32 * 1024 * 1024
const errorRef = Type.Ref('HttpError')

// References, never the Lead schema itself: @fastify/fast-json-stringify-compiler drops a schema's
// $id from the shared schemas when it compiles that schema, after which Lead could not be resolved.
const OneLead = Type.Ref(Lead)
const LeadList = Type.Array(OneLead)
const OneLeadWithStatus = Type.Ref(LeadWithStatus)
const LeadsWithStatus = Type.Array(OneLeadWithStatus)
const LOOKUPS = ['ecosystem', 'phone', 'id', 'nit'] as const
const LeadQuery = Type.Object({
  ecosystem: Type.Optional(Type.String({ format: 'uuid', description: 'Every lead of this ecosystem, as an array' })),
  phone: Type.Optional(Type.String({ pattern: PHONE_PATTERN, description: 'The lead with this mobile number, as one object' })),
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'The lead with this id, as one object with lead_status (observed in LeanCore\'s clients)' })),
  nit: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'The lead with this NIT, as one object with lead_status (observed in LeanCore\'s clients)' }))
})
const LeadAnswer = Type.Union([LeadList, OneLead, OneLeadWithStatus], {
  description: 'An array of leads (by ecosystem), one lead (by phone), or one lead with lead_status (by id or nit)'
})
const BulkQuery = Type.Object({
  'bulk-load': Type.Optional(Type.Union([Type.Literal('false'), Type.Literal('true')], {
    description: 'true: the body is an array of leads, created all or nothing'
  }))
})
// The fixture reads the bodies itself (readNewLeads, readLeadChanges), before any scenario applies;
// the schemas document them. A route's own validator compiler is for all its parts: such a route
// reads its query by hand too.
const readByTheFixture: FastifySchemaCompiler<unknown> = () => (value) => ({ value })

declare module 'fastify' {
  interface FastifyRequest {
    /** What a write route's body asks for, read by the fixture in preHandler: before any scenario */
    leadWrite: NewLead[] | LeadChanges | undefined
    /** The body of a lifecycle route (assign, turn into client), read in preHandler */
    lifecycleRequest: LifecycleRequest | undefined
  }
}

/**
 * LeanCore's Lead section: GET /lead ("Consultar Lead por ecosistema", "... por número de celular",
 * and by id and NIT as LeanCore's clients use it), POST /create-lead and POST /update-lead. Every
 * route works on the data the token opened: the shared data or a sandbox.
 */
export const leadRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const bodies = new BodyCache(CACHE_BYTES)
  // Stryker disable next-line StringLiteral: equivalent, a property never declared reads as undefined too; declaring it keeps every request the same shape for V8
  app.decorateRequest('leadWrite', undefined)
  // Stryker disable next-line StringLiteral: equivalent, a property never declared reads as undefined too; declaring it keeps every request the same shape for V8
  app.decorateRequest('lifecycleRequest', undefined)

  app.get('/lead', {
    config: { auth: 'api', leancore: true },
    schema: {
      tags: ['leads'],
      summary: 'Leads of an ecosystem, or one lead by phone, id or NIT',
      description: 'Give exactly one of `ecosystem` (answers an array, `[]` when the ecosystem has no leads), ' +
        '`phone` (answers one lead, or 404), `id` or `nit` (answer one lead with `lead_status` too, or 404). ' +
        'Leads come in the order they were first written. ' +
        `Example: \`?ecosystem=${EXAMPLE_ECOSYSTEM}\` or \`?phone=${EXAMPLE_PHONE}\`.`,
      security: [{ bearerAuth: [] }],
      querystring: LeadQuery,
      response: {
        200: LeadAnswer,
        400: errorRef,
        401: errorRef,
        404: errorRef
      }
    }
  }, async (request, reply) => {
    const { query } = request
    const given = LOOKUPS.filter((name) => query[name] !== undefined)
    if (given.length !== 1) {
      throw new FixtureError(400, `give exactly one of the query parameters ecosystem, phone, id or nit${given.length === 0 ? '' : `, not ${given.join(' and ')}`}`)
    }
    reply.type(JSON_UTF8)
    // The shared data or a sandbox, as the token opened it (the auth plugin).
    const space = request.space as Space
    const { ecosystem, phone, id, nit } = query
    if (ecosystem !== undefined) {
      const normalized = normalizeEcosystem(ecosystem)
      const key = `${space.key}:${normalized}`
      const generation = space.generation()
      const cached = bodies.cached(key, generation)
      if (cached !== undefined) return cached
      // Serialized by the route's own serializer (JSON.stringify, for a large one, gives the same
      // bytes), so a cached body is byte for byte what an uncached one would be. Cached for the
      // generation read before it was built: a write meanwhile makes it stale at once.
      const body = space.countOfEcosystem(normalized) > LARGE_ECOSYSTEM
        ? Buffer.from(await space.bulk.read(normalized))
        : Buffer.from(serialize(reply, space.leadsOfEcosystem(normalized), LeadList))
      return bodies.keep(key, generation, body)
    }
    if (phone !== undefined) {
      const lead = space.leadWithPhone(phone)
      if (lead === undefined) throw new FixtureError(404, `no lead has phone ${phone}`)
      return serialize(reply, lead, OneLead)
    }
    const lead = id !== undefined ? space.leadById(id) : space.leadWithNit(nit as string)
    if (lead === undefined) throw new FixtureError(404, id !== undefined ? `Lead with id ${id} not found` : `Lead with nit ${nit as string} not found`)
    return serialize(reply, withStatus(lead), OneLeadWithStatus)
  })

  app.post('/create-lead', {
    config: { auth: 'api', leancore: true, rawJson: true },
    bodyLimit: BULK_BODY_LIMIT,
    schema: {
      tags: ['leads'],
      summary: 'Create a lead (or, with bulk-load=true, several, all or nothing)',
      description: 'Observed in LeanCore\'s clients, not documented. `name`, `nit`, `phone`, `email` and `ecosystem` ' +
        'are required; the rest take the defaults of a lead (`lead_status` `not_assigned`, empty strings, `quota` 0, ' +
        'null, [] and {}). `incomes`, `expenses`, `created_at`, `records`, `loan_priority` and `branch_office` are ' +
        'kept but not shown by GET /lead. Any other field is a 400 naming it. A NIT or phone that a lead of the ' +
        'ecosystem already has is a 400 (`User with nit: … already exists`). Answers the new lead with its id (a UUID).',
      security: [{ bearerAuth: [] }],
      querystring: BulkQuery,
      body: Type.Union([CreateLeadInput, Type.Array(CreateLeadInput)]),
      response: { 200: Type.Union([OneLeadWithStatus, LeadsWithStatus]), 400: errorRef, 401: errorRef, 413: errorRef }
    },
    validatorCompiler: readByTheFixture,
    // One lead is read here, before any scenario applies; a bulk load (up to 32 MiB) is read and
    // written by the bulk worker, in the handler.
    preHandler: async (request) => {
      const bulk: unknown = request.query['bulk-load']
      if (bulk !== undefined && bulk !== 'true' && bulk !== 'false') {
        throw new FixtureError(400, `querystring/bulk-load must be true or false, got ${JSON.stringify(bulk)}`)
      }
      const body: unknown = request.body
      if (bulk !== 'true') request.leadWrite = readNewLeads(Buffer.isBuffer(body) ? parseJson(body) : body, false)
      else if (!Buffer.isBuffer(body)) readNewLeads(body, true)
    }
  }, async (request, reply) => {
    const space = request.space as Space
    reply.type(JSON_UTF8)
    if (request.query['bulk-load'] === 'true') return Buffer.from(await space.bulk.createLeads(request.body as unknown as Buffer))
    const [created] = await space.bulk.exclusive(() => space.createLeads(request.leadWrite as NewLead[]))
    return serialize(reply, withStatus(created as Lead), OneLeadWithStatus)
  })

  for (const { url, summary, description, answer } of LIFECYCLE) {
    app.post(url, {
      config: { auth: 'api', leancore: true },
      schema: {
        tags: ['leads'],
        summary,
        description,
        security: [{ bearerAuth: [] }],
        body: LifecycleRequest,
        response: { 200: answer, 400: errorRef, 401: errorRef, 404: errorRef }
      },
      validatorCompiler: readByTheFixture,
      preHandler: async (request) => {
        request.lifecycleRequest = readLifecycleRequest(request.body, url.slice(1))
      }
    }, async (request, reply) => {
      reply.type(JSON_UTF8)
      const space = request.space as Space
      const body = request.lifecycleRequest as LifecycleRequest
      if (url === '/assign-lead-to-financial-entity') return serialize(reply, await space.bulk.exclusive(() => space.assignLead(body)), OneLead)
      const { id, available_quota: _quota, financial_entity: _entity, ...user } = await space.bulk.exclusive(() => space.convertLead(body))
      return reply.serializeInput({ _id: id, ...user }, ConvertedUserRef)
    })
  }

  app.post('/update-lead', {
    config: { auth: 'api', leancore: true },
    schema: {
      tags: ['leads'],
      summary: 'Update a lead: the fields given, by id',
      description: 'As LeanCore documents it: `id` required, every other field optional; `lead_status` in, `status` out. ' +
        '`{"id": …}` alone changes nothing. An unknown id is a 404; a NIT or phone another lead of the ecosystem has is a 400.',
      security: [{ bearerAuth: [] }],
      body: UpdateLeadInput,
      response: { 200: OneLead, 400: errorRef, 401: errorRef, 404: errorRef }
    },
    validatorCompiler: readByTheFixture,
    preHandler: async (request) => {
      request.leadWrite = readLeadChanges(request.body)
    }
  }, async (request, reply) => {
    reply.type(JSON_UTF8)
    const space = request.space as Space
    return serialize(reply, await space.bulk.exclusive(() => space.updateLead(request.leadWrite as LeadChanges)), OneLead)
  })
}

/** What the lifecycle routes do, and how they answer */
const LIFECYCLE = [
  {
    url: '/assign-lead-to-financial-entity',
    summary: 'Assign a lead to a financial entity of its ecosystem',
    description: 'As LeanCore documents it ("asignar un Lead o prospecto a una Fintech que se encuentra en el mismo ecosistema"). ' +
      'Answers the lead (18 keys); its `status` does not change. An unknown lead or financial entity is a 404 naming which; ' +
      'one of another ecosystem is a 400 naming both (inferred).',
    answer: OneLead
  },
  {
    url: '/turn-lead-into-client',
    summary: 'Turn a lead into a client: a user of the financial entity',
    description: 'As LeanCore documents it ("Convertir Lead en usuario"): answers the new user with `_id`, not `id`. The user is the lead ' +
      '(inferred): `_id` is the lead\'s id, and the lead leaves every lead answer, in one transaction. Converting it again is a 404.',
    answer: Type.Ref(ConvertedUser)
  }
] as const
const ConvertedUserRef = LIFECYCLE[1].answer

/** A lead as LeanCore's client reads it from lookups by id and NIT: its status as lead_status too. */
function withStatus (lead: Lead): Lead & { lead_status: string } {
  return { ...lead, lead_status: lead.status }
}

/** The route's compiled serializer for `schema` (Fastify caches it), typed for arrays too. */
function serialize (reply: FastifyReply, value: Lead | Lead[], schema: TSchema): string {
  return reply.serializeInput(value as unknown as Record<string, unknown>, schema)
}
