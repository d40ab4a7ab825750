import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifySchemaCompiler } from 'fastify'
import { FixtureError } from '../../core/errors.js'
import type { Space } from '../../core/space.js'
import { readUserChanges, type UserChanges } from '../../core/users/lifecycle.js'
import { UpdateUserInput, User, type StoredUser } from '../../core/users/schema.js'

const JSON_UTF8 = 'application/json; charset=utf-8'
const errorRef = Type.Ref('HttpError')
const OneUser = Type.Ref(User)
const UserQuery = Type.Object({
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'The user with this id (the id of the lead it was)' })),
  nit: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'The user with this NIT' }))
})
// The fixture reads the body itself, before any scenario applies; the schema documents it.
const readByTheFixture: FastifySchemaCompiler<unknown> = () => (value) => ({ value })

declare module 'fastify' {
  interface FastifyRequest {
    /** What update-user's body asks for, read in preHandler */
    userChanges: UserChanges | undefined
  }
}

/**
 * LeanCore's users: the leads turned into clients of a financial entity. GET /user by id or NIT,
 * POST /update-user; each answers the user: the lead's 18 keys, and `available_quota`.
 */
export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Stryker disable next-line StringLiteral: equivalent, a property never declared reads as undefined too; declaring it keeps every request the same shape for V8
  app.decorateRequest('userChanges', undefined)

  app.get('/user', {
    config: { auth: 'api', leancore: true },
    schema: {
      tags: ['users'],
      summary: 'A user, by id or NIT',
      description: 'Give exactly one of `id` and `nit`. Answers the user: the 18 keys of the lead it was (with `id`) and ' +
        '`available_quota` (observed in LeanCore\'s client; the user\'s quota, as no loans exist in the mock). 404 when there is none.',
      security: [{ bearerAuth: [] }],
      querystring: UserQuery,
      response: { 200: OneUser, 400: errorRef, 401: errorRef, 404: errorRef }
    }
  }, async (request, reply) => {
    const { id, nit } = request.query
    if ((id === undefined) === (nit === undefined)) {
      throw new FixtureError(400, `give exactly one of the query parameters id or nit${id === undefined ? '' : ', not both'}`)
    }
    const space = request.space as Space
    const user = id !== undefined ? space.userById(id) : space.userWithNit(nit as string)
    if (user === undefined) throw new FixtureError(404, id !== undefined ? `User with id ${id} not found` : `User with nit ${nit as string} not found`)
    return answer(reply, user)
  })

  app.post('/update-user', {
    config: { auth: 'api', leancore: true },
    schema: {
      tags: ['users'],
      summary: 'Update a user: the fields given, by id',
      description: 'As LeanCore documents it: `id` required; `name`, `lastname`, `nit`, `phone`, `email`, `address`, `business_entity`, ' +
        '`business_name`, `history`, `score`, `image`, `status` and `additional_data` optional. Answers the user. An unknown id is a 404; ' +
        'a NIT or phone another user of the ecosystem has is a 400 (inferred).',
      security: [{ bearerAuth: [] }],
      body: UpdateUserInput,
      response: { 200: OneUser, 400: errorRef, 401: errorRef, 404: errorRef }
    },
    validatorCompiler: readByTheFixture,
    preHandler: async (request) => {
      request.userChanges = readUserChanges(request.body)
    }
  }, async (request, reply) => {
    const space = request.space as Space
    return answer(reply, await space.bulk.exclusive(() => space.updateUser(request.userChanges as UserChanges)))
  })
}

/** The user as LeanCore answers it: without the financial entity it belongs to. */
function answer (reply: FastifyReply, { financial_entity: _entity, ...user }: StoredUser): string {
  reply.type(JSON_UTF8)
  return reply.serializeInput(user, OneUser)
}
