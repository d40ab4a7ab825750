// "No access without a token", route by route: every route the OpenAPI document marks as needing a
// token is asked over a real socket without one, with a wrong one, and with the other kind of token.
// The list is written out here too, so that a new route cannot be added without being in it.
import t from 'tap'
import { DEV_TOKEN } from '../../src/core/config.js'
import { startServer } from '../../src/index.js'
import { ADMIN_TOKEN, sendRaw } from '../helper.js'

const PROTECTED = [
  'GET /lead', 'POST /create-lead', 'POST /update-lead',
  'POST /assign-lead-to-financial-entity', 'POST /turn-lead-into-client', 'GET /user', 'POST /update-user',
  'GET /financial-entity', 'GET /financial-entity-users',
  'GET /__admin/leads', 'POST /__admin/leads', 'DELETE /__admin/leads', 'DELETE /__admin/leads/{id}',
  'GET /__admin/financial-entities', 'POST /__admin/financial-entities', 'DELETE /__admin/financial-entities', 'DELETE /__admin/financial-entities/{id}',
  'GET /__admin/users', 'POST /__admin/users', 'DELETE /__admin/users', 'DELETE /__admin/users/{id}',
  'GET /__admin/ecosystems', 'POST /__admin/reset', 'GET /__admin/journal', 'GET /__admin/journal/stream', 'DELETE /__admin/journal',
  'GET /__admin/scenarios', 'POST /__admin/scenarios', 'DELETE /__admin/scenarios', 'DELETE /__admin/scenarios/{id}',
  'GET /__admin/sandboxes', 'POST /__admin/sandboxes', 'GET /__admin/sandboxes/{id}', 'DELETE /__admin/sandboxes/{id}'
]

t.test('every protected route answers 401 without its token, over a real socket, and changes nothing', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())
  const document = await (await fetch(`${mock.url}/openapi.json`)).json() as { paths: Record<string, Record<string, { security?: object[] }>> }
  // Bearer tokens: the token endpoint's client credentials (Basic) are the OAuth tests' business.
  const bearer = (operation: { security?: object[] }): boolean => (operation.security ?? []).some((scheme) => 'bearerAuth' in scheme || 'adminAuth' in scheme)
  const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).filter(([, operation]) => bearer(operation)).map(([method]) => `${method.toUpperCase()} ${path}`))
  t.same(documented.sort(), [...PROTECTED].sort(), 'the document and this list name the same routes')

  const counts = (): number[] => [mock.leads.list({ limit: 1 }).total, mock.financialEntities.list({ limit: 1 }).total, mock.users.list({ limit: 1 }).total]
  const before = counts()
  for (const route of PROTECTED) {
    const [method, path] = route.split(' ') as [string, string]
    const target = path.replace('{id}', 'x')
    const kinds: Array<[string, string]> = [
      ['no Authorization', ''],
      ['a wrong token', 'Authorization: Bearer not-a-token\r\n'],
      ['Basic', `Authorization: Basic ${Buffer.from(`x:${DEV_TOKEN}`).toString('base64')}\r\n`],
      // Each kind of token opens its own routes only.
      ['the other kind of token', `Authorization: Bearer ${path.startsWith('/__admin') ? DEV_TOKEN : ADMIN_TOKEN}\r\n`]
    ]
    for (const [kind, authorization] of kinds) {
      const body = method === 'GET' || method === 'DELETE' ? '' : '{}'
      const response = await sendRaw(mock.port, `${method} ${target} HTTP/1.1\r\nHost: localhost\r\n${authorization}` +
        `${body === '' ? '' : `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n`}Connection: close\r\n\r\n${body}`)
      t.equal(response.status, 401, `${route}, ${kind}`)
      t.match(response.headers['www-authenticate'], /^Bearer realm="leancore(-admin)?"$/)
      t.equal(JSON.parse(response.body).statusCode, 401)
    }
  }
  t.same(counts(), before, 'no lead, fintech or user was written or deleted')
  t.same(mock.scenarios.list(), [])
  t.same(mock.app.fixture.sandboxes.list(), [])
})
