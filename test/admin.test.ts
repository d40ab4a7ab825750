import t from 'tap'
import { DEMO_ECOSYSTEMS } from '../seed/demo.js'
import { EXAMPLE_ECOSYSTEM, type Lead } from '../src/core/leads/schema.js'
import { ADMIN, ADMIN_TOKEN, AUTH, build } from './helper.js'

const ECOSYSTEM = '5d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a'
const DEMO_SIZE = DEMO_ECOSYSTEMS.reduce((sum, ecosystem) => sum + ecosystem.size, 0)

function lead (id: string, overrides: Partial<Lead> = {}): Partial<Lead> {
  return {
    id,
    name: 'Rosa',
    lastname: 'Pérez',
    business_name: 'Tienda Doña Rosa',
    status: 'new',
    phone: `5730012${id.padStart(5, '0').slice(-5).replace(/\D/g, '7')}`,
    email: 'rosa@example.co',
    nit: '900123456-8',
    address: 'Calle 10 # 5-20, Pasto, Nariño',
    ecosystem: ECOSYSTEM,
    business_entity: 'Persona natural',
    quota: 1_000_000,
    ...overrides
  }
}

t.test('without an admin token the admin API does not exist', async (t) => {
  const app = await build(t)
  for (const url of ['/__admin/leads', '/__admin/journal', '/__admin/scenarios']) {
    const response = await app.inject({ method: 'GET', url, headers: AUTH })
    t.equal(response.statusCode, 404, url)
  }
})

t.test('the admin token opens only the admin API, and API tokens never open it', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  t.equal((await app.inject({ method: 'GET', url: '/__admin/leads', headers: ADMIN })).statusCode, 200)
  const withApiToken = await app.inject({ method: 'GET', url: '/__admin/leads', headers: AUTH })
  t.equal(withApiToken.statusCode, 401)
  t.equal(withApiToken.headers['www-authenticate'], 'Bearer realm="leancore-admin"')
  t.equal((await app.inject({ method: 'GET', url: '/__admin/leads' })).statusCode, 401)
  const lead = await app.inject({ method: 'GET', url: `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, headers: ADMIN })
  t.equal(lead.statusCode, 401, 'the admin token never opens /lead')
})

t.test('POST /__admin/leads adds leads that GET /lead then serves, filling optional fields', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  const response = await app.inject({ method: 'POST', url: '/__admin/leads', headers: ADMIN, payload: [lead('a'), lead('b', { score: 700, history: [{ event: 'created' }] })] })
  t.equal(response.statusCode, 201)
  t.same(response.json(), { written: 2 })
  const served = (await app.inject({ method: 'GET', url: `/lead?ecosystem=${ECOSYSTEM}`, headers: AUTH })).json<Lead[]>()
  t.same(served.map((l) => l.id), ['a', 'b'])
  t.match(served[0], { image: null, score: null, apn_token: null, history: [], payment_data: {}, additional_data: {} })
  t.match(served[1], { score: 700, history: [{ event: 'created' }] })
})

t.test('adding a lead whose id exists replaces it in place', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  await app.inject({ method: 'POST', url: '/__admin/leads', headers: ADMIN, payload: [lead('a'), lead('b')] })
  await app.inject({ method: 'POST', url: '/__admin/leads', headers: ADMIN, payload: [lead('a', { status: 'approved' })] })
  const served = (await app.inject({ method: 'GET', url: `/lead?ecosystem=${ECOSYSTEM}`, headers: AUTH })).json<Lead[]>()
  t.same(served.map((l) => [l.id, l.status]), [['a', 'approved'], ['b', 'new']])
})

t.test('one invalid lead is a 400 naming the lead and the field, and nothing of the request is written', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  const before = app.fixture.leads.list().total
  const cases: Array<[unknown, string]> = [
    [[lead('a'), lead('b', { quota: 'mucho' as unknown as number })], 'lead 1 (id "b"): field quota: expected number'],
    [[lead('a'), lead('c', { ecosystem: 'not-a-uuid' })], 'lead 1 (id "c"): field ecosystem: expected string to match \'uuid\' format'],
    [[lead('a'), { ...lead('d'), extra: 1 }], 'lead 1 (id "d"): field extra: unexpected property'],
    [[lead('a'), lead('a')], 'lead 1 (id "a"): repeats the id of lead 0'],
    [{ leads: [lead('a')] }, 'expected an array of leads, got object']
  ]
  for (const [payload, message] of cases) {
    const response = await app.inject({ method: 'POST', url: '/__admin/leads', headers: ADMIN, payload: payload as object })
    t.equal(response.statusCode, 400, message)
    t.same(response.json(), { statusCode: 400, error: 'Bad Request', message })
  }
  t.equal(app.fixture.leads.list().total, before, 'the database is unchanged')
  t.equal((await app.inject({ method: 'GET', url: `/lead?ecosystem=${ECOSYSTEM}`, headers: AUTH })).body, '[]')
})

t.test('a fixture body over 32 MiB is a 413 and writes nothing', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  const before = app.fixture.leads.list().total
  const payload = `[${JSON.stringify(lead('a'))}${' '.repeat(33 * 1024 * 1024)}]`
  const response = await app.inject({ method: 'POST', url: '/__admin/leads', headers: { ...ADMIN, 'content-type': 'application/json' }, payload })
  t.equal(response.statusCode, 413)
  t.match(response.json(), { statusCode: 413, error: 'Payload Too Large' })
  t.equal(app.fixture.leads.list().total, before)
})

t.test('GET /__admin/leads lists all leads or one ecosystem\'s, with limit and offset', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  const all = (await app.inject({ method: 'GET', url: '/__admin/leads', headers: ADMIN })).json<{ total: number, leads: Lead[] }>()
  t.equal(all.total, DEMO_SIZE)
  t.equal(all.leads.length, DEMO_SIZE)
  const page = (await app.inject({ method: 'GET', url: `/__admin/leads?ecosystem=${EXAMPLE_ECOSYSTEM.toUpperCase()}&limit=5&offset=2`, headers: ADMIN }))
    .json<{ total: number, leads: Lead[] }>()
  t.equal(page.total, DEMO_ECOSYSTEMS[0]?.size)
  t.same(page.leads.map((l) => l.id), all.leads.slice(2, 7).map((l) => l.id))
  const bad = await app.inject({ method: 'GET', url: '/__admin/leads?limit=0', headers: ADMIN })
  t.equal(bad.statusCode, 400)
  t.equal(bad.json<{ message: string }>().message, 'querystring/limit must be >= 1')
})

t.test('DELETE /__admin/leads removes all leads, one ecosystem\'s, or one by id', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  const one = await app.inject({ method: 'DELETE', url: `/__admin/leads?ecosystem=${EXAMPLE_ECOSYSTEM}`, headers: ADMIN })
  t.same(one.json(), { deleted: DEMO_ECOSYSTEMS[0]?.size })
  const [first] = app.fixture.leads.list({ limit: 1, offset: 0 }).leads
  t.equal((await app.inject({ method: 'DELETE', url: `/__admin/leads/${first?.id as string}`, headers: ADMIN })).statusCode, 204)
  const missing = await app.inject({ method: 'DELETE', url: `/__admin/leads/${first?.id as string}`, headers: ADMIN })
  t.equal(missing.statusCode, 404)
  t.equal(missing.json<{ message: string }>().message, `no lead has id ${first?.id as string}`)
  const rest = await app.inject({ method: 'DELETE', url: '/__admin/leads', headers: ADMIN })
  t.same(rest.json(), { deleted: DEMO_SIZE - (DEMO_ECOSYSTEMS[0]?.size as number) - 1 })
  t.equal(app.fixture.leads.list().total, 0)
})

t.test('POST /__admin/reset goes back to the seed: leads, journal and scenarios', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  await app.inject({ method: 'DELETE', url: '/__admin/leads', headers: ADMIN })
  await app.inject({ method: 'POST', url: '/__admin/scenarios', headers: ADMIN, payload: { respond: { status: 503 } } })
  await app.inject({ method: 'GET', url: `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, headers: AUTH })
  const reset = await app.inject({ method: 'POST', url: '/__admin/reset', headers: ADMIN })
  t.same(reset.json(), { leads: DEMO_SIZE })
  t.same((await app.inject({ method: 'GET', url: '/__admin/scenarios', headers: ADMIN })).json(), [])
  t.same((await app.inject({ method: 'GET', url: '/__admin/journal', headers: ADMIN })).json<{ entries: unknown[] }>().entries, [])
  t.equal((await app.inject({ method: 'GET', url: `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, headers: AUTH })).statusCode, 200)
})

t.test('a reset of a fixture seeded with its own leads goes back to those leads', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN, seed: [lead('x') as Lead] })
  await app.inject({ method: 'POST', url: '/__admin/leads', headers: ADMIN, payload: [lead('y')] })
  await app.inject({ method: 'POST', url: '/__admin/reset', headers: ADMIN })
  t.same(app.fixture.leads.list({ limit: 10, offset: 0 }).leads.map((l) => l.id), ['x'])
})

t.test('limit and offset past their maxima, and unknown parameters, are 400s naming the parameter, never a 5xx', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  const cases: Array<[string, string]> = [
    ['/__admin/leads?offset=100000000000000000000', 'querystring/offset must be <= 1000000000'],
    ['/__admin/leads?offset=1000000001', 'querystring/offset must be <= 1000000000'],
    ['/__admin/leads?limit=100000000000000000000', 'querystring/limit must be <= 10000'],
    ['/__admin/journal?limit=100000000000000000000', 'querystring/limit must be <= 1000000'],
    ['/__admin/journal?status=100000000000000000000', 'querystring/status must be <= 599'],
    ['/__admin/leads?ecosystem=nope', `querystring/ecosystem must be a UUID, like ${EXAMPLE_ECOSYSTEM}`],
    // A misspelled filter would otherwise return everything.
    ['/__admin/journal?stauts=500', 'querystring/stauts is not a parameter of this route'],
    ['/__admin/leads?ecosytem=' + EXAMPLE_ECOSYSTEM, 'querystring/ecosytem is not a parameter of this route'],
    ['/__admin/scenarios?tokne=x', 'querystring/tokne is not a parameter of this route']
  ]
  for (const [url, message] of cases) {
    const response = await app.inject({ method: 'GET', url, headers: ADMIN })
    t.equal(response.statusCode, 400, url)
    t.same(response.json(), { statusCode: 400, error: 'Bad Request', message }, url)
  }
  // Ajv lets Infinity through an integer's maximum: the fixture checks again, for both of its doors.
  for (const [url, message] of [
    ['/__admin/leads?offset=Infinity', 'offset must be a whole number from 0 to 1000000000, got Infinity'],
    ['/__admin/leads?limit=1e400', 'limit must be a whole number from 1 to 10000, got Infinity']
  ] as const) {
    const response = await app.inject({ method: 'GET', url, headers: ADMIN })
    t.same(response.json(), { statusCode: 400, error: 'Bad Request', message }, url)
  }
  t.throws(() => app.fixture.leads.list({ offset: Infinity }), { statusCode: 400, message: 'offset must be a whole number from 0 to 1000000000, got Infinity' })
  t.throws(() => app.fixture.leads.list({ limit: 0.5 }), { statusCode: 400, message: 'limit must be a whole number from 1 to 10000, got 0.5' })
  for (const [options, message] of [
    [{ limit: 0 }, 'limit must be a whole number from 1 to 10000, got 0'],
    [{ limit: 10_001 }, 'limit must be a whole number from 1 to 10000, got 10001'],
    [{ offset: -1 }, 'offset must be a whole number from 0 to 1000000000, got -1'],
    [{ offset: 2.5 }, 'offset must be a whole number from 0 to 1000000000, got 2.5']
  ] as const) {
    t.throws(() => app.fixture.leads.list(options), { name: 'FixtureError', statusCode: 400, message }, message)
  }
  t.equal(app.fixture.leads.list({ limit: 10_000, offset: 1 }).leads.length, DEMO_SIZE - 1, 'the bounds themselves are allowed')
  const last = await app.inject({ method: 'GET', url: '/__admin/leads?offset=1000000000', headers: ADMIN })
  t.same(last.json(), { total: DEMO_SIZE, leads: [] }, 'the largest offset is an empty page')
})

t.test('a JSON column nested past 64 levels is a 400 naming the lead and field, through either door', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  const { startServer } = await import('../src/index.js')
  const mock = await startServer()
  t.after(() => mock.close())
  // JSON text, built as text: JSON.stringify itself overflows the stack on the deeper ones.
  const nest = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth)
  const deepObject = (depth: number): string => '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1)
  const body = (field: string, json: string): string => `[${JSON.stringify(lead('deep')).slice(0, -1)},"${field}":${json}}]`
  const cases: Array<[string, string]> = [
    ['history', nest(65)],
    ['history', nest(1001)],
    ['history', nest(10_000)],
    ['payment_data', deepObject(65)],
    ['additional_data', deepObject(100_000)]
  ]
  const before = mock.leads.list().total
  for (const [field, json] of cases) {
    const message = `lead 0 (id "deep"): field ${field}: nested deeper than 64 levels`
    const response = await app.inject({ method: 'POST', url: '/__admin/leads', headers: { ...ADMIN, 'content-type': 'application/json' }, payload: body(field, json) })
    t.equal(response.statusCode, 400, field)
    t.equal(response.json<{ message: string }>().message, message, `over HTTP: ${field}`)
    t.throws(() => mock.leads.add(JSON.parse(body(field, json)) as Lead[]), { message }, `through startServer: ${field}`)
  }
  t.equal(mock.leads.list().total, before, 'nothing was written')
  const deepest = await app.inject({ method: 'POST', url: '/__admin/leads', headers: ADMIN, payload: [lead('deep', { history: JSON.parse(nest(64)) as unknown[], payment_data: JSON.parse(deepObject(64)) as Record<string, unknown> })] })
  t.equal(deepest.statusCode, 201, '64 levels are accepted')
  const served = await app.inject({ method: 'GET', url: `/lead?ecosystem=${ECOSYSTEM}`, headers: AUTH })
  t.equal(served.statusCode, 200, 'and served back')
  t.equal(JSON.stringify(served.json<Lead[]>()[0]?.history), nest(64), 'as it was sent')
})

t.test('text that SQLite would store altered (a lone surrogate) is a 400 naming the lead and field', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  for (const [field, value] of [['id', 'dup-\ud800'], ['name', 'Rosa \udc00'], ['address', '\ud83d']] as const) {
    const response = await app.inject({ method: 'POST', url: '/__admin/leads', headers: ADMIN, payload: [lead('ok'), { ...lead('x'), [field]: value }] })
    t.equal(response.statusCode, 400, field)
    t.match(response.json(), { message: new RegExp(`^lead 1 \\(id .*\\): field ${field}: not well-formed Unicode \\(a lone surrogate\\)`) }, field)
  }
  const emoji = await app.inject({ method: 'POST', url: '/__admin/leads', headers: ADMIN, payload: [lead('emoji', { name: 'Rosa \ud83d\ude00' })] })
  t.equal(emoji.statusCode, 201, 'a whole surrogate pair (an emoji) is fine')
  t.equal((await app.inject({ method: 'DELETE', url: '/__admin/leads/emoji', headers: ADMIN })).statusCode, 204)
})
