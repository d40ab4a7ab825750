import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type TSchema } from '@sinclair/typebox'
import type { FastifyReply } from 'fastify'
import { requireBearer } from '../auth/bearer.js'
import { digest } from '../auth/token-set.js'
import { HttpError } from '../errors.js'
import { instrumentLeanCoreRoute } from '../leancore-route.js'
import { BodyCache } from './body-cache.js'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE, Lead, LeadList, LeadQuery } from './schema.js'
import { normalizeEcosystem } from './validate.js'

const JSON_UTF8 = 'application/json; charset=utf-8'
const CACHE_BYTES = 32 * 1024 * 1024
const errorRef = Type.Ref('HttpError')

/** GET /lead: LeanCore's "Consultar Lead por ecosistema" and "Consultar Lead por número de celular". */
export const leadRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { leads } = app.fixture
  const bodies = new BodyCache(CACHE_BYTES)

  await requireBearer(app, (token, request) => {
    request.tokenDigest = digest(token)
    return app.fixture.acceptsApiToken(request.tokenDigest)
  }, 'leancore')
  instrumentLeanCoreRoute(app, '/lead')

  app.get('/lead', {
    schema: {
      tags: ['leads'],
      summary: 'Leads of an ecosystem, or the lead with a phone number',
      description: 'Give exactly one of `ecosystem` (answers an array, `[]` when the ecosystem has no leads) ' +
        'or `phone` (answers one lead, or 404). Leads come in the order they were first written. ' +
        `Example: \`?ecosystem=${EXAMPLE_ECOSYSTEM}\` or \`?phone=${EXAMPLE_PHONE}\`.`,
      security: [{ bearerAuth: [] }],
      querystring: LeadQuery,
      response: {
        200: Type.Union([LeadList, Type.Ref(Lead)], { description: 'An array of leads (by ecosystem) or one lead (by phone)' }),
        400: errorRef,
        401: errorRef,
        404: errorRef
      }
    }
  }, async (request, reply) => {
    const { ecosystem, phone } = request.query
    if ((ecosystem === undefined) === (phone === undefined)) {
      throw new HttpError(400, 'give exactly one of the query parameters ecosystem or phone')
    }
    reply.type(JSON_UTF8)
    if (ecosystem !== undefined) {
      const key = normalizeEcosystem(ecosystem)
      // Serialized by the route's own serializer, so a cached body is byte for byte what an
      // uncached one would be.
      return bodies.body(key, leads.generation(), () => Buffer.from(serialize(reply, leads.byEcosystem(key), LeadList)))
    }
    const lead = leads.byPhone(phone as string)
    if (lead === undefined) throw new HttpError(404, `no lead has phone ${phone as string}`)
    return serialize(reply, lead, Lead)
  })
}

/** The route's compiled serializer for `schema` (Fastify caches it), typed for arrays too. */
function serialize (reply: FastifyReply, value: Lead | Lead[], schema: TSchema): string {
  return reply.serializeInput(value as unknown as Record<string, unknown>, schema)
}
