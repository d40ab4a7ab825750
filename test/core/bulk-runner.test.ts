// The bulk runner on its own: jobs in order, the server's writes between them, a worker that
// cannot start, and the memory a message may hand over.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import t from 'tap'
import { validateLeads } from '../../src/core/leads/validate.js'
import { BulkRunner, transferable, workerFlags, type BulkWorkerData } from '../../src/core/bulk/runner.js'
import { FinancialEntityRepository } from '../../src/core/financial-entities/repository.js'
import { LeadRepository } from '../../src/core/leads/repository.js'
import { EMPTY_SEED } from '../../src/core/seed-data.js'
import { UserRepository } from '../../src/core/users/repository.js'
import { migrate } from '../../src/core/db/migrate.js'
import { SandboxWriter } from '../../src/core/sandboxes/creation.js'
import { SandboxStore } from '../../src/core/sandboxes/store.js'
import { temporaryDirectory } from '../helper.js'

const ECOSYSTEM = 'fd3705e1-3149-4c41-bfe7-cf0bee79cfad'

function inline (): ConstructorParameters<typeof BulkRunner>[0] {
  const db = new Database(':memory:')
  migrate(db)
  const repositories = { leads: new LeadRepository(db), financialEntities: new FinancialEntityRepository(db), users: new UserRepository(db) }
  return { db, repositories, sandboxes: new SandboxWriter(db, new SandboxStore(db), repositories, { maxSandboxes: 5, now: Date.now, demo: () => EMPTY_SEED }), sharedSeed: () => EMPTY_SEED }
}

t.test('jobs and the server\'s own writes take turns, in the order asked, each after the one before', async (t) => {
  const context = inline()
  const runner = new BulkRunner(context, undefined)
  t.after(() => runner.close())
  const lead = (id: string): object => ({ id, name: 'a', lastname: 'b', business_name: 'c', status: 'd', phone: '573000000001', email: 'e', nit: '1', address: 'f', ecosystem: ECOSYSTEM, business_entity: 'g', quota: 1 })
  const loaded = runner.run({ kind: 'load', table: 'leads', space: 0, body: Buffer.from(JSON.stringify([lead('a'), lead('b')])) })
  const seen = runner.exclusive(() => context.repositories.leads.usage(0).leads)
  const refused = runner.run({ kind: 'load', table: 'leads', space: 0, body: Buffer.from('{"not": "leads"}') })
  const after = runner.exclusive(() => context.repositories.leads.usage(0).leads)
  const read = runner.run({ kind: 'read', space: 0, ecosystem: ECOSYSTEM })
  t.equal(await loaded, 2)
  t.equal(await seen, 2, 'a write asked after the load runs after it')
  await t.rejects(refused, { message: 'expected an array of leads, got object' })
  t.equal(await after, 2, 'and the turn goes on after a job that failed')
  t.same(JSON.parse(Buffer.from(await read).toString()).map((each: { id: string }) => each.id), ['a', 'b'], 'a read serializes the ecosystem')
})

t.test('a worker that cannot start rejects the job, and the next job starts another', async (t) => {
  const missing = join(temporaryDirectory(t), 'no', 'such', 'directory', 'x.db')
  const runner = new BulkRunner(inline(), { databasePath: missing, limits: { maxLeads: 10, maxBytes: 10_000 }, maxSandboxes: 5, sharedSeed: 'none' })
  t.after(() => runner.close())
  await t.rejects(runner.run({ kind: 'remove', table: 'leads', space: 0, ecosystem: undefined }), { message: /DATABASE_PATH/ }, 'the worker\'s own error')
  await t.rejects(runner.run({ kind: 'remove', table: 'leads', space: 0, ecosystem: undefined }), { message: /DATABASE_PATH/ }, 'again, from a new worker')
  t.equal(await runner.exclusive(() => 'the runner still takes writes'), 'the runner still takes writes')
})

t.test('a message hands over only memory a buffer owns whole: never Node\'s shared pool', async (t) => {
  const own = Buffer.alloc(64 * 1024)
  t.same(transferable(own), [own.buffer])
  const pooled = Buffer.from('small')
  t.ok(pooled.byteLength < pooled.buffer.byteLength, 'a small Buffer sits in the pool')
  t.same(transferable(pooled), [], 'and is copied, not handed over')
  t.same(transferable(own.subarray(1)), [], 'nor a part of a buffer')
})

t.test('on a database file the jobs run in the worker, on its own connection, with the same answers and errors', async (t) => {
  const path = join(temporaryDirectory(t), 'bulk.db')
  const setup = new Database(path)
  migrate(setup)
  setup.close()
  const context = inline()
  const runner = new BulkRunner(context, { databasePath: path, limits: { maxLeads: 200, maxBytes: 1_000_000 }, maxSandboxes: 5, sharedSeed: 'none' })
  t.after(() => runner.close())
  const lead = (id: string, phone = '573000000001'): object => ({ id, name: 'a', lastname: 'b', business_name: 'c', status: 'd', phone, email: 'e', nit: id, address: 'f', ecosystem: ECOSYSTEM, business_entity: 'g', quota: 1 })
  const body = (value: unknown): Buffer => Buffer.from(JSON.stringify(value))
  const created = await runner.run({ kind: 'create-sandbox', body: Buffer.from('null'), now: Date.UTC(2030, 0, 1) })
  t.match(created, { key: 1, id: /^sbx_/, expiresAt: '2030-01-01T01:00:00.000Z' }, 'a JSON null is a sandbox with the defaults, made at the time the job was given')
  t.equal(await runner.run({ kind: 'remove', table: 'leads', space: 1, ecosystem: undefined }), 172, 'its demo seed, removed')
  t.equal(await runner.run({ kind: 'load', table: 'leads', space: 1, body: body([lead('x'), lead('y')]) }), 2)
  await t.rejects(runner.run({ kind: 'load', table: 'leads', space: 1, body: body([{ id: 1 }]) }), { name: 'LeadValidationError', statusCode: 400, message: 'lead 0: field name: expected required property' }, 'a LeadValidationError comes back as one')
  await t.rejects(runner.run({ kind: 'load', table: 'leads', space: 1, body: Buffer.from('[') }), { name: 'FixtureError', statusCode: 400, message: /^the body is not valid JSON/ })
  await t.rejects(runner.run({ kind: 'load', table: 'leads', space: 1, body: body(Array.from({ length: 199 }, (_, i) => lead(`l${i}`))) }), { statusCode: 409, message: /MAX_LEADS_PER_SANDBOX \(200\)/ }, 'the limits are the worker\'s too')
  const answer = await runner.run({ kind: 'create-leads', space: 1, body: body([{ name: 'n', nit: '77', phone: '573000000077', email: 'e', ecosystem: ECOSYSTEM }]) })
  t.match(JSON.parse(Buffer.from(answer).toString()), [{ nit: '77', lead_status: 'not_assigned' }])
  t.same(JSON.parse(Buffer.from(await runner.run({ kind: 'read', space: 1, ecosystem: ECOSYSTEM })).toString()).map((each: { nit: string }) => each.nit), ['x', 'y', '77'])
  t.equal(await runner.run({ kind: 'remove', table: 'leads', space: 1, ecosystem: ECOSYSTEM }), 3)
  t.equal(await runner.run({ kind: 'reset', space: 1 }), 172, 'a reset writes the sandbox\'s seed: demo, by default')
  t.equal(await runner.run({ kind: 'purge', space: 1 }), 172)
  t.equal(await runner.run({ kind: 'reset', space: 0 }), 0, 'a reset of the shared data writes the server\'s seed: none here')
  const seeds: Array<[BulkWorkerData['sharedSeed'], number]> = [['demo', 172], [{ leads: validateLeads([lead('s1'), lead('s2', '573000000002')]), financialEntities: [], users: [] }, 2]]
  for (const [sharedSeed, leads] of seeds) {
    const other = new BulkRunner(context, { databasePath: path, limits: { maxLeads: 1000, maxBytes: 10_000_000 }, maxSandboxes: 5, sharedSeed })
    t.after(() => other.close())
    t.equal(await other.run({ kind: 'reset', space: 0 }), leads, `a shared seed of ${typeof sharedSeed === 'string' ? sharedSeed : 'leads'}`)
  }

  // A row written around the CHECKs: the worker's error is not a FixtureError, and comes back as a 500 with its message.
  const broken = new Database(path)
  broken.pragma('ignore_check_constraints = ON')
  broken.prepare(`INSERT INTO leads (sandbox, id, name, lastname, business_name, status, phone, email, nit, address, ecosystem, business_entity, quota, history)
    VALUES (2, 'broken', 'a', 'b', 'c', 'd', '573000000009', 'e', 'f', 'g', ?, 'h', 1, 'not json')`).run(ECOSYSTEM)
  broken.close()
  await t.rejects(runner.run({ kind: 'read', space: 2, ecosystem: ECOSYSTEM }), { statusCode: 500, message: 'Stored lead "broken" has invalid JSON in history; fix or delete that row' })
})

t.test('a worker starts with the process\'s flags, but those it would refuse', async (t) => {
  t.equal(workerFlags(['--max-semi-space-size=2', '--enable-source-maps']), undefined, 'inherited as they are: a worker takes them from its process')
  t.same(workerFlags(['--input-type=module', '--max-semi-space-size=2', '--max-old-space-size=512', '--enable-source-maps', '--import=x']), ['--enable-source-maps', '--import=x'],
    'with --input-type (node -e), given by hand without it and without the heap flags, which a worker refuses given by hand')
})
