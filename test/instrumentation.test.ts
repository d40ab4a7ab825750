// The instrumentation plugin on its own, as another route of this server would meet it.
import Fastify, { type FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { configFromOptions } from '../src/core/config.js'
import { Fixture } from '../src/core/fixture.js'
import { auth } from '../src/http/plugins/auth.js'
import { instrumentation } from '../src/http/plugins/instrumentation.js'

const TOKEN = 'instrumented-token'

async function appWith (t: Test, plugins: Array<typeof auth>): Promise<FastifyInstance> {
  const app = Fastify()
  const fixture = new Fixture(configFromOptions({ databasePath: ':memory:', seed: 'none', tokens: [TOKEN] }))
  app.decorate('fixture', fixture)
  t.after(async () => { await app.close(); await fixture.close() })
  for (const plugin of plugins) await app.register(plugin)
  return app
}

t.test('a LeanCore route keeps its own preHandler and onResponse hooks; scenarios and the journal come after them', async (t) => {
  const app = await appWith(t, [auth, instrumentation])
  const seen: string[] = []
  app.get('/instrumented', {
    config: { auth: 'api', leancore: true },
    preHandler: async () => { seen.push('own preHandler') },
    onResponse: async (_request, reply) => { seen.push(`own onResponse ${reply.statusCode}`) }
  }, async () => ({ ok: true }))
  const headers = { authorization: `Bearer ${TOKEN}` }
  t.equal((await app.inject({ method: 'GET', url: '/instrumented', headers })).statusCode, 200)
  app.fixture.scenarios.add({ respond: { status: 503 }, times: 1 })
  t.equal((await app.inject({ method: 'GET', url: '/instrumented', headers })).statusCode, 503, 'a scenario answers in its place')
  t.same(seen, ['own preHandler', 'own onResponse 200', 'own preHandler', 'own onResponse 503'])
  t.same(app.fixture.journal.entries().map((entry) => [entry.path, entry.status]), [['/instrumented', 200], ['/instrumented', 503]])
})

t.test('without the auth plugin registered first, the app does not start', async (t) => {
  const app = await appWith(t, [])
  await t.rejects(async () => { await app.register(instrumentation).ready() }, /auth/)
})
