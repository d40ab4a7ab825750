// The lifecycle routes through the app: what they refuse, one transaction per conversion, one winner
// of parallel conversions, the admin API and the fixture's members for fintechs and users.
import t from 'tap'
import { UserRepository } from '../../src/core/users/repository.js'
import type { FinancialEntity } from '../../src/core/financial-entities/schema.js'
import { ADMIN, ADMIN_TOKEN, AUTH, build } from '../helper.js'

const ECOSYSTEM = 'fd3705e1-3149-4c41-bfe7-cf0bee79cfad'
const OTHER_ECOSYSTEM = '7c9e6679-7425-40de-944b-e07fc1f90ae7'
const JSON_HEADERS = { ...AUTH, 'content-type': 'application/json' }

function entityOf (app: Awaited<ReturnType<typeof build>>, ecosystem = ECOSYSTEM): FinancialEntity {
  return app.fixture.shared.financialEntities.list({ ecosystem }).financialEntities[0] as FinancialEntity
}

t.test('the demo data has two or three fintechs per ecosystem, each with a simulador product, and a few users', async (t) => {
  const app = await build(t)
  const entities = app.fixture.shared.financialEntities.list().financialEntities
  t.equal(entities.length, 12)
  for (const entity of entities) {
    t.match(entity.nit, /^901\d{6}-\d$/, `${entity.name}: a NIT with its check digit`)
    t.ok(Object.values(entity.loan_products).some((product) => product.name === 'simulador'), `${entity.name} has a simulador`)
  }
  const users = app.fixture.shared.users.list().users
  t.equal(users.length, 9)
  t.ok(users.every((user) => entities.some((entity) => entity.uid === user.financial_entity && entity.ecosystem === user.ecosystem)), 'each a client of a fintech of its ecosystem')
  t.equal(app.fixture.leads.list({ ecosystem: ECOSYSTEM }).total, 24, 'and the demo leads are as they were')
})

t.test('assign and convert refuse an unknown lead, an unknown entity, and an entity of another ecosystem, naming them', async (t) => {
  const app = await build(t)
  const [lead] = app.fixture.leads.list({ ecosystem: ECOSYSTEM, limit: 1 }).leads
  const entity = entityOf(app)
  const foreign = entityOf(app, OTHER_ECOSYSTEM)
  for (const url of ['/assign-lead-to-financial-entity', '/turn-lead-into-client']) {
    const cases: Array<[object, number, string]> = [
      [{ lead_id: 'no-such-lead', financial_entity_id: entity.uid }, 404, 'Lead with id no-such-lead not found'],
      [{ lead_id: lead?.id, financial_entity_id: 'no-such-entity' }, 404, 'Financial entity with id no-such-entity not found'],
      [{ lead_id: lead?.id, financial_entity_id: foreign.uid }, 400, `the lead is of ecosystem ${ECOSYSTEM} and the financial entity of ecosystem ${OTHER_ECOSYSTEM}: a lead is assigned only within its ecosystem`],
      [{ lead_id: lead?.id }, 400, `${url.slice(1)}: field financial_entity_id: expected required property`],
      [{ lead_id: lead?.id, financial_entity_id: entity.uid, fintech: 'x' }, 400, `${url.slice(1)}: field fintech: not a field ${url.slice(1)} takes; it takes lead_id, financial_entity_id`],
      [{ lead_id: 5, financial_entity_id: entity.uid }, 400, `${url.slice(1)}: field lead_id: expected string`]
    ]
    for (const [payload, status, message] of cases) {
      const response = await app.inject({ method: 'POST', url, headers: JSON_HEADERS, payload })
      t.equal(response.statusCode, status, `${url}: ${message}`)
      t.equal(response.json<{ message: string }>().message, message)
    }
  }
  for (const url of ['/turn-lead-into-client', '/update-user']) {
    for (const [payload, kind] of [['[]', 'an array'], ['null', 'null'], ['"x"', 'string']]) {
      const response = await app.inject({ method: 'POST', url, headers: JSON_HEADERS, payload })
      t.same([response.statusCode, response.json<{ message: string }>().message], [400, `${url.slice(1)}: expected a JSON object, got ${kind as string}`])
    }
  }
  t.equal(app.fixture.leads.list({ ecosystem: ECOSYSTEM }).total, 24, 'no lead was converted')
  t.equal(app.fixture.shared.leadAssignment(lead?.id as string), undefined, 'nor assigned')
})

t.test('assigning records the fintech on the lead, and nothing else; an admin replace of the lead forgets it', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  const [lead] = app.fixture.leads.list({ ecosystem: ECOSYSTEM, limit: 1 }).leads
  const entity = entityOf(app)
  const response = await app.inject({ method: 'POST', url: '/assign-lead-to-financial-entity', headers: JSON_HEADERS, payload: { lead_id: lead?.id, financial_entity_id: entity.uid } })
  t.same(response.json(), lead, 'the lead as it was')
  t.equal(app.fixture.shared.leadAssignment(lead?.id as string), entity.uid)
  app.fixture.leads.add([lead as never])
  t.equal(app.fixture.shared.leadAssignment(lead?.id as string), undefined)
})

t.test('a conversion is one transaction: when the user cannot be written, the lead stays', async (t) => {
  const app = await build(t)
  const [lead] = app.fixture.leads.list({ ecosystem: ECOSYSTEM, limit: 1 }).leads
  t.capture(UserRepository.prototype, 'insert', () => { throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' }) })
  const response = await app.inject({ method: 'POST', url: '/turn-lead-into-client', headers: JSON_HEADERS, payload: { lead_id: lead?.id, financial_entity_id: entityOf(app).uid } })
  t.equal(response.statusCode, 500)
  t.same(app.fixture.shared.leadById(lead?.id as string), lead, 'the lead is still there, as it was')
  t.equal(app.fixture.shared.userById(lead?.id as string), undefined, 'and no user')
})

t.test('20 parallel conversions of one lead: exactly one 200, the others 404, one user', async (t) => {
  const app = await build(t)
  const [lead] = app.fixture.leads.list({ ecosystem: ECOSYSTEM, limit: 1 }).leads
  const payload = { lead_id: lead?.id, financial_entity_id: entityOf(app).uid }
  const answers = await Promise.all(Array.from({ length: 20 }, async () => (await app.inject({ method: 'POST', url: '/turn-lead-into-client', headers: JSON_HEADERS, payload })).statusCode))
  t.equal(answers.filter((status) => status === 200).length, 1)
  t.equal(answers.filter((status) => status === 404).length, 19)
  t.equal(app.fixture.shared.users.list({ limit: 1000 }).users.filter((user) => user.id === lead?.id).length, 1)
})

t.test('GET /user and POST /update-user: one of id and nit, a 404 naming what was asked, updates checked like leads', async (t) => {
  const app = await build(t)
  const [user, other] = app.fixture.shared.users.list({ ecosystem: OTHER_ECOSYSTEM }).users
  const get = async (query: string) => await app.inject({ method: 'GET', url: `/user?${query}`, headers: AUTH })
  t.equal((await get('')).json<{ message: string }>().message, 'give exactly one of the query parameters id or nit')
  t.equal((await get(`id=${user?.id as string}&nit=1`)).json<{ message: string }>().message, 'give exactly one of the query parameters id or nit, not both')
  t.same((await get('id=nobody')).json(), { statusCode: 404, error: 'Not Found', message: 'User with id nobody not found' })
  t.same((await get('nit=1')).json(), { statusCode: 404, error: 'Not Found', message: 'User with nit 1 not found' })
  const { financial_entity: _entity, ...shown } = user as NonNullable<typeof user>
  t.same((await get(`nit=${user?.nit as string}`)).json(), shown, 'the user, without the entity it belongs to')
  const update = async (payload: object) => await app.inject({ method: 'POST', url: '/update-user', headers: JSON_HEADERS, payload })
  t.equal((await update({ id: 'nobody' })).statusCode, 404)
  t.same((await update({ id: user?.id })).json(), shown, '{id} alone changes nothing')
  t.match((await update({ id: user?.id, lead_status: 'x' })).json(), { statusCode: 400, message: /^update-user: field lead_status: not a field update-user takes/ })
  t.match((await update({ id: user?.id, phone: '12' })).json(), { statusCode: 400, message: /^update-user: field phone: expected string to match/ })
  t.match((await update({ id: user?.id, history: JSON.parse(`${'['.repeat(70)}${']'.repeat(70)}`) })).json(), { statusCode: 400, message: 'update-user: field history: nested deeper than 64 levels' })
  const taken = await update({ id: user?.id, nit: other?.nit })
  t.equal(taken.statusCode, 400)
  t.equal(taken.json<{ message: string }>().message, `User with nit: ${other?.nit as string} already exists in ecosystem ${OTHER_ECOSYSTEM} (user ${other?.id as string})`)
  t.match((await update({ id: user?.id, nit: '1094999999', score: 800 })).json(), { nit: '1094999999', score: 800, available_quota: user?.available_quota })
})

t.test('the admin API for fintechs and users: list, load all or nothing, delete; the fixture\'s members do the same', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN, seed: 'none' })
  const entity = { uid: 'fin-1', name: 'Crédito Andino S.A.S.', nit: '901234567-8', ecosystem: ECOSYSTEM.toUpperCase(), email: 'c@example.co', phone: '6015551234', address: 'Calle 1', loan_products: {} }
  const load = async (path: string, payload: unknown) => await app.inject({ method: 'POST', url: `/__admin/${path}`, headers: { ...ADMIN, 'content-type': 'application/json' }, payload: JSON.stringify(payload) })
  t.same((await load('financial-entities', [entity])).json(), { written: 1 })
  t.same(app.fixture.shared.financialEntities.list().financialEntities, [{ ...entity, ecosystem: ECOSYSTEM }], 'the ecosystem as leads keep it')
  const bad = await load('financial-entities', [entity, { ...entity, uid: 'fin-2', loan_products: { p: { name: 'x' } } }])
  t.equal(bad.statusCode, 400)
  t.match(bad.json<{ message: string }>().message, /^financial entity 1 \(uid "fin-2"\): field loan_products\.p\.loan_type: expected required property$/)
  t.equal(app.fixture.shared.financialEntities.list().total, 1, 'nothing of the refused load was written')
  const user = { id: 'u-1', name: 'Ana', lastname: 'Ruiz', business_name: '', status: 'active', phone: '573001234567', email: 'a@example.co', nit: '1094', address: '', ecosystem: ECOSYSTEM, business_entity: '', quota: 5_000_000, financial_entity: 'fin-1' }
  t.same((await load('users', [user])).json(), { written: 1 })
  t.match(app.fixture.shared.users.list().users, [{ id: 'u-1', available_quota: 5_000_000, financial_entity: 'fin-1' }], 'available_quota defaults to the quota')
  t.match((await load('users', [{ ...user, financial_entity: undefined }])).json(), { statusCode: 400, message: 'user 0 (id "u-1"): field financial_entity: expected required property' })
  t.match((await load('users', 'not an array')).json(), { statusCode: 400, message: 'expected an array of users, got string' })
  const listed = await app.inject({ method: 'GET', url: `/__admin/users?ecosystem=${ECOSYSTEM}&limit=1`, headers: ADMIN })
  t.match(listed.json(), { total: 1, users: [{ id: 'u-1' }] })
  t.equal((await app.inject({ method: 'DELETE', url: '/__admin/users/u-1', headers: ADMIN })).statusCode, 204)
  t.same((await app.inject({ method: 'DELETE', url: '/__admin/users/u-1', headers: ADMIN })).json(), { statusCode: 404, error: 'Not Found', message: 'no user has id u-1' })
  t.same((await app.inject({ method: 'DELETE', url: '/__admin/financial-entities', headers: ADMIN })).json(), { deleted: 1 })
  t.equal(app.fixture.shared.financialEntities.add([entity]), 1, 'and the same through the fixture')
  t.equal(app.fixture.shared.financialEntities.removeById('fin-1'), true)
  t.equal(app.fixture.shared.financialEntities.remove({ ecosystem: ECOSYSTEM }), 0)
  t.equal(app.fixture.shared.users.add([user]), 1)
  t.same((await app.inject({ method: 'DELETE', url: `/__admin/users?ecosystem=${ECOSYSTEM}`, headers: ADMIN })).json(), { deleted: 1 }, 'users of an ecosystem, deleted')
  t.equal(app.fixture.shared.users.add([user]), 1)
  t.equal(app.fixture.shared.users.remove(), 1, 'and through the fixture')
})

t.test('fintech and user loads that cannot be stored are refused, whole, naming the record and the field', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN, seed: 'none' })
  const entity = { uid: 'fin-1', name: 'Crédito Andino S.A.S.', nit: '901234567-8', ecosystem: ECOSYSTEM, email: 'c@example.co', phone: '6015551234', address: 'Calle 1', loan_products: {} }
  const user = { id: 'u-1', name: 'Ana', lastname: 'Ruiz', business_name: '', status: 'active', phone: '573001234567', email: 'a@example.co', nit: '1094', address: '', ecosystem: ECOSYSTEM, business_entity: '', quota: 1, financial_entity: 'fin-1' }
  const cases: Array<[string, unknown, string]> = [
    ['financial-entities', { uid: 'fin-1' }, 'expected an array of financial entities, got object'],
    ['financial-entities', null, 'expected an array of financial entities, got null'],
    ['financial-entities', [5], 'financial entity 0: the financial entity: expected object'],
    ['financial-entities', [{ ...entity, uid: 7 }], 'financial entity 0: field uid: expected string'],
    ['financial-entities', [{ ...entity, name: 'Cr\ud800dito' }], 'financial entity 0 (uid "fin-1"): field name: not well-formed Unicode (a lone surrogate), which the database cannot store as sent'],
    ['financial-entities', [entity, { ...entity, name: 'again' }], 'financial entity 1 (uid "fin-1"): repeats the uid of financial entity 0'],
    ['users', null, 'expected an array of users, got null'],
    ['users', [5], 'user 0: the user: expected object'],
    ['users', [{ ...user, id: 7 }], 'user 0: field id: expected string'],
    ['users', [user, { ...user, nit: '1095', phone: '573001234568' }], 'user 1 (id "u-1"): repeats the id of user 0']
  ]
  for (const [path, payload, message] of cases) {
    // JSON.stringify writes a lone surrogate as its escape, as an attacker would send it.
    const response = await app.inject({ method: 'POST', url: `/__admin/${path}`, headers: { ...ADMIN, 'content-type': 'application/json' }, payload: JSON.stringify(payload) })
    t.same([response.statusCode, response.json<{ message: string }>().message], [400, message], message)
  }
  t.same([app.fixture.shared.financialEntities.list().total, app.fixture.shared.users.list().total], [0, 0], 'nothing written')
})

t.test('GET /financial-entity?uid=: the fintech with its loan products, or a 404 naming the uid', async (t) => {
  const app = await build(t)
  const entity = entityOf(app)
  const found = await app.inject({ method: 'GET', url: `/financial-entity?uid=${entity.uid}`, headers: AUTH })
  t.equal(found.statusCode, 200)
  t.same(found.json(), entity)
  t.ok(Object.values(found.json<FinancialEntity>().loan_products).some((product) => product.name === 'simulador'), 'a simulador among its loan products')
  const missing = await app.inject({ method: 'GET', url: '/financial-entity?uid=nobody', headers: AUTH })
  t.same([missing.statusCode, missing.json<{ message: string }>().message], [404, 'Financial entity with uid nobody not found'])
  const none = await app.inject({ method: 'GET', url: '/financial-entity', headers: AUTH })
  t.same([none.statusCode, none.json<{ message: string }>().message], [400, 'querystring must have required property \'uid\''])
})

t.test('a reset brings back the seed\'s fintechs and users too; a sandbox has its own, seeded with the demo\'s', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  const [lead] = app.fixture.leads.list({ ecosystem: ECOSYSTEM, limit: 1 }).leads
  const entity = entityOf(app)
  await app.inject({ method: 'POST', url: '/turn-lead-into-client', headers: JSON_HEADERS, payload: { lead_id: lead?.id, financial_entity_id: entity.uid } })
  app.fixture.shared.financialEntities.removeById(entityOf(app, OTHER_ECOSYSTEM).uid)
  t.equal(app.fixture.shared.users.list().total, 10)
  t.equal((await app.inject({ method: 'POST', url: '/__admin/reset', headers: ADMIN })).statusCode, 200)
  t.equal(app.fixture.shared.users.list().total, 9, 'the converted lead is a lead again')
  t.equal(app.fixture.shared.financialEntities.list().total, 12, 'the deleted fintech is back')
  t.same(app.fixture.shared.leadById(lead?.id as string), lead)
  const box = app.fixture.sandboxes.create({})
  t.equal(box.space.financialEntities.list().total, 12, 'a demo sandbox has the demo fintechs')
  t.equal(box.space.users.list().total, 9, 'and users')
  const own = app.fixture.sandboxes.create({ seed: { leads: [], financialEntities: [{ ...entity, uid: 'mine' }] } })
  t.same(own.space.financialEntities.list().financialEntities.map((each) => each.uid), ['mine'], 'a sandbox seeded with its own')
  t.throws(() => app.fixture.sandboxes.create({ seed: { leads: [], fintechs: [] } }), { statusCode: 400, message: 'sandbox seed: seed: fintechs is not a part of seed data; it holds leads, financialEntities and users' })
})
