import SwaggerParser from '@apidevtools/swagger-parser'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { readFileSync } from 'node:fs'
import t from 'tap'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE } from '../src/core/leads/schema.js'
import { ADMIN, ADMIN_TOKEN, AUTH, build } from './helper.js'

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
  t.same(lead.tags, ['leads'])
  t.same(lead.parameters.map((p: { name: string, in: string }) => `${p.in}:${p.name}`).sort(), ['query:ecosystem', 'query:id', 'query:nit', 'query:phone'])
  t.same(Object.fromEntries(Object.entries(document.components.securitySchemes).map(([name, { type, scheme }]: [string, any]) => [name, [type, scheme]])),
    { bearerAuth: ['http', 'bearer'], basicAuth: ['http', 'basic'], adminAuth: ['http', 'bearer'] }, 'the token, the OAuth client and the admin token, as HTTP schemes')
  t.same(Object.keys(document.components.schemas.Lead.properties).length, 18, 'the Lead schema is a component with 18 properties')
  t.same(document.paths['/health'].get.tags, ['health'])
  t.equal(document.info.version, JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version, 'the version is the package\'s')
  t.notOk(document.paths['/openapi.json'], 'the document does not list itself')
  t.same(Object.keys(document.paths).filter((path) => path.startsWith('/docs')), [], 'nor the documentation pages')
})

t.test('/docs serves Swagger UI with a policy that lets it run on plain http', async (t) => {
  const app = await build(t)
  for (const url of ['/docs', '/docs/']) {
    const page = await app.inject({ method: 'GET', url })
    t.equal(page.statusCode, 200, url)
    t.match(page.headers['content-type'], /text\/html/)
    t.match(page.body, /swagger/i)
    const policy = String(page.headers['content-security-policy'])
    t.notMatch(policy, /upgrade-insecure-requests/)
    t.match(policy, /script-src 'self'/)
    const directives = policy.split(';').map((part) => part.trim()).filter((part) => part !== '')
    t.same(directives.filter((directive) => !/^[a-z-]+( |$)/.test(directive)), [], `${url}: every part of the policy is a directive`)
  }
})

t.test('/docs/<path> is passed to the documentation only when it looks like an asset path', async (t) => {
  const app = await build(t)
  // Names of letters, digits, '-' and '_', with inner dots, separated by single slashes: the
  // documentation answers (an asset, or its own 404).
  for (const [path, status] of [['/docs/json', 200], ['/docs/static/swagger-ui.css', 200], ['/docs/static/nodot', 404],
    ['/docs/static/a.b.c', 404], ['/docs/ab.cd/x', 404], ['/docs/a/b/c', 404]] as const) {
    const response = await app.inject(path)
    t.equal(response.statusCode, status, path)
    if (status === 404) t.equal(response.json().message, `Route GET:${path} not found`, `${path}: the documentation's own answer`)
  }
  // Anything else never reaches it.
  for (const path of ['/docs/a..b', '/docs/.hidden', '/docs/static/', '/docs/x;y', '/docs/a/.b', '/docs/a%20b', '/docs/static//x']) {
    const response = await app.inject(path)
    t.same([response.statusCode, response.json().message], [404, 'no such documentation page'], path)
  }
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
  for (const type of ['application/x-www-form-urlencoded', 'application/json']) {
    t.same(Object.keys(document.paths['/oauth2/token'].post.requestBody.content[type].schema.properties), ['grant_type', 'client_id', 'client_secret'], `the token request's fields, as ${type}`)
  }
  t.same(document.paths['/__admin/leads'].post.security, [{ adminAuth: [] }])
  t.same(document.tags.map((tag: { name: string }) => tag.name), ['leads', 'users', 'financial entities', 'oauth', 'admin', 'health'])
})

t.test('every error a route documents is the shared error schema, and every {id} in a path is a documented parameter', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
  interface Operation { parameters?: Array<{ in: string, name: string, required: boolean, schema: object }>, responses: Record<string, { content?: Record<string, { schema: object }> }> }
  const operations = Object.entries(document.paths as Record<string, Record<string, Operation>>)
    .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ route: `${method} ${path}`, path, operation })))
  t.ok(operations.length >= 18, 'the lead, health, token and admin routes are all here')
  for (const { route, path, operation } of operations) {
    const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400)
    const shared = path === '/oauth2/token' ? '#/components/schemas/OAuthError' : '#/components/schemas/HttpError'
    t.same(errors.map(([status, response]) => [status, response.content?.['application/json']?.schema]), errors.map(([status]) => [status, { $ref: shared }]), route)
    if (path.startsWith('/__admin/')) t.match(errors.map(([status]) => status), ['400', '401', '404'], `${route}: a bad request, no admin token, no such thing`)
    const inPath = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ in: 'path', name, required: true, schema: { type: 'string' } }))
    t.same(operation.parameters?.filter((parameter) => parameter.in === 'path') ?? [], inPath, `${route}: its path parameters`)
  }
  t.same(document.paths['/__admin/leads'].get.responses['200'].content['application/json'].schema.properties.leads.items, { $ref: '#/components/schemas/Lead' })
})

t.test('without the admin API the document does not advertise it', async (t) => {
  const app = await build(t)
  const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
  t.same(Object.keys(document.paths).filter((path) => path.startsWith('/__admin')), [])
})

// What a client generates from the document must accept what the server sends, and must not be so
// loose that it accepts anything: each live body is checked against the schema documented for its
// route and status, and the same body with a required field taken out must fail that schema.
t.test('every response a client gets matches the schema the document gives it, and that schema has teeth', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats.default(ajv)
  ajv.addSchema({ ...document, $id: 'openapi' })
  const schemaOf = (method: string, path: string, status: number): ValidateFunction => {
    const pointer = ['paths', path, method, 'responses', String(status), 'content', 'application/json', 'schema']
      .map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')
    return ajv.compile({ $ref: `openapi#/${pointer}` })
  }
  const withoutRequired = (body: unknown): unknown => {
    const target = Array.isArray(body) ? structuredClone(body[0]) : structuredClone(body)
    const [first] = Object.keys(target as object)
    delete (target as Record<string, unknown>)[first as string]
    return Array.isArray(body) ? [target] : target
  }

  await app.inject({ method: 'POST', url: '/__admin/scenarios', headers: ADMIN, payload: { match: { token: 'suite-token' }, respond: { status: 503 }, times: 5 } })
  const calls: Array<[string, string, string, Record<string, string>, object?]> = [
    ['get', '/lead', `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, AUTH],
    ['get', '/lead', `/lead?phone=${EXAMPLE_PHONE}`, AUTH],
    ['get', '/lead', '/lead?ecosystem=nope', AUTH],
    ['get', '/lead', '/lead?phone=573000000000', AUTH],
    ['get', '/lead', '/lead', {}],
    ['get', '/health', '/health', {}],
    ['get', '/__admin/leads', '/__admin/leads?limit=2', ADMIN],
    ['get', '/__admin/journal', '/__admin/journal', ADMIN],
    ['get', '/__admin/scenarios', '/__admin/scenarios', ADMIN],
    ['post', '/__admin/sandboxes', '/__admin/sandboxes', ADMIN, { seed: 'none', name: 'docs' }],
    ['get', '/__admin/sandboxes', '/__admin/sandboxes', ADMIN]
  ]
  for (const [method, path, url, headers, payload] of calls) {
    const response = await app.inject({ method: method.toUpperCase() as 'GET', url, headers, ...(payload === undefined ? {} : { payload }) })
    const body = response.json()
    const documented = schemaOf(method, path, response.statusCode)
    t.ok(documented(body), `${method} ${url} ${response.statusCode} matches its documented schema ${JSON.stringify(documented.errors)}`)
    if (typeof body === 'object' && body !== null && Object.keys(Array.isArray(body) ? body[0] ?? {} : body).length > 0) {
      t.notOk(documented(withoutRequired(body)), `${method} ${url} ${response.statusCode}: a field less does not`)
    }
    // Every error has exactly Fastify's three fields; a client generated from the document knows them all.
    if (response.statusCode >= 400) t.notOk(documented({ ...body, detail: 'more' }), `${method} ${url} ${response.statusCode}: a field more does not`)
  }

  const entry = (await app.inject({ method: 'GET', url: '/__admin/journal', headers: ADMIN })).json().entries[0]
  const journal = schemaOf('get', '/__admin/journal', 200)
  t.ok(journal({ capacity: 1, dropped: 0, entries: [entry] }))
  t.notOk(journal({ capacity: 1, dropped: 0, entries: [{ ...entry, time: 'yesterday' }] }), 'time is a date-time')
  t.notOk(journal({ capacity: 1, dropped: 0, entries: [{ ...entry, extra: 1 }] }), 'and nothing else is in an entry')

  const created = (await app.inject({ method: 'POST', url: '/__admin/sandboxes', headers: ADMIN, payload: {} })).json()
  const [listed] = (await app.inject({ method: 'GET', url: '/__admin/sandboxes', headers: ADMIN })).json()
  const answers = { created: [schemaOf('post', '/__admin/sandboxes', 201), created], listed: [schemaOf('get', '/__admin/sandboxes', 200), listed] } as const
  t.ok(answers.listed[0]([{ ...listed, name: null }]), 'a sandbox may have no name')
  for (const [which, [schema, body]] of Object.entries(answers)) {
    const check = (value: object): boolean => schema(which === 'listed' ? [value] : value) as boolean
    for (const [field, value] of [['createdAt', 'yesterday'], ['expiresAt', 'tomorrow'], ['name', 5], ['leads', 1.5], ['id', null], ['clientId', 7], ['token', 7], ['clientSecret', 7]] as const) {
      if (field in body) t.notOk(check({ ...body, [field]: value }), `${which} sandbox: ${field} ${JSON.stringify(value)} does not match`)
    }
    t.notOk(check({ ...body, extra: 1 }), `${which} sandbox: nothing else is in it`)
  }
  t.ok(document.components.schemas.Sandbox, 'a listed sandbox is a component by name')

  const [scenario] = (await app.inject({ method: 'GET', url: '/__admin/scenarios', headers: ADMIN })).json()
  const scenarios = schemaOf('get', '/__admin/scenarios', 200)
  t.ok(scenarios([{ ...scenario, remaining: null }]), 'a scenario without a limit')
  t.notOk(scenarios([{ ...scenario, remaining: 'many' }]), 'remaining is a number or null')
  t.notOk(scenarios([{ ...scenario, extra: 1 }]), 'and nothing else is in a scenario')
  t.notOk(scenarios([{ ...scenario, respond: { status: 503, extra: 1 } }]), 'nor in its response')
  t.same(Object.keys(document.components.schemas).filter((name) => /Scenario/.test(name)), ['Scenario'], 'a listed scenario is a component by name')
})
