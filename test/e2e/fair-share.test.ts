// One tenant cannot starve the others: each space (the shared data, each sandbox) has its own room
// for scenarios, whatever tokens it names, and what a scenario costs in memory is what it counts.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import t from 'tap'
import { startServer } from '../../src/index.js'
import { SCENARIO_OVERHEAD } from '../../src/core/scenarios/scenario-book.js'
import { ADMIN, ADMIN_TOKEN } from '../helper.js'

const ECOSYSTEM = '5d1e7b2a-8c3f-4e6d-9a0b-1c2d3e4f5a6b'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

t.test('a sandbox that fills its scenarios with invented tokens leaves the admin and every other sandbox their room', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN, maxScenarios: 5, maxScenariosPerToken: 5 })
  t.after(() => mock.close())
  const add = async (token: string, scenario: object): Promise<Response> => await fetch(`${mock.url}/__admin/scenarios`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(scenario)
  })
  const create = async (): Promise<string> => (await (await fetch(`${mock.url}/__admin/sandboxes`, { method: 'POST', headers: ADMIN })).json() as { token: string }).token
  const [greedy, other] = [await create(), await create()]
  for (let i = 0; i < 5; i++) t.equal((await add(greedy, { match: { token: `invented-${i}` }, respond: { status: 500 } })).status, 201)
  const sixth = await add(greedy, { match: { token: 'invented-6' }, respond: { status: 500 } })
  t.equal(sixth.status, 409, 'the greedy sandbox is full')
  t.match(await sixth.json(), { message: 'one more scenario in this space would pass MAX_SCENARIOS (5); remove some first (DELETE /__admin/scenarios)' })
  t.equal((await add(ADMIN_TOKEN, { respond: { status: 503 } })).status, 201, 'the admin still adds to the shared data')
  t.equal((await add(other, { respond: { status: 503 } })).status, 201, 'another sandbox still adds to its own')
  for (let i = 0; i < 4; i++) t.equal((await add(other, { match: { token: `mine-${i}` }, respond: { status: 500 } })).status, 201)
  t.equal((await add(other, { respond: { status: 500 } })).status, 409, 'and has exactly its own five')
})

t.test('what scenarios cost in memory is what they count: their JSON and a fixed overhead each', async (t) => {
  const limit = 16 * 1024 * 1024
  const mock = await startServer({ adminToken: ADMIN_TOKEN, maxScenarioBytes: limit, maxScenarioBytesPerToken: limit })
  t.after(() => mock.close())
  // A body that costs far more parsed than as text: 100,000 small numbers, 8 bytes each in an array.
  const body = `{"respond":{"status":200,"body":[${Array(100_000).fill(0).join(',')}]}}`
  const each = Buffer.byteLength(body) + SCENARIO_OVERHEAD
  gc()
  const before = process.memoryUsage().heapUsed
  let added = 0
  while ((added + 1) * each <= limit) {
    const response = await fetch(`${mock.url}/__admin/scenarios`, { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body })
    if (response.status !== 201) break
    await response.arrayBuffer()
    added++
  }
  const refused = await fetch(`${mock.url}/__admin/scenarios`, { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body })
  t.equal(refused.status, 409, 'one more passes MAX_SCENARIO_BYTES')
  gc()
  const grown = process.memoryUsage().heapUsed - before
  t.comment(`${added} scenarios, counted ${(added * each / 1048576).toFixed(1)} MiB; the heap grew by ${(grown / 1048576).toFixed(1)} MiB`)
  t.ok(added >= 70, `${added} scenarios fit`)
  t.ok(grown < 1.25 * added * each, 'the heap grew by about what was counted, not several times it')
})

t.test('MAX_LEADS_PER_SANDBOX and MAX_SANDBOX_BYTES: past them a 409 naming the setting (413 for one request larger on its own), nothing written', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN, maxLeadsPerSandbox: 5, maxSandboxBytes: 20_000, seed: 'none' })
  t.after(() => mock.close())
  const box = await mock.sandbox({ seed: 'none' })
  const own = { authorization: `Bearer ${box.token}`, 'content-type': 'application/json' }
  const lead = (i: number, extra: object = {}): object => ({
    id: `lead-${i}`,
    name: 'Ana',
    lastname: 'Ruiz',
    business_name: '',
    status: 'not_assigned',
    phone: `5730000000${String(i).padStart(2, '0')}`,
    email: `a${i}@example.co`,
    nit: `10941234${String(i).padStart(2, '0')}`,
    address: '',
    ecosystem: ECOSYSTEM,
    business_entity: '',
    quota: 0,
    ...extra
  })
  const load = async (leads: object[]): Promise<Response> => await fetch(`${mock.url}/__admin/leads`, { method: 'POST', headers: own, body: JSON.stringify(leads) })
  t.equal((await load([lead(1), lead(2), lead(3), lead(4)])).status, 201)
  const over = await load([lead(5), lead(6)])
  t.equal(over.status, 409)
  t.same(await over.json(), { statusCode: 409, error: 'Conflict', message: 'the sandbox would hold 6 records (leads, financial entities and users), over MAX_LEADS_PER_SANDBOX (5); nothing was written. Delete some first (DELETE /__admin/leads), or raise the limit' })
  const alone = await load([6, 7, 8, 9, 10, 11].map((i) => lead(i)))
  t.equal(alone.status, 413, 'six in one request could never fit')
  t.match(await alone.json(), { message: /^the sandbox would hold 10 records \(leads, financial entities and users\), over MAX_LEADS_PER_SANDBOX \(5\); nothing was written\. Send fewer at a time/ })
  const created = await fetch(`${mock.url}/create-lead?bulk-load=true`, { method: 'POST', headers: own, body: JSON.stringify([{ name: 'x', nit: '1', phone: '573009999901', email: 'x', ecosystem: ECOSYSTEM }, { name: 'y', nit: '2', phone: '573009999902', email: 'y', ecosystem: ECOSYSTEM }]) })
  t.equal(created.status, 409, 'create-lead counts too')
  t.equal(box.leads.list().total, 4, 'nothing of the refused writes was written')
  t.equal((await fetch(`${mock.url}/create-lead`, { method: 'POST', headers: own, body: JSON.stringify({ name: 'x', nit: '1', phone: '573009999901', email: 'x', ecosystem: ECOSYSTEM }) })).status, 200, 'the fifth fits')

  const heavy = await mock.sandbox({ seed: 'none' })
  const heavyLoad = await fetch(`${mock.url}/__admin/leads`, { method: 'POST', headers: { ...own, authorization: `Bearer ${heavy.token}` }, body: JSON.stringify([lead(1, { history: ['x'.repeat(15_000)] }), lead(2, { history: ['y'.repeat(6_000)] })]) })
  t.equal(heavyLoad.status, 413)
  t.match(await heavyLoad.json(), { message: /^the sandbox would hold \d+ bytes of records, over MAX_SANDBOX_BYTES \(20000\); nothing was written/ })
  t.equal(heavy.leads.list().total, 0)
  const sandboxes = mock.app.fixture.sandboxes.list().length
  await t.rejects(mock.sandbox({ seed: [1, 2, 3, 4, 5, 6].map((i) => lead(i)) as never }), { statusCode: 413, message: /MAX_LEADS_PER_SANDBOX \(5\)/ }, 'a seed over the limit')
  t.equal(mock.app.fixture.sandboxes.list().length, sandboxes, 'makes no sandbox')

  // The shared data: the operator's own writes are not limited; clients' create-lead are.
  mock.leads.add([1, 2, 3, 4, 5, 6].map((i) => lead(i)) as never)
  const shared = await fetch(`${mock.url}/create-lead`, { method: 'POST', headers: { authorization: 'Bearer leancore-dev-token', 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', nit: '9', phone: '573009999909', email: 'x', ecosystem: ECOSYSTEM }) })
  t.equal(shared.status, 409)
  t.match(await shared.json(), { message: /^the shared data would hold 7 records \(leads, financial entities and users\), over MAX_LEADS_PER_SANDBOX \(5\)/ })
})
