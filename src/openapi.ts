import fastifySwagger, { type SwaggerOptions } from '@fastify/swagger'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'

const DOCUMENT: SwaggerOptions = {
  openapi: {
    openapi: '3.0.3',
    info: {
      title: 'leancore-mock',
      description: "A reference server for LeanCore's Lead API. Tokens: see the README (development token `leancore-dev-token`).",
      version: '1.0.0'
    },
    tags: [
      { name: 'leads', description: "LeanCore's Lead API" },
      { name: 'oauth', description: "LeanCore's token endpoint (client credentials)" },
      { name: 'admin', description: 'Fixture control for tests: leads, request journal, scenarios. Only when ADMIN_TOKEN is set.' },
      { name: 'health', description: 'Liveness for load balancers and containers' }
    ],
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token (API_TOKENS) or one issued by POST /oauth2/token' },
        basicAuth: { type: 'http', scheme: 'basic', description: 'An OAuth client (OAUTH_CLIENTS): client_id and client_secret' },
        adminAuth: { type: 'http', scheme: 'bearer', description: 'The admin token (ADMIN_TOKEN)' }
      }
    }
  },
  // Shared schemas become components/schemas under their own names (every one has an $id:
  // Lead, HttpError, OAuthError, JournalEntry, Scenario...).
  refResolver: { buildLocalReference: (json) => json.$id as string }
}

// Hop-by-hop and framing headers belong to each response's own connection.
const NOT_FORWARDED = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date'])

/**
 * The OpenAPI 3 document, generated from the route schemas (the same TypeBox schemas that
 * validate and serialize), at /openapi.json, and Swagger UI at /docs.
 *
 * Swagger UI is loaded on the first visit to /docs, in a small Fastify instance of its own that
 * /docs forwards to: it is a tenth of the start-up time, and most runs (test fixtures, staging)
 * never open it.
 */
export async function openapi (app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, DOCUMENT)
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  let ui: Promise<FastifyInstance> | undefined
  app.addHook('onClose', async () => { if (ui !== undefined) await (await ui).close() })
  const docs = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    ui ??= swaggerUi(app.swagger() as Record<string, unknown>)
    const response = await (await ui).inject({ method: request.method as 'GET' | 'HEAD', url: request.url })
    for (const [name, value] of Object.entries(response.headers)) {
      if (!NOT_FORWARDED.has(name) && value !== undefined) void reply.header(name, value)
    }
    return reply.code(response.statusCode).send(response.rawPayload)
  }
  app.get('/docs', { schema: { hide: true } }, docs)
  app.get('/docs/*', { schema: { hide: true } }, docs)
}

async function swaggerUi (document: Record<string, unknown>): Promise<FastifyInstance> {
  const { default: fastifySwaggerUi } = await import('@fastify/swagger-ui')
  const ui = Fastify({ logger: false })
  await ui.register(fastifySwagger, { mode: 'static', specification: { document: document as never } })
  await ui.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // Swagger UI's policy upgrades requests to https, which breaks it on http://127.0.0.1.
    transformStaticCSP: (header) => header.replace('upgrade-insecure-requests;', '').trim()
  })
  await ui.ready()
  return ui
}
