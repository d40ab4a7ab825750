// The JSON body plugin on its own, as a route another plugin declares would meet it: a route without a
// body schema takes no body (a Content-Type alone is fine) and keeps its own hooks; one with a body
// schema gets the parsed body; the journal keeps the start of what came.
import Fastify, { type FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { jsonBody } from '../src/http/plugins/json-body.js'
import type {} from '../src/http/plugins/instrumentation.js'

async function appWithJsonBody (t: Test): Promise<FastifyInstance> {
  const app = Fastify()
  t.after(() => app.close())
  await app.register(jsonBody)
  return app
}

const JSON_TYPE = { 'content-type': 'application/json' }

t.test('a route without a schema takes no body, whatever the Content-Type says, and keeps its own preValidation', async (t) => {
  const app = await appWithJsonBody(t)
  const seen: string[] = []
  app.delete('/things/:id', { preValidation: async () => { seen.push('own preValidation') } }, async () => ({ deleted: 1 }))
  app.post('/reset', async () => ({ reset: true }))

  const bodiless = await app.inject({ method: 'DELETE', url: '/things/1', headers: JSON_TYPE })
  t.same([bodiless.statusCode, bodiless.json()], [200, { deleted: 1 }], 'a Content-Type alone is no body')
  const withBody = await app.inject({ method: 'DELETE', url: '/things/1', headers: JSON_TYPE, payload: '{"id":"1"}' })
  t.equal(withBody.statusCode, 400)
  t.equal(withBody.json().message, 'DELETE /things/:id takes no body; send none (a Content-Type alone is fine)')
  t.same(seen, ['own preValidation', 'own preValidation'], 'the route\'s own hook still runs, before the refusal')
  const reset = await app.inject({ method: 'POST', url: '/reset', headers: JSON_TYPE, payload: '[]' })
  t.equal(reset.json().message, 'POST /reset takes no body; send none (a Content-Type alone is fine)', 'an empty array is a body too')
  t.equal((await app.inject({ method: 'POST', url: '/reset', headers: JSON_TYPE })).statusCode, 200)
})

t.test('a route with a body schema gets the body parsed, and the journal its start', async (t) => {
  const app = await appWithJsonBody(t)
  app.post('/echo', { schema: { body: { type: 'object' } } }, async (request) => ({ body: request.body, kept: request.bodyText }))
  const small = await app.inject({ method: 'POST', url: '/echo', headers: JSON_TYPE, payload: '{"name":"Ana"}' })
  t.same(small.json(), { body: { name: 'Ana' }, kept: '{"name":"Ana"}' })

  // Two bytes a character: the journal's 4,096 characters are 8,192 bytes of this body.
  const long = `{"note":"${'ñ'.repeat(10_000)}"}`
  const kept = (await app.inject({ method: 'POST', url: '/echo', headers: JSON_TYPE, payload: long })).json().kept as string
  t.equal(kept, long.slice(0, 4096), 'the first 4,096 characters, whole')
  const empty = await app.inject({ method: 'POST', url: '/echo', headers: JSON_TYPE })
  t.equal(empty.statusCode, 400, 'no body where one is expected is the schema\'s refusal')
})
