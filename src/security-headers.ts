import type { FastifyReply, FastifyRequest } from 'fastify'

// An API that returns personal data: no caching, no sniffing, no framing, no referrer.
// The Swagger UI pages set their own, looser Content-Security-Policy.
export const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin'
}

export function securityHeaders (_request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  reply.headers(SECURITY_HEADERS)
  done()
}
