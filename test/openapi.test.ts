import SwaggerParser from '@apidevtools/swagger-parser'
import t from 'tap'
import { build } from './helper.js'

t.test('/openapi.json is a valid OpenAPI 3 document of the lead API', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(response.statusCode, 200)
  const document = response.json()
  t.match(document.openapi, /^3\./)
  await t.resolves(SwaggerParser.validate(structuredClone(document)), 'validates as OpenAPI 3')

  const lead = document.paths['/lead'].get
  t.same(Object.keys(lead.responses).sort(), ['200', '400', '401', '404'])
  t.same(lead.security, [{ bearerAuth: [] }])
  t.same(lead.parameters.map((p: { name: string, in: string }) => `${p.in}:${p.name}`).sort(), ['query:ecosystem', 'query:phone'])
  t.match(document.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer' })
  t.same(Object.keys(document.components.schemas.Lead.properties).length, 18, 'the Lead schema is a component with 18 properties')
  t.same(document.paths['/health'].get.tags, ['health'])
  t.notOk(document.paths['/openapi.json'], 'the document does not list itself')
})

t.test('/docs serves Swagger UI with a policy that lets it run on plain http', async (t) => {
  const app = await build(t)
  const page = await app.inject({ method: 'GET', url: '/docs/' })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /text\/html/)
  t.match(page.body, /swagger/i)
  t.notMatch(String(page.headers['content-security-policy']), /upgrade-insecure-requests/)
  t.match(String(page.headers['content-security-policy']), /script-src 'self'/)
})

t.test('with the admin API on, the document lists the admin and OAuth routes under their own tags', async (t) => {
  const app = await build(t, { adminToken: 'admin-token-for-docs' })
  const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
  await t.resolves(SwaggerParser.validate(structuredClone(document)), 'still valid OpenAPI 3')
  const tagsOf = (prefix: string): string[] => Object.entries(document.paths as Record<string, Record<string, { tags: string[] }>>)
    .filter(([path]) => path.startsWith(prefix))
    .flatMap(([, operations]) => Object.values(operations).flatMap((operation) => operation.tags))
  t.ok(tagsOf('/__admin/').length >= 9)
  t.same([...new Set(tagsOf('/__admin/'))], ['admin'])
  t.same(tagsOf('/oauth2/token'), ['oauth'])
  t.same(document.paths['/oauth2/token'].post.security, [{ basicAuth: [] }])
  t.same(document.paths['/__admin/leads'].post.security, [{ adminAuth: [] }])
  t.same(document.tags.map((tag: { name: string }) => tag.name), ['leads', 'oauth', 'admin', 'health'])
})

t.test('without the admin API the document does not advertise it', async (t) => {
  const app = await build(t)
  const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
  t.same(Object.keys(document.paths).filter((path) => path.startsWith('/__admin')), [])
})
