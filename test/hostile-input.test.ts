// Property-based: whatever a client sends in the path, the query string or the headers, the server
// answers with JSON of the documented shape and never with a 5xx.
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { DEV_CLIENT, DEV_TOKEN } from '../src/config.js'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE } from '../src/leads/schema.js'
import { ADMIN_TOKEN, build } from './helper.js'

const RUNS = 10_000

const SQL_INJECTION = [
  "' OR '1'='1", "1; DROP TABLE leads; --", "\" OR \"\"=\"", "' UNION SELECT * FROM sqlite_master --",
  "fd3705e1-3149-4c41-bfe7-cf0bee79cfad' --", "%' OR 1=1 --", "'); PRAGMA user_version = 99; --", '\\x27 OR 1=1'
]
// Percent-encodings Fastify must survive: broken ones, overlong UTF-8, NUL, lone surrogates.
const RAW_ENCODED = ['%', '%zz', '%E0%A4%A', '%C0%AF', '%00', '%FF%FE', '%ED%A0%80', '%F0%9F%98', '%2e%2e%2f', '%25', '%u0041']
const PATHS = ['/lead', '/lead/', '/LEAD', '//lead', '/lead/../health', '/health', '/oauth2/token', '/openapi.json',
  '/__admin/leads', '/__admin/journal', '/__admin/reset', '/', '/lead;x=1', '/lead%00', '/%2e%2e/lead']
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const

/** encodeURIComponent, or for text it refuses (lone surrogates) the %uXXXX form no server should accept. */
function encode (text: string): string {
  try {
    return encodeURIComponent(text)
  } catch {
    return escape(text)
  }
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
  { weight: 1, arbitrary: fc.constantFrom(...RAW_ENCODED) }
)
const queryKey = fc.oneof(fc.constantFrom('ecosystem', 'phone', 'ECOSYSTEM', 'ecosystem[]', 'ecosystem[0]', '__proto__', 'constructor', 'token'), fc.string({ maxLength: 10 }).map(encode))
const query = fc.array(fc.tuple(queryKey, queryValue), { maxLength: 6 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'))
const path = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PATHS) },
  { weight: 1, arbitrary: fc.array(fc.oneof(value.map(encode), fc.constantFrom(...RAW_ENCODED)), { maxLength: 4 }).map((segments) => `/${segments.join('/')}`) }
)
const casing = (name: string): fc.Arbitrary<string> => fc.constantFrom(name, name.toUpperCase(), name[0]?.toUpperCase() + name.slice(1), name.split('').map((c, i) => i % 2 === 0 ? c.toUpperCase() : c).join(''))
const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,200}$/)
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
  other: fc.array(fc.tuple(fc.constantFrom('accept', 'origin', 'x-forwarded-for', 'cookie', 'x-api-key', 'accept-encoding', 'if-none-match', 'range'), headerValue), { maxLength: 3 })
})
const body = fc.option(fc.oneof(fc.json(), fc.string(), fc.constantFrom('grant_type=client_credentials', '{"grant_type":', '[]', 'null')), { nil: undefined })

const requestArbitrary = fc.record({ method: fc.constantFrom(...METHODS), path, query, headers, body })

const LEAD_KEYS = ['id', 'name', 'lastname', 'business_name', 'status', 'phone', 'email', 'nit', 'address', 'ecosystem',
  'business_entity', 'quota', 'image', 'score', 'apn_token', 'history', 'payment_data', 'additional_data'].sort().join()

function isLead (value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).sort().join() === LEAD_KEYS
}

/** The documented shape for a route and status; returns what is wrong, or undefined. */
function shapeProblem (url: string, method: string, status: number, contentType: string | undefined, text: string): string | undefined {
  if (status >= 500) return `a ${status}`
  // HEAD has no body on the wire (inject shows what would have been sent); 204s and preflights have none.
  if (method === 'HEAD') return undefined
  if (status === 204 || (method === 'OPTIONS' && status < 300)) return text === '' ? undefined : 'a body where none belongs'
  const route = url.split('?')[0] as string
  if (route.startsWith('/docs')) return undefined
  if (!/json/.test(contentType ?? '')) return `content-type ${String(contentType)}`
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return 'a body that is not JSON'
  }
  const object = parsed as Record<string, unknown>
  if (status >= 400) {
    if (route === '/oauth2/token' && typeof object.error === 'string' && typeof object.error_description === 'string') return undefined
    const keys = Object.keys(object).sort().join()
    if (keys !== 'error,message,statusCode' || object.statusCode !== status) return `error body ${text.slice(0, 200)}`
    return undefined
  }
  if (route === '/lead') return Array.isArray(parsed) ? (parsed.every(isLead) ? undefined : 'an array of non-leads') : (isLead(parsed) ? undefined : 'not a lead')
  return undefined
}

t.test(`${RUNS.toLocaleString('en')} hostile requests: no 5xx, no crash, every answer JSON of the documented shape`, async (t) => {
  const app: FastifyInstance = await build(t, { adminToken: ADMIN_TOKEN })
  const leadsBefore = app.fixture.leads.count()
  const statuses = new Map<number, number>()
  let sent = 0
  await fc.assert(fc.asyncProperty(requestArbitrary, async (request) => {
    const url = request.query === '' ? request.path : `${request.path}?${request.query}`
    const headerList: Record<string, string> = {}
    if (request.headers.authorization !== undefined) headerList[request.headers.authorization[0]] = request.headers.authorization[1]
    if (request.headers.contentType !== undefined) headerList[request.headers.contentType[0]] = request.headers.contentType[1]
    for (const [name, text] of request.headers.other) headerList[name] = text
    const withBody = request.body !== undefined && !['GET', 'HEAD'].includes(request.method)
    const response = await app.inject({ method: request.method, url, headers: headerList, ...(withBody ? { payload: request.body } : {}) })
    sent++
    statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1)
    const problem = shapeProblem(url, request.method, response.statusCode, response.headers['content-type'] as string | undefined, response.body)
    if (problem !== undefined) throw new Error(`${request.method} ${url} -> ${response.statusCode}: ${problem}`)
  }), { numRuns: RUNS })
  const fiveHundreds = [...statuses].filter(([status]) => status >= 500).reduce((sum, [, count]) => sum + count, 0)
  t.comment(`${sent.toLocaleString('en')} requests, ${fiveHundreds} with a 5xx; statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`)
  t.equal(sent, RUNS)
  t.equal(fiveHundreds, 0)
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200, 'and the server still answers')
  t.ok(app.fixture.database.prepare('PRAGMA integrity_check').pluck().get() === 'ok', 'with an intact database')
  t.ok(app.fixture.leads.count() <= leadsBefore, 'that no hostile request added leads to')
})
