// POST /create-lead and POST /update-lead, as LeanCore's clients use them, through the app.
import t from 'tap'
import { EXAMPLE_ECOSYSTEM, type Lead } from '../../src/core/leads/schema.js'
import { ADMIN, ADMIN_TOKEN, AUTH, build } from '../helper.js'

const ECOSYSTEM = '0b6c3c8e-2d1f-4a7e-9c55-3e1f7a2b9d10'
const JSON_HEADERS = { ...AUTH, 'content-type': 'application/json' }
const LEAD_KEYS = ['id', 'name', 'lastname', 'business_name', 'status', 'phone', 'email', 'nit', 'address', 'ecosystem',
  'business_entity', 'quota', 'image', 'score', 'apn_token', 'history', 'payment_data', 'additional_data']
type Answer = Lead & { lead_status?: string }

/** The first body a real client sends (its sign-up form) */
const FORM_BODY = {
  nit: '1094123456',
  name: 'Ana María',
  lastname: 'Ruiz Ospina',
  phone: '573001234567',
  email: 'ana.ruiz@example.co',
  address: 'Calle 10 # 5-20, Armenia, Quindío',
  incomes: 5_000_000,
  expenses: 1_200_000,
  lead_status: 'not_assigned',
  business_entity: 'Persona natural',
  ecosystem: ECOSYSTEM,
  created_at: '2026-12-05T10:00:00.000Z'
}
/** The second body a real client sends (its back office, with variables) */
const VARIABLES_BODY = {
  image: 'https://cdn.example.co/leads/ana.jpg',
  name: 'Jorge',
  lastname: 'Quintero',
  phone: '573157654321',
  email: 'jorge@ferreteria.example.co',
  nit: '900123456-8',
  address: 'Carrera 43A # 1-50, Medellín',
  lead_status: 'pre_approved',
  created_at: '2026-12-05T11:00:00.000Z',
  business_entity: 'S.A.S.',
  ecosystem: ECOSYSTEM,
  additional_data: { variables_data: [{ key: 'ventas_mes', value: '12000000', type: 'number', label: 'Ventas del mes' }] }
}

t.test('create-lead takes the sign-up body: 200 with the new lead, a UUID id, lead_status and the documented defaults', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'POST', url: '/create-lead?bulk-load=false', headers: JSON_HEADERS, payload: FORM_BODY })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  const lead = response.json<Answer>()
  t.match(lead.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a random UUID')
  t.same(Object.keys(lead).sort(), [...LEAD_KEYS, 'lead_status'].sort())
  t.same(lead, {
    id: lead.id,
    name: 'Ana María',
    lastname: 'Ruiz Ospina',
    business_name: '',
    status: 'not_assigned',
    lead_status: 'not_assigned',
    phone: '573001234567',
    email: 'ana.ruiz@example.co',
    nit: '1094123456',
    address: 'Calle 10 # 5-20, Armenia, Quindío',
    ecosystem: ECOSYSTEM,
    business_entity: 'Persona natural',
    quota: 0,
    image: null,
    score: null,
    apn_token: null,
    history: [],
    payment_data: {},
    additional_data: {}
  })
  t.same(app.fixture.leads.list({ ecosystem: ECOSYSTEM }).leads, [{ ...lead, lead_status: undefined }].map(({ lead_status: _s, ...rest }) => rest), 'stored as answered')
})

t.test('create-lead takes the back-office body, with additional_data.variables_data', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'POST', url: '/create-lead', headers: JSON_HEADERS, payload: VARIABLES_BODY })
  t.equal(response.statusCode, 200)
  t.match(response.json(), {
    status: 'pre_approved',
    lead_status: 'pre_approved',
    image: VARIABLES_BODY.image,
    additional_data: VARIABLES_BODY.additional_data,
    business_name: '',
    quota: 0
  })
})

t.test('only the five fields a lead cannot do without are required, each named when missing', async (t) => {
  const app = await build(t)
  const minimal = { name: 'Ana', nit: '1094123456', phone: '573001234567', email: 'ana@example.co', ecosystem: ECOSYSTEM }
  t.equal((await app.inject({ method: 'POST', url: '/create-lead', headers: JSON_HEADERS, payload: minimal })).statusCode, 200)
  for (const field of Object.keys(minimal)) {
    const { [field as keyof typeof minimal]: _gone, ...body } = minimal
    const response = await app.inject({ method: 'POST', url: '/create-lead', headers: JSON_HEADERS, payload: body })
    t.equal(response.statusCode, 400, field)
    t.equal(response.json<{ message: string }>().message, `create-lead: field ${field}: expected required property`)
  }
})

t.test('create-lead refuses what it does not take, naming the field; nothing is written', async (t) => {
  const app = await build(t)
  const before = app.fixture.leads.list({ limit: 1 }).total
  const minimal = { name: 'Ana', nit: '1094123456', phone: '573001234567', email: 'ana@example.co', ecosystem: ECOSYSTEM }
  const cases: Array<[unknown, RegExp]> = [
    [{ ...minimal, nombre: 'Ana' }, /^create-lead: field nombre: not a field create-lead takes; it takes name, nit, phone, email, ecosystem, .*branch_office$/],
    [{ ...minimal, id: 'mine' }, /^create-lead: field id: the server gives a new lead its id; leave it out$/],
    [{ ...minimal, status: 'approved' }, /^create-lead: field status: write the status as lead_status$/],
    [{ ...minimal, ecosystem: 'not-a-uuid' }, /^create-lead: field ecosystem: expected string to match 'uuid' format$/],
    [{ ...minimal, phone: '300-123' }, /^create-lead: field phone: expected string to match/],
    [{ ...minimal, quota: '25000000' }, /^create-lead: field quota: expected number$/],
    [{ ...minimal, incomes: { monthly: 1 } }, /^create-lead: field incomes: expected a number or a string$/],
    [{ ...minimal, image: 'not a url' }, /^create-lead: field image: expected a uri string or null$/],
    [{ ...minimal, history: {} }, /^create-lead: field history: expected array$/],
    [{ ...minimal, name: 'Ana\uD800' }, /^create-lead: field name: not well-formed Unicode \(a lone surrogate\)/],
    [{ ...minimal, created_at: '\uDC00' }, /^create-lead: field created_at: not well-formed Unicode/],
    [{ ...minimal, additional_data: JSON.parse(`${'{"a":'.repeat(70)}1${'}'.repeat(70)}`) }, /^create-lead: field additional_data: nested deeper than 64 levels$/],
    [{ ...minimal, records: JSON.parse(`${'['.repeat(70)}${']'.repeat(70)}`) }, /^create-lead: field records: nested deeper than 64 levels$/],
    [[minimal], /^create-lead: expected one lead as a JSON object, got an array; send \?bulk-load=true to create several$/],
    ['"a lead"', /^create-lead: expected one lead as a JSON object, got string$/],
    ['null', /^create-lead: expected one lead as a JSON object, got null$/],
    ['42', /^create-lead: expected one lead as a JSON object, got number$/]
  ]
  for (const [payload, message] of cases) {
    const response = await app.inject({ method: 'POST', url: '/create-lead', headers: JSON_HEADERS, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) })
    t.equal(response.statusCode, 400, String(message))
    t.match(response.json(), { statusCode: 400, error: 'Bad Request', message })
  }
  t.equal(app.fixture.leads.list({ limit: 1 }).total, before, 'nothing was written')
})

t.test('the extra fields of the write API are kept with the lead, and GET /lead never shows them', async (t) => {
  const app = await build(t)
  const created = (await app.inject({ method: 'POST', url: '/create-lead', headers: JSON_HEADERS, payload: { ...FORM_BODY, records: [{ at: 'x' }], loan_priority: 2, branch_office: 'Armenia centro' } })).json<Answer>()
  const stored = app.fixture.shared.leadExtra(created.id)
  t.same(stored, { incomes: 5_000_000, expenses: 1_200_000, created_at: FORM_BODY.created_at, records: [{ at: 'x' }], loan_priority: 2, branch_office: 'Armenia centro' })
  const read = (await app.inject({ method: 'GET', url: `/lead?id=${created.id}`, headers: AUTH })).json<Record<string, unknown>>()
  t.same(Object.keys(read).sort(), [...LEAD_KEYS, 'lead_status'].sort(), 'the read shows the 18 keys and lead_status only')
})

t.test('a NIT or a phone that a lead of the ecosystem has already is a 400; another ecosystem may have it', async (t) => {
  const app = await build(t)
  t.equal((await app.inject({ method: 'POST', url: '/create-lead', headers: JSON_HEADERS, payload: FORM_BODY })).statusCode, 200)
  const again = await app.inject({ method: 'POST', url: '/create-lead', headers: JSON_HEADERS, payload: { ...FORM_BODY, phone: '573009998877' } })
  t.equal(again.statusCode, 400)
  t.equal(again.json<{ message: string }>().message, `User with nit: 1094123456 already exists in ecosystem ${ECOSYSTEM}`)
  const phone = await app.inject({ method: 'POST', url: '/create-lead', headers: JSON_HEADERS, payload: { ...FORM_BODY, nit: '1094000000' } })
  t.equal(phone.statusCode, 400)
  t.equal(phone.json<{ message: string }>().message, `User with phone: 573001234567 already exists in ecosystem ${ECOSYSTEM}`)
  const elsewhere = await app.inject({ method: 'POST', url: '/create-lead', headers: JSON_HEADERS, payload: { ...FORM_BODY, ecosystem: EXAMPLE_ECOSYSTEM } })
  t.equal(elsewhere.statusCode, 200, 'the same person in another ecosystem')
  t.equal(app.fixture.leads.list({ ecosystem: ECOSYSTEM }).total, 1)
})

t.test('bulk-load=true takes an array, all or nothing, and answers the array in order', async (t) => {
  const app = await build(t)
  const second = { ...FORM_BODY, nit: '1094000001', phone: '573001234568', name: 'Luis' }
  const response = await app.inject({ method: 'POST', url: '/create-lead?bulk-load=true', headers: JSON_HEADERS, payload: [FORM_BODY, second] })
  t.equal(response.statusCode, 200)
  const created = response.json<Answer[]>()
  t.same(created.map((lead) => [lead.name, lead.lead_status]), [['Ana María', 'not_assigned'], ['Luis', 'not_assigned']])
  t.equal(new Set(created.map((lead) => lead.id)).size, 2, 'each with its own id')
  t.same(app.fixture.leads.list({ ecosystem: ECOSYSTEM }).leads.map((lead) => lead.id), created.map((lead) => lead.id), 'stored in the order sent')

  const clash = await app.inject({
    method: 'POST',
    url: '/create-lead?bulk-load=true',
    headers: JSON_HEADERS,
    payload: [{ ...FORM_BODY, nit: '1', phone: '573000000001' }, { ...FORM_BODY, nit: '2', phone: '573000000002' }, { ...FORM_BODY, nit: '2', phone: '573000000003' }]
  })
  t.equal(clash.statusCode, 400)
  t.equal(clash.json<{ message: string }>().message, `User with nit: 2 already exists in ecosystem ${ECOSYSTEM} (lead 2 of the request), as lead 1 does`)
  const bad = await app.inject({ method: 'POST', url: '/create-lead?bulk-load=true', headers: JSON_HEADERS, payload: [{ ...FORM_BODY, nit: '3', phone: '573000000004' }, { ...FORM_BODY, email: 7 }] })
  t.equal(bad.statusCode, 400)
  t.equal(bad.json<{ message: string }>().message, 'create-lead?bulk-load=true: lead 1: field email: expected string')
  const taken = await app.inject({ method: 'POST', url: '/create-lead?bulk-load=true', headers: JSON_HEADERS, payload: [{ ...FORM_BODY, nit: '4', phone: '573000000005' }, FORM_BODY] })
  t.equal(taken.statusCode, 400)
  t.match(taken.json<{ message: string }>().message, /^User with nit: 1094123456 already exists in ecosystem .* \(lead 1 of the request\)$/)
  t.equal(app.fixture.leads.list({ ecosystem: ECOSYSTEM }).total, 2, 'none of the refused loads wrote a lead')

  const notObject = await app.inject({ method: 'POST', url: '/create-lead?bulk-load=true', headers: JSON_HEADERS, payload: [FORM_BODY, 'a lead'] })
  t.equal(notObject.json<{ message: string }>().message, 'create-lead?bulk-load=true: lead 1: expected a JSON object, got string')
  const notArray = await app.inject({ method: 'POST', url: '/create-lead?bulk-load=true', headers: JSON_HEADERS, payload: FORM_BODY })
  t.equal(notArray.json<{ message: string }>().message, 'create-lead?bulk-load=true: expected an array of leads, got an object')
  const empty = await app.inject({ method: 'POST', url: '/create-lead?bulk-load=true', headers: JSON_HEADERS, payload: [] })
  t.equal(empty.statusCode, 200)
  t.same(empty.json(), [])
  const other = await app.inject({ method: 'POST', url: '/create-lead?bulk-load=yes', headers: JSON_HEADERS, payload: FORM_BODY })
  t.equal(other.statusCode, 400)
  t.equal(other.json<{ message: string }>().message, 'querystring/bulk-load must be true or false, got "yes"')
})

t.test('update-lead changes the fields given: 200 with the 18 keys, status = the new lead_status', async (t) => {
  const app = await build(t)
  const created = (await app.inject({ method: 'POST', url: '/create-lead', headers: JSON_HEADERS, payload: FORM_BODY })).json<Answer>()
  const update = async (payload: object) => await app.inject({ method: 'POST', url: '/update-lead', headers: JSON_HEADERS, payload })

  const renamed = await update({ id: created.id, name: 'Ana M.', nit: '1094123457', email: 'ana@nuevo.example.co', phone: '573001234569' })
  t.equal(renamed.statusCode, 200)
  const { lead_status: _status, ...before } = created
  t.same(renamed.json(), { ...before, name: 'Ana M.', nit: '1094123457', email: 'ana@nuevo.example.co', phone: '573001234569' })
  t.same(Object.keys(renamed.json()).sort(), [...LEAD_KEYS].sort(), 'exactly the 18 documented keys')

  const same = await update({ id: created.id })
  t.equal(same.statusCode, 200, '{id} alone is a 200')
  t.same(same.json(), renamed.json(), 'that changes nothing')

  const status = await update({ id: created.id, lead_status: 'approved', score: 712.5, history: [{ event: 'aprobado' }], records: [1], loan_priority: 'alta', created_at: 5 })
  t.equal(status.statusCode, 200)
  t.match(status.json(), { status: 'approved', score: 712.5, history: [{ event: 'aprobado' }] })
  t.notOk('lead_status' in status.json<object>(), 'the documented answer has status, not lead_status')
  t.same(app.fixture.shared.leadExtra(created.id), { ...{ incomes: 5_000_000, expenses: 1_200_000, created_at: 5 }, records: [1], loan_priority: 'alta' }, 'extra fields merged, the others kept')
  const read = (await app.inject({ method: 'GET', url: '/lead?nit=1094123457', headers: AUTH })).json<Answer>()
  t.match(read, { status: 'approved', lead_status: 'approved', name: 'Ana M.' }, 'and every read sees it at once')
  t.same(app.fixture.leads.list({ ecosystem: ECOSYSTEM }).leads.map((lead) => lead.id), [created.id], 'the lead was changed in place, not added again')
})

t.test('update-lead: an unknown id is a 404 that creates nothing; a bad value or an unknown field a 400 that changes nothing', async (t) => {
  const app = await build(t)
  const created = (await app.inject({ method: 'POST', url: '/create-lead', headers: JSON_HEADERS, payload: FORM_BODY })).json<Answer>()
  const total = app.fixture.leads.list({ limit: 1 }).total
  const unknown = await app.inject({ method: 'POST', url: '/update-lead', headers: JSON_HEADERS, payload: { id: 'no-such-lead', name: 'x' } })
  t.equal(unknown.statusCode, 404)
  t.same(unknown.json(), { statusCode: 404, error: 'Not Found', message: 'Lead with id no-such-lead not found' })
  const cases: Array<[unknown, RegExp]> = [
    [{ name: 'x' }, /^update-lead: field id: expected required property$/],
    [{ id: created.id, quota: 1 }, /^update-lead: field quota: not a field update-lead takes; it takes id, name, .*loan_priority$/],
    [{ id: created.id, ecosystem: EXAMPLE_ECOSYSTEM }, /^update-lead: field ecosystem: not a field update-lead takes/],
    [{ id: created.id, status: 'approved' }, /^update-lead: field status: write the status as lead_status$/],
    [{ id: created.id, phone: '12' }, /^update-lead: field phone: expected string to match/],
    [{ id: created.id, score: '700' }, /^update-lead: field score: expected a number or null$/],
    [{ id: created.id, email: null }, /^update-lead: field email: expected string$/],
    [{ id: created.id, lastname: '\uD83D' }, /^update-lead: field lastname: not well-formed Unicode/],
    [{ id: created.id, history: JSON.parse(`${'['.repeat(70)}${']'.repeat(70)}`) }, /^update-lead: field history: nested deeper than 64 levels$/],
    [{ id: created.id, loan_priority: { x: 1 } }, /^update-lead: field loan_priority: expected a number or a string or null$/],
    [[{ id: created.id }], /^update-lead: expected a JSON object with the lead's id, got an array$/],
    [{ id: '' }, /^update-lead: field id: expected string length greater or equal to 1$/]
  ]
  for (const [payload, message] of cases) {
    const response = await app.inject({ method: 'POST', url: '/update-lead', headers: JSON_HEADERS, payload: JSON.stringify(payload) })
    t.equal(response.statusCode, 400, String(message))
    t.match(response.json(), { statusCode: 400, error: 'Bad Request', message })
  }
  t.equal(app.fixture.leads.list({ limit: 1 }).total, total, 'no lead was created')
  const { lead_status: _s, ...stored } = created
  t.same(app.fixture.leads.list({ ecosystem: ECOSYSTEM }).leads, [stored], 'and the lead is as it was')
})

t.test('update-lead refuses a NIT or phone another lead of the ecosystem has; its own is fine', async (t) => {
  const app = await build(t)
  const [ana, luis] = (await app.inject({
    method: 'POST',
    url: '/create-lead?bulk-load=true',
    headers: JSON_HEADERS,
    payload: [FORM_BODY, { ...FORM_BODY, nit: '1094000001', phone: '573001234568', name: 'Luis' }]
  })).json<Answer[]>() as [Answer, Answer]
  const nit = await app.inject({ method: 'POST', url: '/update-lead', headers: JSON_HEADERS, payload: { id: luis.id, nit: ana.nit } })
  t.equal(nit.statusCode, 400)
  t.equal(nit.json<{ message: string }>().message, `User with nit: ${ana.nit} already exists in ecosystem ${ECOSYSTEM} (lead ${ana.id})`)
  const phone = await app.inject({ method: 'POST', url: '/update-lead', headers: JSON_HEADERS, payload: { id: luis.id, phone: ana.phone, name: 'not kept' } })
  t.equal(phone.statusCode, 400)
  t.equal(phone.json<{ message: string }>().message, `User with phone: ${ana.phone} already exists in ecosystem ${ECOSYSTEM} (lead ${ana.id})`)
  t.equal(app.fixture.shared.leadById(luis.id)?.name, 'Luis', 'a refused update changes nothing')
  const own = await app.inject({ method: 'POST', url: '/update-lead', headers: JSON_HEADERS, payload: { id: luis.id, nit: luis.nit, phone: luis.phone, name: 'Luis F.' } })
  t.equal(own.statusCode, 200, 'sending its own NIT and phone again is no collision')
})

t.test('a read right after each kind of write sees it: the GET /lead body cache never serves a stale list', async (t) => {
  const app = await build(t)
  const list = async (): Promise<Answer[]> => (await app.inject({ method: 'GET', url: `/lead?ecosystem=${ECOSYSTEM}`, headers: AUTH })).json<Answer[]>()
  t.same(await list(), [], 'cached while empty')
  t.same(await list(), [])
  const created = (await app.inject({ method: 'POST', url: '/create-lead', headers: JSON_HEADERS, payload: FORM_BODY })).json<Answer>()
  t.same((await list()).map((lead) => lead.id), [created.id], 'after create-lead')
  await app.inject({ method: 'POST', url: '/create-lead?bulk-load=true', headers: JSON_HEADERS, payload: [{ ...FORM_BODY, nit: '2', phone: '573000000002' }] })
  t.equal((await list()).length, 2, 'after a bulk load')
  await app.inject({ method: 'POST', url: '/update-lead', headers: JSON_HEADERS, payload: { id: created.id, lead_status: 'approved' } })
  t.equal((await list())[0]?.status, 'approved', 'after update-lead')
  await app.inject({ method: 'POST', url: '/update-lead', headers: JSON_HEADERS, payload: { id: created.id, name: 'Otra' } })
  t.equal((await list())[0]?.name, 'Otra', 'after a second update-lead')
})

t.test('writes land in the space the token opens: a sandbox\'s writes are its own', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  const created = await app.inject({ method: 'POST', url: '/__admin/sandboxes', headers: { ...ADMIN, 'content-type': 'application/json' }, payload: { seed: 'none' } })
  const { token } = created.json<{ token: string }>()
  const sandbox = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const lead = (await app.inject({ method: 'POST', url: '/create-lead', headers: sandbox, payload: FORM_BODY })).json<Answer>()
  t.equal((await app.inject({ method: 'GET', url: `/lead?id=${lead.id}`, headers: AUTH })).statusCode, 404, 'the shared data does not have it')
  t.equal((await app.inject({ method: 'POST', url: '/update-lead', headers: JSON_HEADERS, payload: { id: lead.id } })).statusCode, 404, 'nor can the shared token update it')
  t.equal((await app.inject({ method: 'GET', url: `/lead?nit=${FORM_BODY.nit}`, headers: sandbox })).statusCode, 200, 'the sandbox has it')
  t.equal((await app.inject({ method: 'POST', url: '/create-lead', headers: JSON_HEADERS, payload: FORM_BODY })).statusCode, 200, 'the same NIT is free in the shared data')
  t.equal((await app.inject({ method: 'POST', url: '/update-lead', headers: sandbox, payload: { id: lead.id, lead_status: 'approved' } })).statusCode, 200)
  const journal = (await app.inject({ method: 'GET', url: '/__admin/journal', headers: { authorization: `Bearer ${token}` } })).json<{ entries: Array<{ method: string, path: string, status: number }> }>()
  t.same(journal.entries.map(({ method, path, status }) => `${method} ${path} ${status}`),
    ['POST /create-lead 200', 'GET /lead 200', 'POST /update-lead 200'], 'journaled in the sandbox\'s own journal')
})

t.test('a scenario can target POST /update-lead, after the body was read', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  const created = (await app.inject({ method: 'POST', url: '/create-lead', headers: JSON_HEADERS, payload: FORM_BODY })).json<Answer>()
  const scenario = await app.inject({
    method: 'POST',
    url: '/__admin/scenarios',
    headers: { ...ADMIN, 'content-type': 'application/json' },
    payload: { match: { path: '/update-lead' }, respond: { status: 503, body: { message: 'mantenimiento' } }, times: 1 }
  })
  t.equal(scenario.statusCode, 201)
  const refused = await app.inject({ method: 'POST', url: '/update-lead', headers: JSON_HEADERS, payload: { id: created.id, status: 'x' } })
  t.equal(refused.statusCode, 400, 'a bad body is a 400 and does not use the scenario up')
  const failed = await app.inject({ method: 'POST', url: '/update-lead', headers: JSON_HEADERS, payload: { id: created.id, name: 'not written' } })
  t.equal(failed.statusCode, 503)
  t.same(failed.json(), { message: 'mantenimiento' })
  t.equal(app.fixture.shared.leadById(created.id)?.name, FORM_BODY.name, 'the scenario answered instead: nothing was written')
  t.equal((await app.inject({ method: 'GET', url: '/lead?phone=573001234567', headers: AUTH })).statusCode, 200, 'other routes are untouched')
  const next = await app.inject({ method: 'POST', url: '/update-lead', headers: JSON_HEADERS, payload: { id: created.id, name: 'written' } })
  t.equal(next.statusCode, 200, 'and once used up, the route answers again')
  t.same(app.fixture.journal.entries({ path: '/update-lead' }).map((entry) => [entry.status, entry.scenario]), [[400, null], [503, 'scn_1'], [200, null]])
})

t.test('the write routes are in the OpenAPI document, with their bodies', async (t) => {
  const app = await build(t)
  const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, any>> }>()
  const create = document.paths['/create-lead']?.post
  const update = document.paths['/update-lead']?.post
  t.same(create.security, [{ bearerAuth: [] }])
  t.same(create.parameters.map((p: { name: string }) => p.name), ['bulk-load'])
  t.same(Object.keys(create.responses).sort(), ['200', '400', '401', '413'])
  const createBody = create.requestBody.content['application/json'].schema
  t.same(createBody.anyOf[0].required.sort(), ['ecosystem', 'email', 'name', 'nit', 'phone'])
  t.ok(createBody.anyOf[0].properties.incomes, 'the extra fields are documented')
  const updateBody = update.requestBody.content['application/json'].schema
  t.same(updateBody.required, ['id'])
  t.same(Object.keys(updateBody.properties).sort(), ['additional_data', 'address', 'business_entity', 'business_name', 'created_at', 'email', 'history', 'id',
    'image', 'lastname', 'lead_status', 'loan_priority', 'name', 'nit', 'phone', 'records', 'score'])
  t.same(Object.keys(update.responses).sort(), ['200', '400', '401', '404'])
})
