import fastifyBearerAuth, { type FastifyBearerAuthOptions } from '@fastify/bearer-auth'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { errorBody } from '../errors.js'

const MISSING = 'FST_BEARER_AUTH_MISSING_AUTHORIZATION_HEADER'

/**
 * Puts @fastify/bearer-auth in front of every route of the calling plugin. A 401 has Fastify's
 * error shape and a WWW-Authenticate header, as RFC 6750 asks.
 */
export async function requireBearer (
  app: FastifyInstance,
  accepts: (token: string, request: FastifyRequest) => boolean,
  realm: string
): Promise<void> {
  const options: FastifyBearerAuthOptions = {
    keys: [],
    auth: accepts,
    addHook: 'onRequest',
    // "bearer" and "Bearer" both work, as the scheme is case-insensitive (RFC 7235).
    specCompliance: 'rfc6749',
    verifyErrorLogLevel: 'debug',
    errorResponse: (error) => errorBody(401, (error as Error & { code?: string }).code === MISSING
      ? 'missing Authorization header; send "Authorization: Bearer <token>"'
      : `the Authorization header does not carry a ${realm} token this server accepts`)
  }
  await app.register(fastifyBearerAuth, options)
  const challenge = `Bearer realm="${realm}"`
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.statusCode === 401) reply.header('www-authenticate', challenge)
    done(null, payload)
  })
}
