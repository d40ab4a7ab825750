import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type TSchema } from '@sinclair/typebox'
import type { FastifyReply } from 'fastify'
import { FixtureError } from '../../core/errors.js'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE, Lead, PHONE_PATTERN } from '../../core/leads/schema.js'
import { normalizeEcosystem } from '../../core/leads/validate.js'
import type { Space } from '../../core/space.js'
import { BodyCache } from './body-cache.js'

const JSON_UTF8 = 'application/json; charset=utf-8'
const CACHE_BYTES = 32 * 1024 * 1024
const errorRef = Type.Ref('HttpError')

// References, never the Lead schema itself: @fastify/fast-json-stringify-compiler drops a schema's
// $id from the shared schemas when it compiles that schema, after which Lead could not be resolved.
const OneLead = Type.Ref(Lead)
const LeadList = Type.Array(OneLead)
const LeadQuery = Type.Object({
  ecosystem: Type.Optional(Type.String({ format: 'uuid', description: 'Every lead of this ecosystem, as an array' })),
  phone: Type.Optional(Type.String({ pattern: PHONE_PATTERN, description: 'The lead with this mobile number, as one object' }))
})

const LeadOrLeads = Type.Union([LeadList, OneLead], { description: 'An array of leads (by ecosystem) or one lead (by phone)' })

/** GET /lead: LeanCore's "Consultar Lead por ecosistema" and "Consultar Lead por número de celular". */
export const leadRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const bodies = new BodyCache(CACHE_BYTES)

  app.get('/lead', {
    config: { auth: 'api', leancore: true },
    schema: {
      tags: ['leads'],
      summary: 'Leads of an ecosystem, or the lead with a phone number',
      description: 'Give exactly one of `ecosystem` (answers an array, `[]` when the ecosystem has no leads) ' +
        'or `phone` (answers one lead, or 404). Leads come in the order they were first written. ' +
        `Example: \`?ecosystem=${EXAMPLE_ECOSYSTEM}\` or \`?phone=${EXAMPLE_PHONE}\`.`,
      security: [{ bearerAuth: [] }],
      querystring: LeadQuery,
      response: {
        200: LeadOrLeads,
        400: errorRef,
        401: errorRef,
        404: errorRef
      }
    }
  }, async (request, reply) => {
    const { ecosystem, phone } = request.query
    if ((ecosystem === undefined) === (phone === undefined)) {
      throw new FixtureError(400, 'give exactly one of the query parameters ecosystem or phone')
    }
    reply.type(JSON_UTF8)
    // The shared data or a sandbox, as the token opened it (the auth plugin).
    const space = request.space as Space
    if (ecosystem !== undefined) {
      const normalized = normalizeEcosystem(ecosystem)
      // Serialized by the route's own serializer, so a cached body is byte for byte what an
      // uncached one would be.
      return bodies.body(`${space.key}:${normalized}`, space.generation(),
        () => Buffer.from(serialize(reply, space.leadsOfEcosystem(normalized), LeadList)))
    }
    const lead = space.leadWithPhone(phone as string)
    if (lead === undefined) throw new FixtureError(404, `no lead has phone ${phone as string}`)
    return serialize(reply, lead, OneLead)
  })
}

/** The route's compiled serializer for `schema` (Fastify caches it), typed for arrays too. */
function serialize (reply: FastifyReply, value: Lead | Lead[], schema: TSchema): string {
  return reply.serializeInput(value as unknown as Record<string, unknown>, schema)
}
