// Property-based: whatever a client sends in the path, the query string, the headers or the body,
// the server answers with JSON of the documented shape, never with a 5xx, and never with a 2xx of
// protected data to a request without the right token. The same generated requests go through
// `app.inject` and, byte for byte as generated, over real TCP: inject resolves `..` and normalises
// the path before routing, so only the socket shows what an attacker's bytes reach.
import fc from 'fast-check'
import t, { type Test } from 'tap'
import { DEV_CLIENT, DEV_TOKEN } from '../src/core/config.js'
import { startServer, type MockServer } from '../src/index.js'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE } from '../src/core/leads/schema.js'
import { ADMIN_TOKEN, sendRaw, type RawResponse } from './helper.js'
import { demoFinancialEntities, demoLeads } from '../seed/demo.js'

const RUNS = 10_000
// Real ids of the demo data, so that some lifecycle requests reach a lead and a fintech: one of the
// docs' ecosystem, one of another.
const FINTECH = demoFinancialEntities()[0]?.uid as string
const OTHER_FINTECH = demoFinancialEntities().at(-1)?.uid as string
const DEMO_LEAD = demoLeads()[1]?.id as string

const SQL_INJECTION = [
  "' OR '1'='1", '1; DROP TABLE leads; --', '" OR ""="', "' UNION SELECT * FROM sqlite_master --",
  "fd3705e1-3149-4c41-bfe7-cf0bee79cfad' --", "%' OR 1=1 --", "'); PRAGMA user_version = 99; --", '\\x27 OR 1=1'
]
// Percent-encodings Fastify must survive: broken ones, overlong UTF-8, NUL, lone surrogates.
const RAW_ENCODED = ['%', '%zz', '%E0%A4%A', '%C0%AF', '%00', '%FF%FE', '%ED%A0%80', '%F0%9F%98', '%2e%2e%2f', '%25', '%u0041']
const PREFIXES = ['/lead', '/create-lead', '/update-lead', '/user', '/financial-entity-users', '/turn-lead-into-client', '/__admin/users', '/docs', '/docs/static', '/openapi.json', '/oauth2/token', '/health', '/__admin', '/__admin/leads',
  '/__admin/journal', '/__admin/scenarios', '/__admin/reset', '/__admin/leads/x', '']
// Every way of writing "go up one level", then a protected target.
const DOT_SEGMENTS = ['/..', '/%2e%2e', '/%2E%2E', '/.%2e', '/%2e.', '/..%2f..', '/%252e%252e', '/..\\', '/..%5c', '//..', '/;x=1/..',
  '/%2e%2e;', '/./..', '/...', '/..;', '/%c0%ae%c0%ae', '/.%252e']
const TARGETS = ['/lead', '/create-lead', '/update-lead', '/user?id=x', `/financial-entity-users?id=${FINTECH}`, `/financial-entity?uid=${FINTECH}`,
  '/assign-lead-to-financial-entity', '/turn-lead-into-client', '/update-user', '/__admin/users', '/__admin/financial-entities', '/create-lead?bulk-load=true', '/lead?id=x', '/lead?nit=900123456-8', '/lead?phone=573136434030', `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, '/__admin/journal', '/__admin/leads',
  '/__admin/leads?offset=100000000000000000000', '/__admin/scenarios', '/__admin/reset', '//__admin/leads', '/health']
const PATHS = ['/lead', '/create-lead', '/update-lead', '/assign-lead-to-financial-entity', '/turn-lead-into-client', '/user', '/update-user',
  '/financial-entity', '/financial-entity-users', '/__admin/financial-entities', '/__admin/users', '/__admin/users/x', '/USER', '/create-lead?bulk-load=true', '/CREATE-LEAD', '/lead/', '/LEAD', '//lead', '/lead/../health', '/health', '/oauth2/token', '/openapi.json', '/docs', '/docs/',
  '/docs/json', '/docs/static/index.html', '/docs/uiConfig', '/__admin/leads', '/__admin/journal', '/__admin/reset', '/__admin/scenarios',
  '/', '/lead;x=1', '/lead%00', '/%2e%2e/lead']
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const
const EXTREMES = ['0', '-1', '1', '10000', '10001', '1000000000', '1000000001', '9007199254740993', '1e20', '100000000000000000000',
  '1.5', 'NaN', 'Infinity', '-Infinity', '1e400', '-0', '0x10', '']

/** encodeURIComponent, or for text it refuses (lone surrogates) the %uXXXX form no server should accept. */
function encode (text: string): string {
  try {
    return encodeURIComponent(text)
  } catch {
    return escape(text)
  }
}

function nested (depth: number, leaf: string): string {
  return '['.repeat(depth) + leaf + ']'.repeat(depth)
}

const value = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...SQL_INJECTION),
  fc.constantFrom(EXAMPLE_ECOSYSTEM, EXAMPLE_ECOSYSTEM.toUpperCase(), `urn:uuid:${EXAMPLE_ECOSYSTEM}`, EXAMPLE_PHONE, '', ' '),
  fc.uuid(),
  fc.stringMatching(/^[0-9]{1,20}$/),
  fc.integer({ min: 1, max: 9000 }).map((length) => 'x'.repeat(length)),
  fc.string().map((text) => `${text}\u0000${text}`)
)
// Each query value either percent-encoded properly or pasted raw from the broken list.
const queryValue = fc.oneof(
  { weight: 4, arbitrary: value.map(encode) },
  { weight: 1, arbitrary: fc.constantFrom(...RAW_ENCODED) },
  { weight: 1, arbitrary: fc.constantFrom(...EXTREMES) }
)
const queryKey = fc.oneof(
  fc.constantFrom('ecosystem', 'phone', 'id', 'nit', 'uid', 'bulk-load', 'grant_type', 'ECOSYSTEM', 'ecosystem[]', 'ecosystem[0]', '__proto__', 'constructor', 'token', 'limit', 'offset', 'status', 'path'),
  fc.string({ maxLength: 10 }).map(encode)
)
const query = fc.array(fc.tuple(queryKey, queryValue), { maxLength: 6 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'))
const path = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PATHS) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...PREFIXES), fc.array(fc.constantFrom(...DOT_SEGMENTS), { minLength: 1, maxLength: 3 }), fc.constantFrom(...TARGETS)).map(([prefix, ups, target]) => `${prefix}${ups.join('')}${target}`) },
  { weight: 1, arbitrary: fc.array(fc.oneof(value.map(encode), fc.constantFrom(...RAW_ENCODED)), { maxLength: 4 }).map((segments) => `/${segments.join('/')}`) }
)
const casing = (name: string): fc.Arbitrary<string> => fc.constantFrom(name, name.toUpperCase(), name[0]?.toUpperCase() + name.slice(1), name.split('').map((c, i) => i % 2 === 0 ? c.toUpperCase() : c).join(''))
const headerValue = fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,198}[\x21-\x7e]$|^$/)
const authorization = fc.oneof(
  fc.constant(`Bearer ${DEV_TOKEN}`),
  fc.constant(`bEaReR ${DEV_TOKEN}`),
  fc.constant(`Bearer ${ADMIN_TOKEN}`),
  fc.constant(`Basic ${Buffer.from(`${DEV_CLIENT.id}:${DEV_CLIENT.secret}`).toString('base64')}`),
  fc.constantFrom('', 'Bearer', 'Bearer ', 'Bearer  ', `Bearer ${DEV_TOKEN} extra`, `Token ${DEV_TOKEN}`, DEV_TOKEN, 'Basic', 'Basic !!!', 'Digest x', 'Bearer \t'),
  headerValue.map((text) => `Bearer ${text}`),
  headerValue
)
const headers = fc.record({
  authorization: fc.option(fc.tuple(casing('authorization'), authorization), { nil: undefined }),
  contentType: fc.option(fc.tuple(casing('content-type'), fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', 'application/json; charset=utf-16', 'multipart/form-data; boundary=x', '', '*/*')), { nil: undefined }),
  other: fc.array(fc.tuple(fc.constantFrom('accept', 'origin', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'cookie', 'x-api-key', 'accept-encoding', 'if-none-match', 'range'), headerValue), { maxLength: 3 })
})
const lead = (history: string): string => '[{"id":"deep","name":"a","lastname":"b","business_name":"c","status":"d","phone":"573000000001",' +
  `"email":"e","nit":"1-2","address":"f","ecosystem":"${EXAMPLE_ECOSYSTEM}","business_entity":"g","quota":1,"history":${history}}]`
// What the write routes take, with any value in any field, and now and then a field they do not take.
const writeField = fc.constantFrom('name', 'nit', 'phone', 'email', 'ecosystem', 'lead_status', 'status', 'id', 'quota', 'incomes', 'records',
  'lead_id', 'financial_entity_id', 'address', 'available_quota', 'financial_entity',
  'additional_data', 'history', 'score', 'image', '__proto__', 'constructor', 'nombre')
const writeValue = fc.oneof(value, fc.constantFrom(EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE, '900123456-8', 'x@example.co', FINTECH, DEMO_LEAD, OTHER_FINTECH), fc.integer(), fc.constant(null), fc.jsonValue({ maxDepth: 3 }))
const writeBody = fc.dictionary(writeField, writeValue, { maxKeys: 8 }).map((fields) => ({
  name: 'a', nit: '1-2', phone: '573000000009', email: 'e', ecosystem: EXAMPLE_ECOSYSTEM, ...fields
}))
const body = fc.option(fc.oneof(
  fc.json(),
  writeBody.map((fields) => JSON.stringify(fields)),
  fc.array(writeBody, { maxLength: 3 }).map((leads) => JSON.stringify(leads)),
  fc.string(),
  fc.constantFrom('grant_type=client_credentials', '{"grant_type":', '[]', 'null', '{"grant_type":{"toString":1}}', '{"client_id":["x"]}'),
  // A lead whose history nests past the limit, and scenarios whose body does.
  fc.constantFrom(65, 1001, 10_000, 100_000).map((depth) => lead(nested(depth, '1'))),
  fc.constantFrom(65, 1001, 10_000).map((depth) => `{"respond":{"status":200,"body":${nested(depth, '')}}}`)
), { nil: undefined })

const requestArbitrary = fc.record({ method: fc.constantFrom(...METHODS), path, query, headers, body })
type HostileRequest = typeof requestArbitrary extends fc.Arbitrary<infer R> ? R : never

const LEAD_KEYS = ['id', 'name', 'lastname', 'business_name', 'status', 'phone', 'email', 'nit', 'address', 'ecosystem',
  'business_entity', 'quota', 'image', 'score', 'apn_token', 'history', 'payment_data', 'additional_data'].sort().join()

/**
 * What the API token opens, by its keys: a lead as GET /lead and update-lead answer it; with
 * lead_status (the lookups by id and NIT, create-lead); a user (GET /user, update-user); a converted
 * user, with _id (turn-lead-into-client); a fintech (GET /financial-entity); a page of its users.
 */
const API_KEYS = new Set([
  LEAD_KEYS,
  [...LEAD_KEYS.split(','), 'lead_status'].sort().join(),
  [...LEAD_KEYS.split(','), 'available_quota'].sort().join(),
  [...LEAD_KEYS.split(',').filter((key) => key !== 'id'), '_id'].sort().join(),
  ['uid', 'name', 'nit', 'ecosystem', 'email', 'phone', 'address', 'loan_products'].sort().join(),
  'data,size'
])

/** A record of the Lead API (a lead, a user, a fintech, a page of users): what the API token opens */
function isLead (value: unknown): boolean {
  return typeof value === 'object' && value !== null && API_KEYS.has(Object.keys(value).sort().join())
}

function target (request: HostileRequest): string {
  return request.query === '' ? request.path : `${request.path}?${request.query}`
}

function headerList (request: HostileRequest): Record<string, string> {
  const list: Record<string, string> = {}
  if (request.headers.authorization !== undefined) list[request.headers.authorization[0]] = request.headers.authorization[1]
  if (request.headers.contentType !== undefined) list[request.headers.contentType[0]] = request.headers.contentType[1]
  for (const [name, text] of request.headers.other) list[name] = text
  return list
}

function carries (request: HostileRequest, token: string): boolean {
  const value = request.headers.authorization?.[1] ?? ''
  return new RegExp(`^bearer\\s+${token}\\s*$`, 'i').test(value)
}

const DOCS_TYPES = /^(text\/html|text\/css|application\/javascript|image\/png|application\/x-yaml)/

/** The documented shape for a route and status; returns what is wrong, or undefined. */
function shapeProblem (request: HostileRequest, response: RawResponse): string | undefined {
  const { status, body: text } = response
  const contentType = response.headers['content-type']
  if (status >= 500) return `a ${status}`
  if (status === 0) return 'no answer'
  // HEAD has no body on the wire; 204s, redirects and preflights have none.
  if (request.method === 'HEAD') return undefined
  if (status === 204 || (status >= 300 && status < 400) || (request.method === 'OPTIONS' && status < 300)) return text === '' ? undefined : 'a body where none belongs'
  if (status < 300 && DOCS_TYPES.test(contentType ?? '')) return request.path.startsWith('/docs') ? undefined : `${String(contentType)} outside /docs`
  if (!/json/.test(contentType ?? '')) return `content-type ${String(contentType)}`
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return 'a body that is not JSON'
  }
  const object = parsed as Record<string, unknown>
  if (status >= 400) {
    if (typeof object.error === 'string' && typeof object.error_description === 'string' && Object.keys(object).length === 2) return undefined
    const keys = Object.keys(object).sort().join()
    if (keys !== 'error,message,statusCode' || object.statusCode !== status) return `error body ${text.slice(0, 200)}`
  }
  return undefined
}

/**
 * What a 2xx body is, when it is something only a token may open: 'leads' (the API token) or
 * 'admin' (the admin token). Public answers (health, the OpenAPI document, documentation assets, a
 * token for client credentials, preflights) are undefined.
 */
function protectedData (request: HostileRequest, response: RawResponse): 'leads' | 'admin' | undefined {
  if (response.status < 200 || response.status >= 300 || response.body === '' || DOCS_TYPES.test(response.headers['content-type'] ?? '')) return undefined
  const parsed = JSON.parse(response.body) as unknown
  // [] is any list, empty: the route it came from says whose it is.
  if (Array.isArray(parsed)) return parsed.length === 0 ? undefined : parsed.every(isLead) ? 'leads' : 'admin'
  if (isLead(parsed)) return 'leads'
  const object = parsed as Record<string, unknown>
  if (response.body === '{"status":"ok"}' || typeof object.openapi === 'string') return undefined
  if (response.body === '{}' && request.path.startsWith('/docs/')) return undefined
  if (typeof object.access_token === 'string') return undefined
  return 'admin'
}

async function overSocket (mock: MockServer, request: HostileRequest): Promise<RawResponse> {
  const withBody = request.body !== undefined && !['GET', 'HEAD'].includes(request.method)
  const payload = Buffer.from(withBody ? request.body as string : '', 'utf8')
  const lines = Object.entries(headerList(request)).map(([name, text]) => `${name}: ${text}\r\n`).join('')
  const head = `${request.method} ${target(request)} HTTP/1.1\r\nHost: 127.0.0.1:${mock.port}\r\n${lines}` +
    `${withBody ? `Content-Length: ${payload.length}\r\n` : ''}Connection: close\r\n\r\n`
  return await sendRaw(mock.port, Buffer.concat([Buffer.from(head, 'latin1'), payload]))
}

async function throughInject (mock: MockServer, request: HostileRequest): Promise<RawResponse> {
  const withBody = request.body !== undefined && !['GET', 'HEAD'].includes(request.method)
  const response = await mock.app.inject({ method: request.method, url: target(request), headers: headerList(request), ...(withBody ? { payload: request.body } : {}) })
  return { status: response.statusCode, headers: response.headers as Record<string, string>, body: response.body }
}

async function hostileRun (t: Test, send: (mock: MockServer, request: HostileRequest) => Promise<RawResponse>): Promise<void> {
  const mock = await startServer({ adminToken: ADMIN_TOKEN, logLevel: 'silent' })
  t.after(() => mock.close())
  const leadsBefore = mock.leads.list().total
  // Leads a request with the API token created on purpose: create-lead answered them.
  let created = 0
  const statuses = new Map<number, number>()
  let sent = 0
  let unauthenticated = 0
  await fc.assert(fc.asyncProperty(requestArbitrary, async (request) => {
    let response = await send(mock, request)
    sent++
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
    const problem = shapeProblem(request, response)
    if (problem !== undefined) throw new Error(`${request.method} ${target(request)} -> ${response.status}: ${problem}`)
    // A HEAD is answered as the GET would be, without the body: ask for the body to judge it.
    if (request.method === 'HEAD' && response.status < 300) response = await send(mock, { ...request, method: 'GET' })
    // By what the body holds, and by the route the path names once its dot segments are resolved
    // (a preflight answers for any route, with nothing in it).
    const route = URL.canParse(`http://h${request.path}`) ? new URL(`http://h${request.path}`).pathname.toLowerCase() : request.path
    const named = response.status < 300 && request.method !== 'OPTIONS'
      ? (/^\/(lead|create-lead|update-lead|assign-lead|turn-lead|user|update-user|financial-entity)/.test(route) ? 'leads' : route.startsWith('/__admin') ? 'admin' : undefined)
      : undefined
    if (response.status === 200 && /^\/create-lead/i.test(request.path) && request.method === 'POST') created += [JSON.parse(response.body) as unknown].flat().length
    const opens = protectedData(request, response) ?? named
    if (opens !== undefined && !carries(request, opens === 'leads' ? DEV_TOKEN : ADMIN_TOKEN)) {
      unauthenticated++
      throw new Error(`${request.method} ${target(request)} -> ${response.status} with ${opens} data, without the ${opens} token`)
    }
  }), { numRuns: RUNS })
  const fiveHundreds = [...statuses].filter(([status]) => status >= 500).reduce((sum, [, count]) => sum + count, 0)
  t.comment(`${sent.toLocaleString('en')} requests: ${fiveHundreds} with a 5xx, ${unauthenticated} unauthenticated 2xx on protected data; ` +
    `statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`)
  t.ok(sent >= RUNS)
  t.equal(fiveHundreds, 0, 'no 5xx')
  t.equal(unauthenticated, 0, 'no protected data without its token')
  t.equal((await fetch(`${mock.url}/health`)).status, 200, 'and the server still answers')
  t.ok(mock.leads.list().total <= leadsBefore + created, 'no hostile request added leads, but those create-lead answered with the API token')
}

t.test(`${RUNS.toLocaleString('en')} hostile requests through inject: no 5xx, every answer JSON of the documented shape, no data without its token`, async (t) => {
  await hostileRun(t, throughInject)
})

t.test(`${RUNS.toLocaleString('en')} hostile requests over real TCP, bytes as generated: the same`, async (t) => {
  await hostileRun(t, overSocket)
})
