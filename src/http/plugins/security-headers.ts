import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

// An API that returns personal data (OWASP's REST headers): no caching, no sniffing, no framing.
// Referrer and opener policies are left out: they concern HTML documents, not JSON. The Swagger
// UI pages set their own, looser Content-Security-Policy.
export const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY'
}

// Stryker disable next-line ObjectLiteral,StringLiteral: the name shows only in the errors of plugins that depend on this one (none does), the range only in an install with another Fastify
const PLUGIN = { name: 'security-headers', fastify: '5.x' }

/** Sets SECURITY_HEADERS on every response, before anything else can answer. */
export const securityHeaders = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(SECURITY_HEADERS)
    done()
  })
}, PLUGIN)
