import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyError, FastifyReply } from 'fastify'
import { instrumentLeanCoreRoute } from '../leancore-route.js'

export const OAuthError = Type.Object({
  error: Type.String({ examples: ['invalid_client'] }),
  error_description: Type.String()
}, { $id: 'OAuthError' })

const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'Seconds (TOKEN_TTL)' })
})

const TokenRequest = Type.Object({
  grant_type: Type.Optional(Type.String({ examples: ['client_credentials'] })),
  client_id: Type.Optional(Type.String({ description: 'Only when the Authorization header is not used' })),
  client_secret: Type.Optional(Type.String())
})

/**
 * POST /oauth2/token: LeanCore's client-credentials flow (RFC 6749 section 4.4). The tokens it
 * issues open GET /lead until they expire.
 */
export const oauthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { issuer } = app.fixture
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })
  // Errors on this route speak OAuth (RFC 6749 section 5.2), not Fastify.
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    return oauthError(reply, error.statusCode ?? 400, 'invalid_request', error.message)
  })
  instrumentLeanCoreRoute(app, '/oauth2/token')

  app.post('/oauth2/token', {
    schema: {
      tags: ['oauth'],
      summary: 'Issue an access token (client credentials)',
      description: 'Send `Authorization: Basic base64(client_id:client_secret)` and the form body ' +
        '`grant_type=client_credentials`. The token opens GET /lead for `expires_in` seconds.',
      security: [{ basicAuth: [] }],
      consumes: ['application/x-www-form-urlencoded', 'application/json'],
      body: TokenRequest,
      response: { 200: TokenResponse, 400: Type.Ref(OAuthError), 401: Type.Ref(OAuthError) }
    },
    // The handler reads the form itself, so that errors come in OAuth's order: who is asking
    // (401 invalid_client) before what they ask for (400).
    validatorCompiler: () => (value) => ({ value })
  }, async (request, reply) => {
    const body: unknown = request.body
    if (typeof body === 'string') {
      return oauthError(reply, 400, 'invalid_request', 'send the form as application/x-www-form-urlencoded')
    }
    const form = (body ?? {}) as Static<typeof TokenRequest>
    const credentials = basicCredentials(request.headers.authorization) ??
      (typeof form.client_id === 'string' ? { id: form.client_id, secret: String(form.client_secret ?? '') } : undefined)
    if (credentials === undefined) {
      return oauthError(reply, 401, 'invalid_client', 'send the client credentials as Authorization: Basic base64(client_id:client_secret)')
    }
    request.oauthClient = credentials.id
    if (!issuer.authenticate(credentials.id, credentials.secret)) {
      return oauthError(reply, 401, 'invalid_client', 'unknown client or wrong secret')
    }
    if (form.grant_type === undefined) {
      return oauthError(reply, 400, 'invalid_request', 'grant_type is required; use grant_type=client_credentials')
    }
    if (form.grant_type !== 'client_credentials') {
      return oauthError(reply, 400, 'unsupported_grant_type', `grant_type ${form.grant_type} is not supported; use client_credentials`)
    }
    void reply.header('pragma', 'no-cache')
    return issuer.issue()
  })
}

function oauthError (reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
  if (status === 401) void reply.header('www-authenticate', 'Basic realm="leancore"')
  return reply.code(status).send({ error, error_description: description })
}

/** client id and secret from "Basic base64(id:secret)", each form-decoded as RFC 6749 asks. */
function basicCredentials (header: string | undefined): { id: string, secret: string } | undefined {
  const match = /^basic +(\S+)$/i.exec(header ?? '')
  if (match === null) return undefined
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon === -1) return undefined
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) }
}

function formDecode (text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '))
  } catch {
    return text
  }
}
