import t from 'tap'
import { DEMO_ECOSYSTEMS } from '../seed/demo.js'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE, type Lead } from '../src/core/leads/schema.js'
import { AUTH, build } from './helper.js'

const LEAD_KEYS = [
  'id', 'name', 'lastname', 'business_name', 'status', 'phone', 'email', 'nit', 'address', 'ecosystem',
  'business_entity', 'quota', 'image', 'score', 'apn_token', 'history', 'payment_data', 'additional_data'
]
const STRING_KEYS = ['id', 'name', 'lastname', 'business_name', 'status', 'phone', 'email', 'nit', 'address', 'ecosystem', 'business_entity']
const UNKNOWN_ECOSYSTEM = '00000000-0000-4000-8000-000000000000'

function fixtureLead (overrides: Partial<Lead> = {}): Lead {
  return {
    id: 'lead-1',
    name: 'Rosa',
    lastname: 'Pérez Gómez',
    business_name: 'Tienda Doña Rosa',
    status: 'approved',
    phone: '573001112233',
    email: 'rosa@example.co',
    nit: '900123456-8',
    address: 'Calle 10 # 5-20, Centro, Pasto, Nariño',
    ecosystem: UNKNOWN_ECOSYSTEM,
    business_entity: 'Persona natural',
    quota: 1500000.5,
    image: 'https://cdn.leancore.example/leads/lead-1.jpg',
    score: 712,
    apn_token: 'abc123',
    history: [{ at: '2025-01-01T00:00:00.000Z', event: 'created', tags: ['a', 1, null, true], nested: { deep: [{}] } }],
    payment_data: { bank: 'Nequi', amounts: [1, 2.5], flags: { autopay: false }, note: null },
    additional_data: { source: 'referido', 'clave con espacios': 'ñandú ✓' },
    ...overrides
  }
}

t.test('GET /lead?ecosystem= answers every lead of the ecosystem as an array', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'GET', url: `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, headers: AUTH })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  const leads = response.json<Lead[]>()
  t.equal(leads.length, DEMO_ECOSYSTEMS[0]?.size)
  t.ok(leads.every((lead) => lead.ecosystem === EXAMPLE_ECOSYSTEM))
})

t.test('every lead has exactly the 18 documented keys, with their JSON types', async (t) => {
  const app = await build(t)
  for (const { id } of DEMO_ECOSYSTEMS) {
    const leads = (await app.inject({ method: 'GET', url: `/lead?ecosystem=${id}`, headers: AUTH })).json<Array<Record<string, unknown>>>()
    for (const lead of leads) {
      t.same(Object.keys(lead).sort(), [...LEAD_KEYS].sort(), `keys of ${String(lead.id)}`)
      for (const key of STRING_KEYS) t.type(lead[key], 'string', `${key} of ${String(lead.id)}`)
      t.type(lead.quota, 'number')
      t.ok(lead.image === null || typeof lead.image === 'string')
      t.ok(lead.score === null || typeof lead.score === 'number')
      t.ok(lead.apn_token === null || typeof lead.apn_token === 'string')
      t.ok(Array.isArray(lead.history))
      t.ok(lead.payment_data !== null && typeof lead.payment_data === 'object' && !Array.isArray(lead.payment_data))
      t.ok(lead.additional_data !== null && typeof lead.additional_data === 'object' && !Array.isArray(lead.additional_data))
    }
  }
})

t.test('a lead written through the repository comes back identical, JSON columns included', async (t) => {
  const app = await build(t, { seed: 'none' })
  const lead = fixtureLead()
  app.fixture.leads.add([lead])
  const response = await app.inject({ method: 'GET', url: `/lead?ecosystem=${UNKNOWN_ECOSYSTEM}`, headers: AUTH })
  t.same(response.json(), [lead])
  const byPhone = await app.inject({ method: 'GET', url: `/lead?phone=${lead.phone}`, headers: AUTH })
  t.same(byPhone.json(), lead)
})

t.test('documented-optional fields come back as null, [] and {} when the lead has none', async (t) => {
  const app = await build(t, {
    seed: [{ ...fixtureLead(), image: undefined, score: undefined, apn_token: undefined, history: undefined, payment_data: undefined, additional_data: undefined }]
  })
  const [lead] = (await app.inject({ method: 'GET', url: `/lead?ecosystem=${UNKNOWN_ECOSYSTEM}`, headers: AUTH })).json<Lead[]>()
  t.match(lead, { image: null, score: null, apn_token: null })
  t.same(lead?.history, [])
  t.same(lead?.payment_data, {})
  t.same(lead?.additional_data, {})
})

t.test('leads come back in the order they were first written, also after an update', async (t) => {
  const app = await build(t, { seed: 'none' })
  app.fixture.leads.add(['c', 'a', 'b'].map((id, i) => fixtureLead({ id, phone: `57300000000${i}` })))
  app.fixture.leads.add([fixtureLead({ id: 'a', phone: '573000000001', status: 'rejected' })])
  const leads = (await app.inject({ method: 'GET', url: `/lead?ecosystem=${UNKNOWN_ECOSYSTEM}`, headers: AUTH })).json<Lead[]>()
  t.same(leads.map((lead) => lead.id), ['c', 'a', 'b'])
  t.equal(leads[1]?.status, 'rejected')
})

t.test('an ecosystem without leads answers 200 with []', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'GET', url: `/lead?ecosystem=${UNKNOWN_ECOSYSTEM}`, headers: AUTH })
  t.equal(response.statusCode, 200)
  t.equal(response.body, '[]')
})

t.test('the ecosystem UUID matches in any case and as a urn:uuid:', async (t) => {
  const app = await build(t)
  const lower = await app.inject({ method: 'GET', url: `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, headers: AUTH })
  for (const spelling of [EXAMPLE_ECOSYSTEM.toUpperCase(), `urn:uuid:${EXAMPLE_ECOSYSTEM}`]) {
    const response = await app.inject({ method: 'GET', url: `/lead?ecosystem=${spelling}`, headers: AUTH })
    t.equal(response.body, lower.body, spelling)
  }
})

t.test('the docs send Content-Type: application/json on this GET, and that works', async (t) => {
  const app = await build(t)
  const response = await app.inject({
    method: 'GET',
    url: `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`,
    headers: { ...AUTH, 'content-type': 'application/json' }
  })
  t.equal(response.statusCode, 200)
  t.equal(response.json<Lead[]>().length, DEMO_ECOSYSTEMS[0]?.size)
})

t.test('unknown query parameters are ignored', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'GET', url: `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}&page=2&foo=bar`, headers: AUTH })
  t.equal(response.statusCode, 200)
  t.equal(response.json<Lead[]>().length, DEMO_ECOSYSTEMS[0]?.size)
})

t.test('GET /lead?phone= answers the one lead with that phone', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'GET', url: `/lead?phone=${EXAMPLE_PHONE}`, headers: AUTH })
  t.equal(response.statusCode, 200)
  const lead = response.json<Lead>()
  t.notOk(Array.isArray(lead))
  t.equal(lead.phone, EXAMPLE_PHONE)
  t.equal(lead.ecosystem, EXAMPLE_ECOSYSTEM)
})

t.test('GET /lead?phone= answers 404 when no lead has that phone', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'GET', url: '/lead?phone=573009999999', headers: AUTH })
  t.equal(response.statusCode, 404)
  t.same(response.json(), { statusCode: 404, error: 'Not Found', message: 'no lead has phone 573009999999' })
})

t.test('exactly one of ecosystem, phone, id and nit: none or two is a 400 that says so', async (t) => {
  const app = await build(t)
  for (const [query, also] of [
    ['', ''],
    [`ecosystem=${EXAMPLE_ECOSYSTEM}&phone=${EXAMPLE_PHONE}`, ', not ecosystem and phone'],
    ['id=lead-1&nit=900123456-8', ', not id and nit'],
    [`phone=${EXAMPLE_PHONE}&nit=900123456-8&ecosystem=${EXAMPLE_ECOSYSTEM}`, ', not ecosystem and phone and nit']
  ] as const) {
    const response = await app.inject({ method: 'GET', url: `/lead?${query}`, headers: AUTH })
    t.equal(response.statusCode, 400, query)
    t.same(response.json(), {
      statusCode: 400,
      error: 'Bad Request',
      message: `give exactly one of the query parameters ecosystem, phone, id or nit${also}`
    })
  }
})

t.test('an ecosystem that is not a UUID is a 400 naming the parameter', async (t) => {
  const app = await build(t)
  for (const value of ['not-a-uuid', '', "1' OR '1'='1", 'fd3705e1-3149-4c41-bfe7-cf0bee79cfa']) {
    const response = await app.inject({ method: 'GET', url: `/lead?ecosystem=${encodeURIComponent(value)}`, headers: AUTH })
    t.equal(response.statusCode, 400, value)
    t.same(response.json(), {
      statusCode: 400,
      error: 'Bad Request',
      message: `querystring/ecosystem must be a UUID, like ${EXAMPLE_ECOSYSTEM}`
    })
  }
})

t.test('a phone that is not 7 to 15 digits is a 400 naming the parameter', async (t) => {
  const app = await build(t)
  for (const value of ['+573136434030', '313-643-4030', '123', 'abc']) {
    const response = await app.inject({ method: 'GET', url: `/lead?phone=${encodeURIComponent(value)}`, headers: AUTH })
    t.equal(response.statusCode, 400, value)
    t.match(response.json(), { message: /^querystring\/phone must be 7 to 15 digits, country code first, like 573136434030$/ })
  }
})

t.test('a repeated parameter is a 400, not a guess', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'GET', url: `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}&ecosystem=${UNKNOWN_ECOSYSTEM}`, headers: AUTH })
  t.equal(response.statusCode, 400)
  t.equal(response.json<{ message: string }>().message, 'querystring/ecosystem must be string')
})

t.test('HEAD /lead answers like GET without a body', async (t) => {
  const app = await build(t)
  const get = await app.inject({ method: 'GET', url: `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, headers: AUTH })
  const head = await app.inject({ method: 'HEAD', url: `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, headers: AUTH })
  t.equal(head.statusCode, 200)
  t.equal(head.body, '')
  t.equal(head.headers['content-length'], get.headers['content-length'])
})

t.test('an unknown route is a 404 in the same error shape', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'GET', url: '/leads', headers: AUTH })
  t.equal(response.statusCode, 404)
  t.same(response.json(), { statusCode: 404, error: 'Not Found', message: 'Route GET:/leads not found' })
  t.same(Object.keys(response.json()), ['statusCode', 'error', 'message'])
})

t.test('a URL longer than 8 KiB is a 414', async (t) => {
  const app = await build(t)
  const prefix = `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}&pad=`
  const exact = await app.inject({ method: 'GET', url: `${prefix}${'x'.repeat(8192 - prefix.length)}`, headers: AUTH })
  t.equal(exact.statusCode, 200, 'exactly 8192 characters is still a URL it reads')
  const response = await app.inject({ method: 'GET', url: `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}&pad=${'x'.repeat(8200)}`, headers: AUTH })
  t.equal(response.statusCode, 414)
  t.same(response.json(), { statusCode: 414, error: 'URI Too Long', message: 'the URL is longer than 8192 characters' })
})

t.test('a fresh server answers a lookup by ecosystem after one by phone, and the other way round', async (t) => {
  for (const order of [['phone', 'ecosystem'], ['ecosystem', 'phone']]) {
    const app = await build(t)
    for (const kind of order) {
      const url = kind === 'phone' ? `/lead?phone=${EXAMPLE_PHONE}` : `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`
      t.equal((await app.inject({ method: 'GET', url, headers: AUTH })).statusCode, 200, `${order.join(' then ')}: ${kind}`)
    }
  }
})

t.test('GET /lead?id= and ?nit= answer one lead: the 18 keys and lead_status, the same value as status', async (t) => {
  const app = await build(t)
  const [first] = app.fixture.leads.list({ ecosystem: EXAMPLE_ECOSYSTEM, limit: 1 }).leads as [Lead]
  for (const query of [`id=${encodeURIComponent(first.id)}`, `nit=${encodeURIComponent(first.nit)}`]) {
    const response = await app.inject({ method: 'GET', url: `/lead?${query}`, headers: AUTH })
    t.equal(response.statusCode, 200, query)
    t.match(response.headers['content-type'], /^application\/json/)
    t.same(response.json(), { ...first, lead_status: first.status }, query)
    t.same(Object.keys(response.json()), [...LEAD_KEYS, 'lead_status'], 'in the order of the lead schema, lead_status last')
  }
})

t.test('the ecosystem and phone answers keep exactly the 18 documented keys: no lead_status there', async (t) => {
  const app = await build(t)
  const list = (await app.inject({ method: 'GET', url: `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, headers: AUTH })).json<Array<Record<string, unknown>>>()
  t.ok(list.every((lead) => !('lead_status' in lead)))
  const one = (await app.inject({ method: 'GET', url: `/lead?phone=${EXAMPLE_PHONE}`, headers: AUTH })).json<Record<string, unknown>>()
  t.same(Object.keys(one), LEAD_KEYS)
})

t.test('an id or NIT no lead has is a 404 naming what was asked', async (t) => {
  const app = await build(t)
  for (const [query, message] of [
    ['id=no-such-lead', 'Lead with id no-such-lead not found'],
    ['nit=1094123456', 'Lead with nit 1094123456 not found'],
    [`nit=${encodeURIComponent('900 123')}`, 'Lead with nit 900 123 not found']
  ] as const) {
    const response = await app.inject({ method: 'GET', url: `/lead?${query}`, headers: AUTH })
    t.equal(response.statusCode, 404, query)
    t.same(response.json(), { statusCode: 404, error: 'Not Found', message })
  }
})

t.test('a NIT several ecosystems share finds the first lead written with it; an id finds only its own lead', async (t) => {
  const app = await build(t, { seed: 'none' })
  app.fixture.leads.add([
    fixtureLead({ id: 'first', nit: '900123456-8', ecosystem: EXAMPLE_ECOSYSTEM }),
    fixtureLead({ id: 'second', nit: '900123456-8', phone: '573001112244' })
  ])
  t.equal((await app.inject({ method: 'GET', url: '/lead?nit=900123456-8', headers: AUTH })).json<Lead>().id, 'first')
  t.equal((await app.inject({ method: 'GET', url: '/lead?id=second', headers: AUTH })).json<Lead>().id, 'second')
  t.equal((await app.inject({ method: 'GET', url: '/lead?nit=900123456', headers: AUTH })).statusCode, 404, 'a NIT matches as written, check digit and all')
})

t.test('id and nit must be 1 to 128 characters', async (t) => {
  const app = await build(t)
  for (const [query, message] of [
    ['id=', 'querystring/id must NOT have fewer than 1 characters'],
    [`nit=${'9'.repeat(129)}`, 'querystring/nit must NOT have more than 128 characters']
  ] as const) {
    const response = await app.inject({ method: 'GET', url: `/lead?${query}`, headers: AUTH })
    t.equal(response.statusCode, 400, query)
    t.equal(response.json<{ message: string }>().message, message)
  }
})
