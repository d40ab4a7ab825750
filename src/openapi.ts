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
        { name: 'health', description: 'Liveness for load balancers and containers' }
      ],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token (API_TOKENS)' }
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
