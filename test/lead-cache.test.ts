import { join } from 'node:path'
import t from 'tap'
import { openDatabase } from '../src/core/db/open.js'
import { EXAMPLE_ECOSYSTEM, type Lead } from '../src/core/leads/schema.js'
import { ADMIN, ADMIN_TOKEN, AUTH, build, runCli, temporaryDirectory } from './helper.js'

const URL = `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`

t.test('a cached body is byte for byte the straightforward serialization of the rows', async (t) => {
  const app = await build(t)
  const first = await app.inject({ method: 'GET', url: URL, headers: AUTH })
  const second = await app.inject({ method: 'GET', url: URL, headers: AUTH })
  t.equal(second.body, first.body)
  t.equal(first.body, JSON.stringify(app.fixture.leads.list({ ecosystem: EXAMPLE_ECOSYSTEM }).leads))
  t.equal(second.headers['content-length'], String(Buffer.byteLength(first.body)))
})

t.test('the same ecosystem asked for again, with no write between, is answered without reading the database', async (t) => {
  const { LeadRepository } = await import('../src/core/leads/repository.js')
  const read = LeadRepository.prototype.byEcosystem
  const reads = t.capture(LeadRepository.prototype, 'byEcosystem', function (this: InstanceType<typeof LeadRepository>, ...args: Parameters<typeof read>) {
    return read.apply(this, args)
  })
  const app = await build(t)
  const bodies = []
  for (let i = 0; i < 3; i++) bodies.push((await app.inject({ method: 'GET', url: URL, headers: AUTH })).body)
  t.equal(reads().length, 1, 'read once, then served from the cache')
  t.same(new Set(bodies).size, 1)
})

t.test('a write in this process shows on the very next request', async (t) => {
  const app = await build(t)
  const before = (await app.inject({ method: 'GET', url: URL, headers: AUTH })).json<Lead[]>()
  app.fixture.leads.add([{ ...before[0] as Lead, status: 'written-here' }])
  const after = (await app.inject({ method: 'GET', url: URL, headers: AUTH })).json<Lead[]>()
  t.equal(after[0]?.status, 'written-here')
  app.fixture.leads.remove({ ecosystem: EXAMPLE_ECOSYSTEM })
  t.equal((await app.inject({ method: 'GET', url: URL, headers: AUTH })).body, '[]')
  app.fixture.reset()
  t.same((await app.inject({ method: 'GET', url: URL, headers: AUTH })).json(), before, 'and so does a reset to the seed')
})

t.test('a write by another connection to the same file shows on the very next request', async (t) => {
  const path = join(temporaryDirectory(t), 'leancore.db')
  const app = await build(t, { databasePath: path })
  const before = await app.inject({ method: 'GET', url: URL, headers: AUTH })
  t.equal(before.statusCode, 200)
  const other = openDatabase(path)
  t.after(() => other.close())
  other.prepare("UPDATE leads SET status = 'written-elsewhere' WHERE ecosystem = ?").run(EXAMPLE_ECOSYSTEM)
  const after = (await app.inject({ method: 'GET', url: URL, headers: AUTH })).json<Lead[]>()
  t.ok(after.every((lead) => lead.status === 'written-elsewhere'))
})

t.test('every kind of admin write shows on the very next request', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  const get = async (): Promise<Lead[]> => (await app.inject({ method: 'GET', url: URL, headers: AUTH })).json<Lead[]>()
  const before = await get()
  const [first, second] = before as [Lead, Lead]

  await app.inject({ method: 'POST', url: '/__admin/leads', headers: ADMIN, payload: [{ ...first, status: 'changed-by-admin' }] })
  t.equal((await get())[0]?.status, 'changed-by-admin', 'a replaced lead')
  await app.inject({ method: 'POST', url: '/__admin/leads', headers: ADMIN, payload: [{ ...first, id: 'added-by-admin', phone: '573009998877' }] })
  t.equal((await get()).at(-1)?.id, 'added-by-admin', 'an added lead')
  await app.inject({ method: 'DELETE', url: `/__admin/leads/${second.id}`, headers: ADMIN })
  t.notOk((await get()).some((lead) => lead.id === second.id), 'a deleted lead')
  await app.inject({ method: 'POST', url: '/__admin/reset', headers: ADMIN })
  t.same(await get(), before, 'a reset')
  await app.inject({ method: 'DELETE', url: `/__admin/leads?ecosystem=${EXAMPLE_ECOSYSTEM}`, headers: ADMIN })
  t.same(await get(), [], 'an ecosystem deleted')
  await app.inject({ method: 'POST', url: '/__admin/reset', headers: ADMIN })
  await app.inject({ method: 'DELETE', url: '/__admin/leads', headers: ADMIN })
  t.same(await get(), [], 'everything deleted')
})

t.test('`leancore-mock seed` run by another process shows on the very next request', async (t) => {
  const path = join(temporaryDirectory(t), 'leancore.db')
  const app = await build(t, { databasePath: path })
  const before = (await app.inject({ method: 'GET', url: URL, headers: AUTH })).body
  app.fixture.leads.remove({ ecosystem: EXAMPLE_ECOSYSTEM })
  t.equal((await app.inject({ method: 'GET', url: URL, headers: AUTH })).body, '[]')
  const seed = runCli(t, ['seed'], { DATABASE_PATH: path })
  t.equal(await seed.exited, 0)
  t.equal((await app.inject({ method: 'GET', url: URL, headers: AUTH })).body, before)
})
