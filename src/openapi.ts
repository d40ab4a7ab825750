import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'

/**
 * The OpenAPI 3 document, generated from the route schemas (the same TypeBox schemas that
 * validate and serialize), at /openapi.json, with Swagger UI at /docs.
 */
export async function openapi (app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
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
    // Shared schemas ($id Lead, HttpError) become components/schemas under their own names.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => typeof json.$id === 'string' ? json.$id : `def-${i}`
    }
  })
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // Swagger UI's policy upgrades requests to https, which breaks it on http://127.0.0.1.
    transformStaticCSP: (header) => header.replace('upgrade-insecure-requests;', '').trim()
  })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}
