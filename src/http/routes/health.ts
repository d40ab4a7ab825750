import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'

const Healthy = Type.Object({ status: Type.Literal('ok') })
const Unhealthy = Type.Ref('HttpError')

/** GET /health: no auth, for load balancers and Docker's HEALTHCHECK. */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { fixture } = app
  app.get('/health', {
    schema: {
      tags: ['health'],
      summary: 'Readiness: the database answers (its schema version, and one indexed read of the leads)',
      response: { 200: Healthy, 503: Unhealthy }
    }
  }, async () => {
    fixture.checkHealth()
    return { status: 'ok' as const }
  })
}
