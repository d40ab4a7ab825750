// Sandboxes: private copies of the data, each opened by its own token, so that parallel suites and
// CI jobs can share one server. Over real HTTP where a client would use it.
import Database from 'better-sqlite3'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { DEMO_ECOSYSTEMS } from '../seed/demo.js'
import { DEV_TOKEN, startServer, type LeadInput, type MockServer } from '../src/index.js'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE, type Lead } from '../src/core/leads/schema.js'
import { Space } from '../src/core/space.js'
import { ADMIN, ADMIN_TOKEN, build, LATEST_SCHEMA, temporaryDirectory } from './helper.js'

const DEMO_SIZE = DEMO_ECOSYSTEMS.reduce((sum, ecosystem) => sum + ecosystem.size, 0)
const DEMO_ENTITIES = DEMO_ECOSYSTEMS.reduce((sum, ecosystem) => sum + ecosystem.financialEntities, 0)
const DEMO_USERS = DEMO_ECOSYSTEMS.reduce((sum, ecosystem) => sum + ecosystem.users, 0)
const ECOSYSTEM = '5d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a'
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` })
const json = { 'content-type': 'application/json' }

function lead (id: string, overrides: Partial<Lead> = {}): LeadInput {
  return {
    id,
    name: 'Rosa',
    lastname: 'Pérez',
    business_name: 'Tienda Doña Rosa',
    status: 'new',
    phone: '573001112233',
    email: 'rosa@example.co',
    nit: '900123456-8',
    address: 'Calle 10 # 5-20, Pasto, Nariño',
    ecosystem: ECOSYSTEM,
    business_entity: 'Persona natural',
    quota: 1_000_000,
    ...overrides
  }
}

interface Created { id: string, token: string, clientId: string, clientSecret: string, expiresAt: string }

async function create (mock: MockServer, body: unknown = {}): Promise<Created> {
  const response = await fetch(`${mock.url}/__admin/sandboxes`, { method: 'POST', headers: { ...ADMIN, ...json }, body: JSON.stringify(body) })
  if (response.status !== 201) throw new Error(`${response.status} ${await response.text()}`)
  return await response.json() as Created
}

async function get (mock: MockServer, path: string, token: string): Promise<{ status: number, body: unknown }> {
  const response = await fetch(`${mock.url}${path}`, { headers: bearer(token) })
  return { status: response.status, body: await response.json() }
}

t.test('POST /__admin/sandboxes: every field optional, the demo seed and an hour by default; the answer is the only time the secrets show', async (t) => {
  let now = Date.UTC(2026, 10, 29, 12)
  const app = await build(t, { adminToken: ADMIN_TOKEN }, { now: () => now })
  const response = await app.inject({ method: 'POST', url: '/__admin/sandboxes', headers: ADMIN, payload: {} })
  t.equal(response.statusCode, 201)
  const created = response.json<Created>()
  t.match(created, { id: /^sbx_[0-9a-f]{16}$/, token: /^lcm_[A-Za-z0-9_-]{43}$/, clientId: `${created.id}-client`, clientSecret: /^lcm_[A-Za-z0-9_-]{43}$/ })
  t.equal(created.expiresAt, new Date(now + 3600_000).toISOString())
  t.same(Object.keys(created).sort(), ['clientId', 'clientSecret', 'expiresAt', 'id', 'token'])
  const lookup = await app.inject({ method: 'GET', url: `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, headers: bearer(created.token) })
  t.equal(lookup.json<unknown[]>().length, DEMO_ECOSYSTEMS[0]?.size, 'it holds the demo leads')

  const named = await app.inject({ method: 'POST', url: '/__admin/sandboxes', headers: ADMIN, payload: { seed: 'none', ttlSeconds: 60, name: 'suite a' } })
  const listed = await app.inject({ method: 'GET', url: '/__admin/sandboxes', headers: ADMIN })
  t.same(listed.json(), [
    { id: created.id, name: null, clientId: created.clientId, createdAt: new Date(now).toISOString(), expiresAt: created.expiresAt, leads: DEMO_SIZE, financialEntities: DEMO_ENTITIES, users: DEMO_USERS },
    { id: named.json<Created>().id, name: 'suite a', clientId: named.json<Created>().clientId, createdAt: new Date(now).toISOString(), expiresAt: new Date(now + 60_000).toISOString(), leads: 0, financialEntities: 0, users: 0 }
  ], 'listed oldest first, with no token and no secret')
  const one = await app.inject({ method: 'GET', url: `/__admin/sandboxes/${named.json<Created>().id}`, headers: ADMIN })
  t.match(one.json(), { name: 'suite a', leads: 0 })
  t.notMatch(listed.body + one.body, /lcm_/, 'no secret anywhere in a listing')
  t.equal((await app.inject({ method: 'GET', url: '/__admin/sandboxes/sbx_nope', headers: ADMIN })).statusCode, 404)
  now += 1000
})

t.test('a POST /__admin/sandboxes with no body at all is a sandbox with the defaults; the other admin writes say what they expected', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  const created = await app.inject({ method: 'POST', url: '/__admin/sandboxes', headers: ADMIN })
  t.equal(created.statusCode, 201)
  const lookup = await app.inject({ method: 'GET', url: `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, headers: bearer(created.json<Created>().token) })
  t.equal(lookup.json<unknown[]>().length, DEMO_ECOSYSTEMS[0]?.size, 'it holds the demo leads')
  for (const [url, message] of [['/__admin/leads', 'expected an array of leads, got null'], ['/__admin/scenarios', 'scenario: expected object']] as const) {
    const response = await app.inject({ method: 'POST', url, headers: ADMIN })
    t.same(response.json(), { statusCode: 400, error: 'Bad Request', message }, url)
  }
})

t.test('bad sandbox options are a 400 naming the field, through the admin API and mock.sandbox() alike', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())
  const cases: Array<[unknown, string]> = [
    [{ ttlSeconds: 0 }, 'sandbox: field ttlSeconds: expected integer to be greater or equal to 1'],
    [{ ttlSeconds: 2_592_001 }, 'sandbox: field ttlSeconds: expected integer to be less or equal to 2592000'],
    [{ seed: 'everything' }, 'sandbox: field seed: expected "demo" or "none" or an array or an object'],
    [{ seed: [lead('a'), lead('b', { quota: 'mucho' as unknown as number })] }, 'sandbox seed: lead 1 (id "b"): field quota: expected number'],
    [{ name: 7 }, 'sandbox: field name: expected string'],
    [{ tll: 5 }, 'sandbox: field tll: unexpected property'],
    [{ name: 'x'.repeat(201) }, 'sandbox: field name: expected string length less or equal to 200'],
    [{ seed: [lead('a')], ttlSeconds: 0 }, 'sandbox: field ttlSeconds: expected integer to be greater or equal to 1'],
    [{ seed: [lead('a')], tll: 5 }, 'sandbox: field tll: unexpected property']
  ]
  for (const [body, message] of cases) {
    const response = await fetch(`${mock.url}/__admin/sandboxes`, { method: 'POST', headers: { ...ADMIN, ...json }, body: JSON.stringify(body) })
    t.equal(response.status, 400, message)
    t.same(await response.json(), { statusCode: 400, error: 'Bad Request', message })
    await t.rejects(mock.sandbox(body as never), { statusCode: 400, message })
  }
  t.same((await get(mock, '/__admin/sandboxes', ADMIN_TOKEN)).body, [], 'and none was created')
  await t.rejects(mock.sandbox(null as never), { statusCode: 400, message: 'sandbox: expected object' }, 'options that are not an object')
})

t.test('16 sandboxes driven at once, each loading a conflicting lead with the same id: each sees only its own', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())
  const boxes = await Promise.all(Array.from({ length: 16 }, async (_, i) => await create(mock, { seed: 'none', name: `suite-${i}` })))
  const shared = await get(mock, `/lead?ecosystem=${ECOSYSTEM}`, DEV_TOKEN)
  await Promise.all(boxes.map(async (box, i) => {
    for (let round = 0; round < 5; round++) {
      const load = await fetch(`${mock.url}/__admin/leads`, {
        method: 'POST',
        headers: { ...bearer(box.token), ...json },
        body: JSON.stringify([lead('the-same-id', { name: `suite ${i}`, quota: i * 1000 + round })])
      })
      t.equal(load.status, 201)
      const seen = await get(mock, `/lead?ecosystem=${ECOSYSTEM}`, box.token)
      t.same((seen.body as Lead[]).map((l) => [l.id, l.name, l.quota]), [['the-same-id', `suite ${i}`, i * 1000 + round]], `sandbox ${i}, round ${round}`)
      await new Promise((resolve) => setImmediate(resolve))
    }
  }))
  t.same(await get(mock, `/lead?ecosystem=${ECOSYSTEM}`, DEV_TOKEN), shared, 'the shared data is untouched')
  const byPhone = await get(mock, '/lead?phone=573001112233', boxes[3]?.token as string)
  t.match(byPhone.body, { id: 'the-same-id', name: 'suite 3' }, 'a phone lookup stays in its sandbox too')
  t.equal((await get(mock, '/lead?phone=573001112233', DEV_TOKEN)).status, 404, 'and the shared data never sees a sandbox\'s lead')
})

t.test('a sandbox token manages its own sandbox and nothing else', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())
  const a = await create(mock, { seed: [lead('a-1')] })
  const b = await create(mock, { seed: [lead('b-1')] })
  const call = async (method: string, path: string, token: string, body?: unknown): Promise<number> =>
    (await fetch(`${mock.url}${path}`, { method, headers: { ...bearer(token), ...(body === undefined ? {} : json) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })).status

  t.equal(await call('POST', '/__admin/leads', a.token, [lead('a-2')]), 201)
  t.match((await get(mock, '/__admin/leads', a.token)).body, { total: 2, leads: [{ id: 'a-1' }, { id: 'a-2' }] })
  t.match((await get(mock, '/__admin/leads', b.token)).body, { total: 1, leads: [{ id: 'b-1' }] })
  t.match((await get(mock, '/__admin/leads', ADMIN_TOKEN)).body, { total: DEMO_SIZE }, 'the admin token manages the shared data')

  await get(mock, `/lead?ecosystem=${ECOSYSTEM}`, a.token)
  await get(mock, '/lead?phone=573000000000', b.token)
  t.match((await get(mock, '/__admin/journal', a.token)).body, { entries: [{ path: '/lead', status: 200, query: { ecosystem: ECOSYSTEM } }] })
  t.match((await get(mock, '/__admin/journal', b.token)).body, { entries: [{ path: '/lead', status: 404 }] })
  t.match((await get(mock, '/__admin/journal', ADMIN_TOKEN)).body, { entries: [] }, 'a sandbox\'s requests stay out of the shared journal')

  t.equal(await call('POST', '/__admin/scenarios', a.token, { respond: { status: 503 } }), 201)
  t.equal((await get(mock, `/lead?ecosystem=${ECOSYSTEM}`, a.token)).status, 503, 'a scenario applies in its sandbox')
  t.equal((await get(mock, `/lead?ecosystem=${ECOSYSTEM}`, b.token)).status, 200, 'and nowhere else')
  t.equal((await get(mock, `/lead?ecosystem=${ECOSYSTEM}`, DEV_TOKEN)).status, 200)
  t.same((await get(mock, '/__admin/scenarios', b.token)).body, [])
  t.equal(await call('DELETE', '/__admin/scenarios', a.token), 200)
  t.equal(await call('DELETE', '/__admin/journal', a.token), 204)
  t.equal(await call('DELETE', '/__admin/leads/a-2', a.token), 204)
  t.equal(await call('DELETE', '/__admin/leads/b-1', a.token), 404, 'another sandbox\'s lead is not there to delete')
  t.equal(await call('DELETE', `/__admin/leads?ecosystem=${ECOSYSTEM}`, a.token), 200)
  t.match((await get(mock, '/__admin/leads', b.token)).body, { total: 1 }, 'b still has its lead')

  // Outside its sandbox, a sandbox token opens nothing of the admin API.
  for (const [method, path] of [['GET', '/__admin/sandboxes'], ['POST', '/__admin/sandboxes'], ['GET', `/__admin/sandboxes/${a.id}`],
    ['GET', `/__admin/sandboxes/${b.id}`], ['DELETE', `/__admin/sandboxes/${b.id}`], ['DELETE', `/__admin/sandboxes/${a.id}`]] as const) {
    t.equal(await call(method, path, a.token, method === 'POST' ? {} : undefined), 401, `${method} ${path}`)
  }
  t.equal(await call('GET', '/__admin/leads', 'not-a-token'), 401)
  t.equal(await call('GET', '/__admin/leads', DEV_TOKEN), 401, 'an API token still opens no admin route')
})

t.test('reset returns one sandbox to its seed and leaves the others and the shared data alone', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())
  const a = await mock.sandbox({ seed: [lead('a-1')] })
  const b = await mock.sandbox({ seed: 'demo' })
  a.leads.add([lead('a-2')])
  b.leads.remove()
  mock.leads.remove({ ecosystem: EXAMPLE_ECOSYSTEM })
  const reset = await fetch(`${mock.url}/__admin/reset`, { method: 'POST', headers: bearer(a.token) })
  t.same(await reset.json(), { leads: 1 })
  t.same(a.leads.list().leads.map((l) => l.id), ['a-1'], 'a is back to its seed')
  t.equal(b.leads.list().total, 0, 'b is untouched')
  t.equal(mock.leads.list({ ecosystem: EXAMPLE_ECOSYSTEM }).total, 0, 'and so is the shared data')
  b.reset()
  t.equal(b.leads.list().total, DEMO_SIZE)
  mock.reset()
  t.equal(mock.leads.list({ ecosystem: EXAMPLE_ECOSYSTEM }).total, DEMO_ECOSYSTEMS[0]?.size)
  t.equal(a.leads.list().total, 1, 'a reset of the shared data leaves the sandboxes alone')
  const empty = await mock.sandbox({ seed: 'none' })
  empty.leads.add([lead('e-1')])
  empty.reset()
  t.equal(empty.leads.list().total, 0, 'a sandbox seeded with none is empty again')
})

t.test('a sandbox expires: its token answers 401 and its data is gone', async (t) => {
  let now = 1_000_000
  const app = await build(t, { adminToken: ADMIN_TOKEN }, { now: () => now })
  const created = app.fixture.sandboxes.create({ ttlSeconds: 10, seed: 'demo' })
  const lookup = async (): Promise<number> => (await app.inject({ method: 'GET', url: `/lead?phone=${EXAMPLE_PHONE}`, headers: bearer(created.token) })).statusCode
  now += 9_999
  t.equal(await lookup(), 200, 'a millisecond before it expires')
  now += 1
  t.equal(await lookup(), 401, 'expired')
  t.same(app.fixture.sandboxes.list(), [])
  const other = app.fixture.sandboxes.create({ ttlSeconds: 5 })
  now += 5_000
  t.same((await app.inject({ method: 'GET', url: '/__admin/sandboxes', headers: ADMIN })).json(), [], 'a listing removes the expired ones too')
  t.equal((await app.inject({ method: 'GET', url: `/__admin/sandboxes/${other.id}`, headers: ADMIN })).statusCode, 404)
  t.equal(app.fixture.leads.list().total, DEMO_SIZE, 'the shared data stays')
})

t.test('a token issued to a sandbox\'s client stops working when the sandbox expires', async (t) => {
  let now = 1_000_000
  const app = await build(t, { tokenTtl: 3600 }, { now: () => now })
  const { clientId, clientSecret } = app.fixture.sandboxes.create({ ttlSeconds: 10 })
  const issued = await app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=client_credentials'
  })
  const token = issued.json<{ access_token: string }>().access_token
  const lookup = async (): Promise<number> => (await app.inject({ method: 'GET', url: `/lead?phone=${EXAMPLE_PHONE}`, headers: bearer(token) })).statusCode
  t.equal(await lookup(), 200)
  now += 10_000
  t.equal(await lookup(), 401, 'the sandbox expired before the token did')
})

t.test('sandboxes survive a restart until they expire', async (t) => {
  const path = join(temporaryDirectory(t), 'leancore.db')
  const first = await startServer({ databasePath: path, adminToken: ADMIN_TOKEN })
  const box = await first.sandbox({ seed: [lead('kept')], name: 'kept across restarts' })
  const issued = await (await fetch(`${first.url}/oauth2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${box.clientId}:${box.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials'
  })).json() as { access_token: string }
  await first.close()

  const second = await startServer({ databasePath: path, adminToken: ADMIN_TOKEN })
  t.after(() => second.close())
  t.match((await get(second, `/lead?ecosystem=${ECOSYSTEM}`, box.token)).body, [{ id: 'kept' }], 'its token still opens it, with its leads')
  t.match((await get(second, '/__admin/sandboxes', ADMIN_TOKEN)).body, [{ id: box.id, name: 'kept across restarts', leads: 1 }])
  const token = await fetch(`${second.url}/oauth2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${box.clientId}:${box.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials'
  })
  t.equal(token.status, 200, 'its client still gets tokens')
  t.equal((await get(second, `/lead?ecosystem=${ECOSYSTEM}`, issued.access_token)).status, 401, 'a token issued before the restart is not remembered (none is)')
  const reset = await fetch(`${second.url}/__admin/reset`, { method: 'POST', headers: bearer(box.token) })
  t.same(await reset.json(), { leads: 1 }, 'and its reset still knows its seed')
  const untouched = await second.sandbox({ seed: 'demo' })
  await second.close()
  const third = await startServer({ databasePath: path, adminToken: ADMIN_TOKEN })
  t.after(() => third.close())
  t.equal((await fetch(`${third.url}/__admin/reset`, { method: 'POST', headers: bearer(untouched.token) })).status, 200, 'a demo sandbox resets after a restart')
  t.equal((await fetch(`${third.url}/__admin/sandboxes/${box.id}`, { method: 'DELETE', headers: ADMIN })).status, 204, 'one not used since the restart can be deleted')
})

t.test('deleting a sandbox removes its data and revokes its token and the tokens issued to its client', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())
  const box = await create(mock, { seed: [lead('gone')] })
  const keep = await create(mock, { seed: [lead('stays')] })
  const basic = `Basic ${Buffer.from(`${box.clientId}:${box.clientSecret}`).toString('base64')}`
  const tokenResponse = await fetch(`${mock.url}/oauth2/token`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' })
  t.equal(tokenResponse.status, 200, 'the OAuth flow works for a sandbox client')
  const { access_token: issued } = await tokenResponse.json() as { access_token: string }
  t.match((await get(mock, `/lead?ecosystem=${ECOSYSTEM}`, issued)).body, [{ id: 'gone' }], 'and its token opens the sandbox')
  t.equal((await get(mock, '/__admin/leads', issued)).status, 401, 'but not its admin routes')

  t.equal((await fetch(`${mock.url}/__admin/sandboxes/${box.id}`, { method: 'DELETE', headers: ADMIN })).status, 204)
  t.equal((await get(mock, `/lead?ecosystem=${ECOSYSTEM}`, box.token)).status, 401, 'its token is revoked')
  t.equal((await get(mock, `/lead?ecosystem=${ECOSYSTEM}`, issued)).status, 401, 'and so is the token issued to its client')
  const again = await fetch(`${mock.url}/oauth2/token`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' })
  t.equal(again.status, 401, 'its client is gone')
  const twice = await fetch(`${mock.url}/__admin/sandboxes/${box.id}`, { method: 'DELETE', headers: ADMIN })
  t.same(await twice.json(), { statusCode: 404, error: 'Not Found', message: `no sandbox has id ${box.id}` })
  const gone = await fetch(`${mock.url}/__admin/sandboxes/${box.id}`, { headers: ADMIN })
  t.same(await gone.json(), { statusCode: 404, error: 'Not Found', message: `no sandbox has id ${box.id}` })
  t.match((await get(mock, `/lead?ecosystem=${ECOSYSTEM}`, keep.token)).body, [{ id: 'stays' }], 'the other sandbox stays')
  t.same(((await get(mock, '/__admin/sandboxes', ADMIN_TOKEN)).body as Array<{ id: string }>).map((sandbox) => sandbox.id), [keep.id])
})

t.test('a sandbox\'s scenarios take no room from the shared data\'s, and a deleted one\'s journal gives its bytes back', async (t) => {
  const mock = await startServer({ maxScenarios: 1 })
  t.after(() => mock.close())
  const box = await mock.sandbox()
  box.scenarios.add({ respond: { status: 503 } })
  mock.scenarios.add({ respond: { status: 418 } })
  t.equal((await get(mock, `/lead?ecosystem=${ECOSYSTEM}`, DEV_TOKEN)).status, 418, 'each space has its own MAX_SCENARIOS')
  t.throws(() => box.scenarios.add({ respond: { status: 500 } }), { statusCode: 409, message: /^one more scenario in this space would pass MAX_SCENARIOS \(1\)/ }, 'and the sandbox its own, full')
  await get(mock, `/lead?ecosystem=${ECOSYSTEM}`, box.token)
  t.equal(box.journal.entries().length, 1)
  await box.close()
  t.same(box.journal.entries(), [], 'a deleted sandbox\'s journal is emptied')
})

t.test('MAX_SANDBOXES answers a 409 naming the limit, and keeps the sandboxes there are', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN, maxSandboxes: 2 })
  t.after(() => mock.close())
  const first = await create(mock, { seed: 'none' })
  await create(mock, { seed: 'none' })
  const refused = await fetch(`${mock.url}/__admin/sandboxes`, { method: 'POST', headers: { ...ADMIN, ...json }, body: '{}' })
  t.equal(refused.status, 409)
  t.same(await refused.json(), {
    statusCode: 409,
    error: 'Conflict',
    message: 'MAX_SANDBOXES (2) sandboxes exist; delete one (DELETE /__admin/sandboxes/:id) or wait for one to expire'
  })
  t.equal(((await get(mock, '/__admin/sandboxes', ADMIN_TOKEN)).body as unknown[]).length, 2)
  await fetch(`${mock.url}/__admin/sandboxes/${first.id}`, { method: 'DELETE', headers: ADMIN })
  t.ok(await create(mock), 'once one is gone, there is room again')
})

t.test('the admin load limits hold per sandbox: 32 MiB bodies, all-or-nothing loads', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())
  const box = await create(mock, { seed: 'none' })
  const tooBig = await fetch(`${mock.url}/__admin/leads`, { method: 'POST', headers: { ...bearer(box.token), ...json }, body: `[${' '.repeat(33 * 1024 * 1024)}]` })
  t.equal(tooBig.status, 413)
  const bigSeed = await fetch(`${mock.url}/__admin/sandboxes`, { method: 'POST', headers: { ...ADMIN, ...json }, body: `{"seed":[${' '.repeat(33 * 1024 * 1024)}]}` })
  t.equal(bigSeed.status, 413, 'a sandbox seed over 32 MiB')
  const invalid = await fetch(`${mock.url}/__admin/leads`, { method: 'POST', headers: { ...bearer(box.token), ...json }, body: JSON.stringify([lead('ok'), { id: 'bad' }]) })
  t.equal(invalid.status, 400)
  t.match((await get(mock, '/__admin/leads', box.token)).body, { total: 0 }, 'nothing of it was written')
})

t.test('mock.sandbox() has a MockServer\'s members for its own data, and close() deletes it', async (t) => {
  const mock = await startServer()
  t.after(() => mock.close())
  const box = await mock.sandbox({ seed: 'none', ttlSeconds: 120 })
  t.same(Object.keys(box).sort(), ['clientId', 'clientSecret', 'close', 'expiresAt', 'financialEntities', 'id', 'journal', 'leads', 'reset', 'scenarios', 'token', 'users'])
  t.equal(box.leads.add([lead('p-1')]), 1)
  t.match((await get(mock, `/lead?ecosystem=${ECOSYSTEM}`, box.token)).body, [{ id: 'p-1' }])
  t.match(box.journal.entries(), [{ path: '/lead', status: 200 }])
  t.equal(box.journal.capacity, 1000)
  box.scenarios.add({ respond: { status: 418 }, times: 1 })
  t.equal((await get(mock, `/lead?ecosystem=${ECOSYSTEM}`, box.token)).status, 418)
  t.same(mock.journal.entries(), [], 'the shared journal saw none of it')
  await box.close()
  await box.close()
  t.equal((await get(mock, `/lead?ecosystem=${ECOSYSTEM}`, box.token)).status, 401, 'closed: gone')
})

t.test('a write to one sandbox empties no other space\'s cached bodies, and stales none', async (t) => {
  const mock = await startServer()
  t.after(() => mock.close())
  const a = await mock.sandbox({ seed: [lead('a')] })
  const b = await mock.sandbox({ seed: [lead('b')] })
  const builds: number[] = []
  const original = Space.prototype.leadsOfEcosystem
  t.capture(Space.prototype, 'leadsOfEcosystem', function (this: Space, ecosystem: string) {
    builds.push(this.key)
    return original.call(this, ecosystem)
  })
  const ids = async (token: string, ecosystem = ECOSYSTEM): Promise<string[]> => ((await get(mock, `/lead?ecosystem=${ecosystem}`, token)).body as Lead[]).map((l) => l.id)
  t.same(await ids(a.token), ['a'])
  t.same(await ids(b.token), ['b'])
  t.equal((await ids(DEV_TOKEN, EXAMPLE_ECOSYSTEM)).length, DEMO_ECOSYSTEMS[0]?.size)
  t.equal(builds.length, 3, 'three bodies built')
  a.leads.add([lead('a2')])
  t.same(await ids(a.token), ['a', 'a2'], 'the written sandbox shows its write at once')
  t.same(await ids(b.token), ['b'])
  t.equal((await ids(DEV_TOKEN, EXAMPLE_ECOSYSTEM)).length, DEMO_ECOSYSTEMS[0]?.size)
  t.equal(builds.length, 4, 'only the written sandbox\'s body was built again')
  mock.leads.remove({ ecosystem: EXAMPLE_ECOSYSTEM })
  t.same(await ids(DEV_TOKEN, EXAMPLE_ECOSYSTEM), [], 'a write to the shared data shows at once')
  t.same(await ids(a.token), ['a', 'a2'])
  t.equal(builds.length, 5)
})

t.test('a version-1 database with leads in it upgrades in place and keeps every lead, in order', async (t) => {
  const path = join(temporaryDirectory(t), 'v1.db')
  const v1 = new Database(path)
  v1.exec(readFileSync(new URL('../migrations/0001_create_leads.sql', import.meta.url), 'utf8'))
  t.equal(v1.pragma('user_version', { simple: true }), 1)
  const insert = v1.prepare(`INSERT INTO leads (id, name, lastname, business_name, status, phone, email, nit, address, ecosystem,
    business_entity, quota, image, score, apn_token, history, payment_data, additional_data)
    VALUES (@id, @name, @lastname, @business_name, @status, @phone, @email, @nit, @address, @ecosystem,
    @business_entity, @quota, @image, @score, @apn_token, @history, @payment_data, @additional_data)`)
  const written = ['z', 'a', 'm'].map((id, i) => ({
    ...lead(id, { phone: `57300000000${i}`, score: 600 + i }),
    image: null,
    apn_token: i === 0 ? 'apn-1' : null,
    history: JSON.stringify([{ event: 'created', i }]),
    payment_data: JSON.stringify({ bank: 'Bancolombia' }),
    additional_data: '{}'
  }))
  for (const row of written) insert.run(row)
  v1.close()

  const mock = await startServer({ databasePath: path, adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())
  const served = (await get(mock, `/lead?ecosystem=${ECOSYSTEM}`, DEV_TOKEN)).body as Lead[]
  t.same(served.map((l) => l.id), ['z', 'a', 'm'], 'every lead, in the order it was written')
  t.same(served[0], { ...written[0], history: [{ event: 'created', i: 0 }], payment_data: { bank: 'Bancolombia' }, additional_data: {} }, 'field for field')
  t.equal(mock.leads.list().total, 3, 'and no seed was added on top')
  const check = new Database(path, { readonly: true })
  t.after(() => check.close())
  t.equal(check.pragma('user_version', { simple: true }), LATEST_SCHEMA)
  t.equal(check.pragma('integrity_check', { simple: true }), 'ok')
  const box = await mock.sandbox({ seed: [lead('z')] })
  t.match((await get(mock, `/lead?ecosystem=${ECOSYSTEM}`, box.token)).body, [{ id: 'z', name: 'Rosa' }], 'and the same id can live in a sandbox too')
})
