import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { FixtureError } from '../../core/errors.js'
import { FinancialEntity, FinancialEntityUsersPage } from '../../core/financial-entities/schema.js'
import type { Space } from '../../core/space.js'

const errorRef = Type.Ref('HttpError')
/** LeanCore's documented sentences for this route */
const NO_USERS = 'La entidad financiera no existe o no tiene usuarios relacionados'
const BAD_TOKEN = 'La autenticación falló o el token es inválido'

/**
 * LeanCore's financial entities (fintechs): GET /financial-entity?uid= (observed in LeanCore's own
 * client), and GET /financial-entity-users, their users page by page (documented).
 */
export const financialEntityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/financial-entity', {
    config: { auth: 'api', leancore: true },
    schema: {
      tags: ['financial entities'],
      summary: 'A financial entity, with its loan products',
      description: 'Observed in LeanCore\'s own client, not documented: answers the entity with `loan_products`, keyed by product id. ' +
        '404 when there is none.',
      security: [{ bearerAuth: [] }],
      querystring: Type.Object({ uid: Type.String({ minLength: 1, maxLength: 128 }) }),
      response: { 200: Type.Ref(FinancialEntity), 400: errorRef, 401: errorRef, 404: errorRef }
    }
  }, async (request) => {
    const entity = (request.space as Space).financialEntity(request.query.uid)
    if (entity === undefined) throw new FixtureError(404, `Financial entity with uid ${request.query.uid} not found`)
    return entity
  })

  app.get('/financial-entity-users', {
    config: { auth: 'api', leancore: true, authMessage: BAD_TOKEN },
    schema: {
      tags: ['financial entities'],
      summary: 'The users of a financial entity, a page at a time',
      description: 'As LeanCore documents it: `{"size": n, "data": [{uid, name, nit, email, phone, address}]}`, `size` being how many it ' +
        'has (inferred), in the order they became users; `limit` (default 10, at most 1,000) and `offset` page through them. ' +
        `An entity that does not exist or has no users is a 404, "${NO_USERS}"; a missing or wrong token a 401, "${BAD_TOKEN}".`,
      security: [{ bearerAuth: [] }],
      querystring: Type.Object({
        id: Type.String({ minLength: 1, maxLength: 128, description: 'The financial entity\'s uid' }),
        limit: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }),
        offset: Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 })
      }),
      response: { 200: FinancialEntityUsersPage, 400: errorRef, 401: errorRef, 404: errorRef }
    }
  }, async (request) => {
    const { id, limit, offset } = request.query
    const space = request.space as Space
    const page = space.financialEntity(id) === undefined ? { size: 0, data: [] } : space.financialEntityUsers(id, limit, offset)
    if (page.size === 0) throw new FixtureError(404, NO_USERS)
    return page
  })
}
