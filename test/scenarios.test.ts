import t, { type Test } from 'tap'
import { TokenDigest } from '../src/core/tokens/token.js'

const fingerprint = (token: string): string => TokenDigest.of(token).fingerprint
import { DEV_CLIENT } from '../src/core/config.js'
import { startServer } from '../src/index.js'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE } from '../src/core/leads/schema.js'
import type { Scenario } from '../src/core/scenarios/schema.js'
import { ADMIN, ADMIN_TOKEN, build } from './helper.js'

const BY_ECOSYSTEM = `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` })
const TOKENS = ['suite-a-token', 'suite-b-token']

async function fixture (t: Test): Promise<Awaited<ReturnType<typeof build>>> {
  return await build(t, { adminToken: ADMIN_TOKEN, tokens: TOKENS })
}

t.test('a scenario answers matching requests with the chosen status, body and headers', async (t) => {
  const app = await fixture(t)
  const cases: Array<[object, number, Record<string, string>, string]> = [
    [{ respond: { status: 404 } }, 404, {}, '{"statusCode":404,"error":"Not Found","message":"injected by scenario scn_1"}'],
    [{ respond: { status: 429, headers: { 'retry-after': '30' } } }, 429, { 'retry-after': '30' }, '{"statusCode":429,"error":"Too Many Requests","message":"injected by scenario scn_2"}'],
    [{ respond: { status: 500, body: { message: 'boom', code: 'E_DB' } } }, 500, {}, '{"message":"boom","code":"E_DB"}'],
    [{ respond: { status: 503, body: '<html>upstream down</html>', headers: { 'content-type': 'text/html' } } }, 503, { 'content-type': 'text/html' }, '<html>upstream down</html>'],
    [{ respond: { status: 599 } }, 599, {}, '{"statusCode":599,"error":"Error","message":"injected by scenario scn_5"}'],
    [{ respond: { status: 200, body: [] } }, 200, { 'content-type': 'application/json; charset=utf-8' }, '[]'],
    [{ respond: { status: 502, body: 'Bad gateway' } }, 502, { 'content-type': 'text/plain; charset=utf-8' }, 'Bad gateway']
  ]
  for (const [scenario, status, headers, body] of cases) {
    const added = await app.inject({ method: 'POST', url: '/__admin/scenarios', headers: ADMIN, payload: { ...scenario, times: 1 } })
    t.equal(added.statusCode, 201)
    const response = await app.inject({ method: 'GET', url: BY_ECOSYSTEM, headers: bearer('suite-a-token') })
    t.equal(response.statusCode, status)
    t.match(response.headers, headers)
    t.equal(response.body, body)
  }
  const normal = await app.inject({ method: 'GET', url: BY_ECOSYSTEM, headers: bearer('suite-a-token') })
  t.equal(normal.statusCode, 200, 'with every scenario used up, the route answers normally')
  t.ok(normal.json<unknown[]>().length > 0)
})

t.test('scenarios that match a token leave other tokens alone, so parallel tests do not collide', async (t) => {
  const app = await fixture(t)
  await app.inject({ method: 'POST', url: '/__admin/scenarios', headers: ADMIN, payload: { match: { token: 'suite-a-token' }, respond: { status: 503 } } })
  await app.inject({ method: 'POST', url: '/__admin/scenarios', headers: ADMIN, payload: { match: { token: 'suite-b-token' }, respond: { status: 429 } } })
  const results = await Promise.all(Array.from({ length: 20 }, async (_, i) => {
    const token = TOKENS[i % 2] as string
    return [token, (await app.inject({ method: 'GET', url: BY_ECOSYSTEM, headers: bearer(token) })).statusCode] as const
  }))
  for (const [token, status] of results) t.equal(status, token === 'suite-a-token' ? 503 : 429, token)

  const listed = (await app.inject({ method: 'GET', url: '/__admin/scenarios?token=suite-a-token', headers: ADMIN })).json<Scenario[]>()
  t.equal(listed.length, 1)
  t.equal(listed[0]?.match.token, fingerprint('suite-a-token'), 'a listing shows the token by fingerprint')
  t.equal(listed[0]?.hits, 10)
  const all = await app.inject({ method: 'GET', url: '/__admin/scenarios', headers: ADMIN })
  t.notMatch(all.body, 'suite-a-token')

  const cleared = await app.inject({ method: 'DELETE', url: '/__admin/scenarios?token=suite-a-token', headers: ADMIN })
  t.same(cleared.json(), { deleted: 1 })
  t.equal((await app.inject({ method: 'GET', url: BY_ECOSYSTEM, headers: bearer('suite-a-token') })).statusCode, 200, "clearing one token's scenarios")
  t.equal((await app.inject({ method: 'GET', url: BY_ECOSYSTEM, headers: bearer('suite-b-token') })).statusCode, 429, "leaves the other's")
})

t.test('a scenario never applies to a request that fails auth', async (t) => {
  const app = await fixture(t)
  await app.inject({ method: 'POST', url: '/__admin/scenarios', headers: ADMIN, payload: { respond: { status: 500 } } })
  t.equal((await app.inject({ method: 'GET', url: BY_ECOSYSTEM, headers: bearer('not-a-token') })).statusCode, 401)
})

t.test('scenarios match by ecosystem, phone and path', async (t) => {
  const app = await fixture(t)
  await app.inject({ method: 'POST', url: '/__admin/scenarios', headers: ADMIN, payload: { match: { ecosystem: EXAMPLE_ECOSYSTEM.toUpperCase() }, respond: { status: 500 } } })
  await app.inject({ method: 'POST', url: '/__admin/scenarios', headers: ADMIN, payload: { match: { phone: EXAMPLE_PHONE }, respond: { status: 404 } } })
  await app.inject({ method: 'POST', url: '/__admin/scenarios', headers: ADMIN, payload: { match: { path: '/oauth2/token' }, respond: { status: 503 } } })
  const status = async (url: string, method: 'GET' | 'POST' = 'GET'): Promise<number> =>
    (await app.inject({ method, url, headers: bearer('suite-a-token') })).statusCode
  t.equal(await status(BY_ECOSYSTEM), 500)
  t.equal(await status(`/lead?ecosystem=urn:uuid:${EXAMPLE_ECOSYSTEM}`), 500)
  t.equal(await status('/lead?ecosystem=7c9e6679-7425-40de-944b-e07fc1f90ae7'), 200)
  t.equal(await status(`/lead?phone=${EXAMPLE_PHONE}`), 404)
  t.equal(await status('/lead?phone=573000000000'), 404, 'a phone nobody has is a genuine 404')
  t.equal(await status(`/lead?ecosystem=${EXAMPLE_ECOSYSTEM}&ecosystem=${EXAMPLE_ECOSYSTEM}`), 400, 'a repeated parameter matches nothing')
  const tokenRequest = async (client: string, secret: string): Promise<number> => (await app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: { authorization: `Basic ${Buffer.from(`${client}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=client_credentials'
  })).statusCode
  t.equal(await tokenRequest(DEV_CLIENT.id, DEV_CLIENT.secret), 503)
})

t.test('on the token endpoint too, a scenario applies only once the client is authenticated', async (t) => {
  const app = await fixture(t)
  await app.inject({ method: 'POST', url: '/__admin/scenarios', headers: ADMIN, payload: { match: { path: '/oauth2/token' }, respond: { status: 200, body: { access_token: 'from-a-scenario' } }, times: 1 } })
  const anonymous = await app.inject({ method: 'POST', url: '/oauth2/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'grant_type=client_credentials' })
  t.equal(anonymous.statusCode, 401, 'no credentials: 401, not the scenario')
  const wrong = await app.inject({ method: 'POST', url: '/oauth2/token', headers: { authorization: `Basic ${Buffer.from(`${DEV_CLIENT.id}:wrong`).toString('base64')}` } })
  t.equal(wrong.statusCode, 401, 'a wrong secret: 401, not the scenario')
  t.match((await app.inject({ method: 'GET', url: '/__admin/scenarios', headers: ADMIN })).json(), [{ hits: 0, remaining: 1 }], 'and the scenario is still there, unused')
})

t.test('a delay holds the response, then the route answers normally', async (t) => {
  const app = await fixture(t)
  await app.inject({ method: 'POST', url: '/__admin/scenarios', headers: ADMIN, payload: { delayMs: 300, times: 1 } })
  const started = Date.now()
  const response = await app.inject({ method: 'GET', url: BY_ECOSYSTEM, headers: bearer('suite-a-token') })
  t.ok(Date.now() - started >= 290, 'at least the delay')
  t.equal(response.statusCode, 200)
  const [entry] = app.fixture.journal.entries()
  t.match(entry, { status: 200, scenario: 'scn_1' })
  t.ok((entry?.durationMs as number) >= 290)
})

t.test('a scenario can drop the connection, seen by a real HTTP client, and the journal says so', async (t) => {
  const mock = await startServer({ tokens: TOKENS })
  t.after(() => mock.close())
  mock.scenarios.add({ match: { token: 'suite-a-token' }, drop: true, delayMs: 50, times: 1 })
  await t.rejects(fetch(`${mock.url}${BY_ECOSYSTEM}`, { headers: bearer('suite-a-token') }), { message: 'fetch failed' })
  const after = await fetch(`${mock.url}${BY_ECOSYSTEM}`, { headers: bearer('suite-a-token') })
  t.equal(after.status, 200, 'only the next request was dropped')
  t.match(mock.journal.entries(), [{ status: null, scenario: 'scn_1' }, { status: 200, scenario: null }])
})

t.test('scenarios are listed in order, removed one by one or all, and validated', async (t) => {
  const app = await fixture(t)
  const first = (await app.inject({ method: 'POST', url: '/__admin/scenarios', headers: ADMIN, payload: { respond: { status: 500 }, times: 3 } })).json<Scenario>()
  t.same(first, { id: 'scn_1', match: {}, respond: { status: 500 }, delayMs: 0, drop: false, remaining: 3, hits: 0 })
  await app.inject({ method: 'POST', url: '/__admin/scenarios', headers: ADMIN, payload: { drop: true } })
  t.same((await app.inject({ method: 'GET', url: '/__admin/scenarios', headers: ADMIN })).json<Scenario[]>().map((s) => s.id), ['scn_1', 'scn_2'])
  t.equal((await app.inject({ method: 'DELETE', url: '/__admin/scenarios/scn_1', headers: ADMIN })).statusCode, 204)
  const missing = await app.inject({ method: 'DELETE', url: '/__admin/scenarios/scn_1', headers: ADMIN })
  t.equal(missing.statusCode, 404)
  t.equal(missing.json<{ message: string }>().message, 'no scenario has id scn_1')
  t.same((await app.inject({ method: 'DELETE', url: '/__admin/scenarios', headers: ADMIN })).json(), { deleted: 1 })

  const invalid: Array<[object, string]> = [
    [{}, 'a scenario needs respond, drop or delayMs'],
    [{ drop: true, respond: { status: 500 } }, 'a scenario either responds or drops the connection, not both'],
    [{ respond: { status: 700 } }, 'scenario: field respond.status: expected integer to be less or equal to 599'],
    [{ delayMs: 60_000 }, 'scenario: field delayMs: expected integer to be less or equal to 30000'],
    [{ match: { ecosystem: 'x' }, drop: true }, 'scenario: field match.ecosystem: expected string to match \'uuid\' format'],
    [{ match: { path: '/other' }, drop: true }, 'scenario: field match.path: expected "/lead" or "/create-lead" or "/update-lead" or "/assign-lead-to-financial-entity" or ' +
      '"/turn-lead-into-client" or "/user" or "/update-user" or "/financial-entity" or "/financial-entity-users" or "/oauth2/token"'],
    [{ respond: { status: 500, headers: { 'bad header': 'x' } } }, 'scenario: field respond.headers.bad header: unexpected property'],
    [{ respond: { status: 500 }, tims: 1 }, 'scenario: field tims: unexpected property'],
    [{ match: { token: '' }, drop: true }, 'scenario: field match.token: expected string length greater or equal to 1'],
    [{ match: { token: 'x'.repeat(4097) }, drop: true }, 'scenario: field match.token: expected string length less or equal to 4096'],
    [{ match: { phone: '+57 300' }, drop: true }, 'scenario: field match.phone: expected string to match \'^[0-9]{7,15}$\''],
    [{ match: { method: 'GET' }, drop: true }, 'scenario: field match.method: unexpected property'],
    [{ respond: { status: 500, bdy: 'x' } }, 'scenario: field respond.bdy: unexpected property'],
    [{ respond: { status: 500, headers: { 'x-note': 'line\nbreak' } } }, 'scenario: field respond.headers.x-note: expected string to match \'^[\\t\\x20-\\x7e]*$\''],
    [{ respond: { status: 500, headers: { 'Content-Length': '1' } } }, 'a scenario cannot set Content-Length: the server frames the response itself'],
    [{ respond: { status: 200, body: 'x', headers: { Trailer: 'x-foo' } } }, 'a scenario cannot set Trailer: the server frames the response itself']
  ]
  for (const [payload, message] of invalid) {
    const response = await app.inject({ method: 'POST', url: '/__admin/scenarios', headers: ADMIN, payload })
    t.equal(response.statusCode, 400, message)
    t.equal(response.json<{ message: string }>().message, message)
  }
})

t.test('the OAuth client is recorded even when a scenario answers for the token endpoint', async (t) => {
  const app = await fixture(t)
  await app.inject({ method: 'POST', url: '/__admin/scenarios', headers: ADMIN, payload: { match: { path: '/oauth2/token' }, respond: { status: 503 } } })
  await app.inject({ method: 'POST', url: '/oauth2/token', headers: { authorization: `Basic ${Buffer.from(`${DEV_CLIENT.id}:${DEV_CLIENT.secret}`).toString('base64')}` } })
  t.match(app.fixture.journal.entries(), [{ path: '/oauth2/token', status: 503, scenario: 'scn_1', client: DEV_CLIENT.id }])
})
