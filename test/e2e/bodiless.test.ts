// Routes that take no body, over a real socket: many clients send `Content-Type: application/json`
// on every request, a DELETE or a bodiless POST included, and such a request must work as if no
// Content-Type was sent. A body sent anyway is a 400 naming the route, and changes nothing.
import t from 'tap'
import { startServer } from '../../src/index.js'
import { ADMIN_TOKEN, sendRaw } from '../helper.js'

t.test('every route without a body answers a JSON Content-Type with no body as it would without it; a body is a 400', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())
  const document = await (await fetch(`${mock.url}/openapi.json`)).json() as { paths: Record<string, Record<string, { requestBody?: object }>> }
  const bodiless = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).filter(([method, operation]) => method !== 'get' && operation.requestBody === undefined).map(([method]) => [method.toUpperCase(), path] as const))
  t.same(bodiless.map(([method, path]) => `${method} ${path}`).sort(), [
    'DELETE /__admin/financial-entities', 'DELETE /__admin/financial-entities/{id}', 'DELETE /__admin/journal', 'DELETE /__admin/leads',
    'DELETE /__admin/leads/{id}', 'DELETE /__admin/sandboxes/{id}', 'DELETE /__admin/scenarios', 'DELETE /__admin/scenarios/{id}',
    'DELETE /__admin/users', 'DELETE /__admin/users/{id}', 'POST /__admin/reset'
  ], 'the routes that take no body')

  const send = async (method: string, path: string, body: string | undefined, contentType = 'application/json'): Promise<{ status: number, body: string }> =>
    await sendRaw(mock.port, `${method} ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\n` +
      `Content-Type: ${contentType}\r\n${body === undefined ? 'Content-Length: 0\r\n' : `Content-Length: ${Buffer.byteLength(body)}\r\n`}Connection: close\r\n\r\n${body ?? ''}`)

  const leads = mock.leads.list({ limit: 1 }).total
  for (const [method, path] of bodiless) {
    const target = path.replace('{id}', 'not-there')
    for (const body of ['{}', 'null', '[]', '{"ecosystem":"fd3705e1-3149-4c41-bfe7-cf0bee79cfad"}']) {
      const refused = await send(method, target, body)
      t.equal(refused.status, 400, `${method} ${path} with ${body}`)
      t.equal(JSON.parse(refused.body).message, `${method} ${path.replace('{id}', ':id')} takes no body; send none (a Content-Type alone is fine)`)
    }
    t.equal(mock.leads.list({ limit: 1 }).total, leads, `${method} ${path}: a refused request changed nothing`)
  }

  // Without a body, each does its work: the same answer as with no Content-Type at all.
  const box = await mock.sandbox({ seed: 'none' })
  t.equal((await send('DELETE', `/__admin/sandboxes/${box.id}`, undefined)).status, 204, 'a sandbox deleted with a JSON Content-Type and no body')
  t.same(mock.app.fixture.sandboxes.list(), [], 'and it is gone')
  t.equal((await send('DELETE', '/__admin/journal', undefined)).status, 204)
  t.equal((await send('DELETE', '/__admin/leads/not-there', undefined, 'application/json; charset=utf-8')).status, 404, 'a 404 for an id no lead has, not a 400')
  const reset = await send('POST', '/__admin/reset', undefined)
  t.same([reset.status, JSON.parse(reset.body)], [200, { leads }])
  t.same(JSON.parse((await send('DELETE', '/__admin/scenarios', undefined)).body), { deleted: 0 })
})
