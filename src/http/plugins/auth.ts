import fastifyBearerAuth from '@fastify/bearer-auth'
import type { FastifyInstance, FastifyRequest, onRequestHookHandler, onSendHookHandler, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import type { Role } from '../../core/fixture.js'
import type { Space } from '../../core/space.js'
import { TokenDigest } from '../../core/tokens/token.js'
import { errorBody } from '../errors.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Which token a route asks for (see Role): 'api' on GET /lead, 'space' or 'admin' on /__admin */
    auth?: Role
    /** The message of the route's 401, where LeanCore documents one of its own */
    authMessage?: string
  }
  interface FastifyRequest {
    /** The bearer token a request carried, accepted or not; set by this plugin */
    token: TokenDigest | undefined
    /** The data the token opened: the shared data or a sandbox; set by this plugin */
    space: Space | undefined
  }
}

interface Guard { verify: onRequestHookHandler, challenge: onSendHookHandler }

const REALMS: Record<Role, string> = { api: 'leancore', space: 'leancore-admin', admin: 'leancore-admin' }
const MISSING = 'FST_BEARER_AUTH_MISSING_AUTHORIZATION_HEADER'

/**
 * Who is asking. @fastify/bearer-auth in front of every route whose config names a role
 * (`config: { auth: 'api' }`):
 * the token is hashed once and checked against the fixture, in constant time. A 401 has Fastify's
 * error shape and a WWW-Authenticate header, as RFC 6750 asks. Other plugins that need to know who
 * is asking (the instrumentation) depend on this one, so their hooks run after it.
 */
export const auth = fp(async (app: FastifyInstance) => {
  const { fixture } = app
  // Stryker disable next-line ArrayDeclaration: equivalent, with addHook: false these keys are never consulted; each route gets its own verifier below
  await app.register(fastifyBearerAuth, { keys: [], addHook: false })
  // Stryker disable next-line StringLiteral: equivalent, a property never declared reads as undefined too; declaring it keeps every request the same shape for V8
  app.decorateRequest('token', undefined)
  // Stryker disable next-line StringLiteral: equivalent, a property never declared reads as undefined too
  app.decorateRequest('space', undefined)

  const verifierFor = app.verifyBearerAuthFactory as NonNullable<typeof app.verifyBearerAuthFactory>
  const guardFor = (role: Role, message?: string): Guard => {
    const realm = REALMS[role]
    const header = `Bearer realm="${realm}"`
    return {
      verify: verifierFor({
        keys: [],
        auth: (token: string, request: FastifyRequest) => {
          // Kept even when refused: the journal shows which token a refused request carried.
          request.token = TokenDigest.of(token)
          request.space = fixture.open(role, request.token)
          return request.space !== undefined
        },
        // "bearer" and "Bearer" both work, as the scheme is case-insensitive (RFC 7235).
        specCompliance: 'rfc6749',
        verifyErrorLogLevel: 'debug',
        errorResponse: (error) => errorBody(401, message ?? ((error as Error & { code?: string }).code === MISSING
          ? 'missing Authorization header; send "Authorization: Bearer <token>"'
          : `the Authorization header does not carry a ${realm} token this server accepts`))
      }) as onRequestHookHandler,
      challenge: (_request, reply, payload, done) => {
        if (reply.statusCode === 401) reply.header('www-authenticate', header)
        done(null, payload)
      }
    }
  }
  const guards = new Map<Role, Guard>()
  for (const role of ['api', 'space', 'admin'] as const) guards.set(role, guardFor(role))

  // Route-level hooks, added as each route is declared: no per-request lookup of the route's role.
  app.addHook('onRoute', (route: RouteOptions) => {
    const role = route.config?.auth
    if (role === undefined) return
    // A route with a message of its own gets a verifier of its own (made once, as the route is declared).
    const message = route.config?.authMessage
    const guard = message === undefined ? guards.get(role) as Guard : guardFor(role, message)
    route.onRequest = [...[route.onRequest ?? []].flat(), guard.verify]
    route.onSend = [...[route.onSend ?? []].flat(), guard.challenge]
  })
}, {
  // Another plugin depends on this name (instrumentation).
  name: 'auth',
  // Stryker disable next-line StringLiteral: the range only guards an install with another Fastify; this one has Fastify 5
  fastify: '5.x'
})
