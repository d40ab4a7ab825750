import type { FastifyReply, FastifyRequest } from 'fastify'

// An API that returns personal data (OWASP's REST headers): no caching, no sniffing, no framing.
// Referrer and opener policies are left out: they concern HTML documents, not JSON. The Swagger
// UI pages set their own, looser Content-Security-Policy.
export const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY'
}

export function securityHeaders (_request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  reply.headers(SECURITY_HEADERS)
  done()
}
