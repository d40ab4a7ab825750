import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyError, FastifyReply } from 'fastify'
import { TokenLimitReached } from '../../core/tokens/issuer.js'
import { journalText } from '../plugins/json-body.js'

export const OAuthError = Type.Object({
  error: Type.String({ examples: ['invalid_client'] }),
  error_description: Type.String()
}, { $id: 'OAuthError' })

const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'Seconds (TOKEN_TTL)' })
})

const oauthErrorRef = Type.Ref(OAuthError)

const FORM_FIELDS = ['grant_type', 'client_id', 'client_secret'] as const

/** LeanCore's documented answer to wrong or unknown client credentials, word for word */
const INVALID_CLIENT = 'The client credentials are invalid.'

const TokenRequest = Type.Object({
  grant_type: Type.Optional(Type.String({ examples: ['client_credentials'] })),
  client_id: Type.Optional(Type.String({ description: 'Only when the Authorization header is not used' })),
  client_secret: Type.Optional(Type.String())
})

type TokenForm = Static<typeof TokenRequest>

declare module 'fastify' {
  interface FastifyRequest {
    /** The token request's fields, from the form body and the query string together; set in its preHandler */
    tokenForm: TokenForm | undefined
  }
}

/**
 * The token request's fields: each may come in the form body (RFC 6749) or in the query string
 * (LeanCore's own app sends `?grant_type=client_credentials` with no body at all). A field given in
 * both must say the same; each must be one string. Returns what is wrong, as a sentence, or the form.
 */
function tokenForm (query: Record<string, unknown>, body: Record<string, unknown>): TokenForm | string {
  const form: Record<string, string> = {}
  for (const field of FORM_FIELDS) {
    const [inQuery, inBody] = [query[field], body[field]]
    for (const value of [inQuery, inBody]) {
      if (value !== undefined && typeof value !== 'string') return `${field} must be a string`
    }
    if (inQuery !== undefined && inBody !== undefined && inQuery !== inBody) {
      return `${field} is given in the query string and in the body, with different values; give it once`
    }
    const value = inBody ?? inQuery
    if (value !== undefined) form[field] = value as string
  }
  return form
}

/**
 * POST /oauth2/token: LeanCore's client-credentials flow (RFC 6749 section 4.4). The tokens it
 * issues open GET /lead until they expire.
 */
export const oauthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { fixture } = app
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
    request.bodyText = journalText(body as string)
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })
  // Stryker disable next-line StringLiteral: equivalent, a property never declared reads as undefined too; declaring it keeps every request the same shape for V8
  app.decorateRequest('tokenForm', undefined)
  // Errors on this route speak OAuth (RFC 6749 section 5.2), not Fastify. A client error keeps
  // its message; anything else is logged and answered without internals, as everywhere else.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode
    if (status !== undefined && status >= 400 && status < 500) return oauthError(reply, status, 'invalid_request', error.message)
    request.log.error({ err: error }, 'request failed')
    return oauthError(reply, 500, 'server_error', 'Internal Server Error; the server log has the details')
  })
  app.post('/oauth2/token', {
    config: { leancore: true },
    schema: {
      tags: ['oauth'],
      summary: 'Issue an access token (client credentials)',
      description: 'Send `Authorization: Basic base64(client_id:client_secret)` and the form body ' +
        '`grant_type=client_credentials`, or `?grant_type=client_credentials` in the query string with no body, as ' +
        'LeanCore\'s own app does. The token opens the Lead API for `expires_in` seconds.',
      security: [{ basicAuth: [] }],
      consumes: ['application/x-www-form-urlencoded', 'application/json'],
      querystring: TokenRequest,
      body: TokenRequest,
      response: { 200: TokenResponse, 400: oauthErrorRef, 401: oauthErrorRef, 429: oauthErrorRef }
    },
    // The client is authenticated before anything else looks at the request (a scenario
    // included), and errors come in OAuth's order: who is asking (401 invalid_client) before what
    // they ask for (400).
    preHandler: async (request, reply) => {
      // An empty body of any type is no body: a client that sends grant_type in the query may still set one.
      const body: unknown = (request.body as unknown) === '' ? undefined : request.body
      if (typeof body === 'string') {
        return oauthError(reply, 400, 'invalid_request', 'send the form as application/x-www-form-urlencoded')
      }
      const form = tokenForm(request.query as Record<string, unknown>, (body ?? {}) as Record<string, unknown>)
      if (typeof form === 'string') return oauthError(reply, 400, 'invalid_request', form)
      request.tokenForm = form
      const { client_id: clientId, client_secret: clientSecret } = form
      const credentials = basicCredentials(request.headers.authorization) ??
        // Stryker disable next-line StringLiteral: equivalent, any secret no client has; OAUTH_CLIENTS refuses an empty one
        (clientId === undefined ? undefined : { id: clientId, secret: clientSecret ?? '' })
      if (credentials === undefined) {
        return oauthError(reply, 401, 'invalid_client', 'send the client credentials as Authorization: Basic base64(client_id:client_secret)')
      }
      request.oauthClient = credentials.id
      if (!fixture.authenticateClient(credentials.id, credentials.secret)) {
        return oauthError(reply, 401, 'invalid_client', INVALID_CLIENT)
      }
    },
    // The form is read by hand, above and below, so that errors come in that order.
    // Stryker disable next-line ArrowFunction,ObjectLiteral: equivalent, Fastify treats no validator, no result and a result without a value alike, and a missing body is read as {} either way
    validatorCompiler: () => (value) => ({ value })
  }, async (request, reply) => {
    const grantType = (request.tokenForm as TokenForm).grant_type
    if (grantType === undefined) {
      return oauthError(reply, 400, 'invalid_request', 'grant_type is required; use grant_type=client_credentials')
    }
    if (grantType !== 'client_credentials') {
      return oauthError(reply, 400, 'unsupported_grant_type', `grant_type ${grantType} is not supported; use client_credentials`)
    }
    try {
      const issued = fixture.issueTokenTo(request.oauthClient as string)
      reply.header('pragma', 'no-cache')
      return issued
    } catch (error) {
      if (!(error instanceof TokenLimitReached)) throw error
      reply.header('retry-after', String(error.retryAfterSeconds))
      return oauthError(reply, 429, 'invalid_request', error.message)
    }
  })
}

function oauthError (reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
  if (status === 401) reply.header('www-authenticate', 'Basic realm="leancore"')
  return reply.code(status).send({ error, error_description: description })
}

/** client id and secret from "Basic base64(id:secret)", each form-decoded as RFC 6749 asks. */
function basicCredentials (header: string | undefined): { id: string, secret: string } | undefined {
  // Stryker disable next-line StringLiteral: equivalent, any text without the Basic scheme fails the same way as none
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
