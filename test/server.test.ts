import { existsSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { join } from 'node:path'
import t from 'tap'
import { ConfigError } from '../src/core/errors.js'
import { startServer } from '../src/index.js'
import { EXAMPLE_ECOSYSTEM } from '../src/core/leads/schema.js'
import { AUTH, temporaryDirectory } from './helper.js'

t.test('startServer listens on a free port of 127.0.0.1 with the demo data, and closes twice harmlessly', async (t) => {
  const mock = await startServer()
  t.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.equal(mock.url, `http://127.0.0.1:${mock.port}`)
  const response = await fetch(`${mock.url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, { headers: AUTH })
  t.equal(response.status, 200)
  t.ok((await response.json() as unknown[]).length > 0)
  await mock.close()
  await mock.close()
  await t.rejects(fetch(`${mock.url}/health`), 'the port is released')
})

t.test('an IPv6 host gets a bracketed URL', async (t) => {
  const mock = await startServer({ host: '::1' })
  t.after(() => mock.close())
  t.match(mock.url, /^http:\/\/\[::1\]:\d+$/)
  t.equal((await fetch(`${mock.url}/health`)).status, 200)
})

t.test('a port in use is a ConfigError naming PORT, and nothing is left open', async (t) => {
  const first = await startServer()
  t.after(() => first.close())
  await t.rejects(startServer({ port: first.port }), new ConfigError('PORT', `${first.port} is already in use on 127.0.0.1; stop what uses it or choose another port`))
})

t.test('reset() takes the leads back to the seed', async (t) => {
  const mock = await startServer()
  t.after(() => mock.close())
  const before = mock.leads.list().total
  mock.leads.remove()
  mock.reset()
  t.equal(mock.leads.list().total, before)
})

t.test('close() answers a request in flight, telling its client to hang up; before, connections are kept', async (t) => {
  const mock = await startServer()
  t.after(() => mock.close())
  const agent = new Agent({ keepAlive: true })
  t.after(() => agent.destroy())
  const get = async (): Promise<{ status: number | undefined, connection: string | undefined }> => await new Promise((resolve, reject) => {
    request(`${mock.url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, { agent, headers: AUTH }, (response) => {
      response.resume().on('end', () => resolve({ status: response.statusCode, connection: response.headers.connection }))
    }).on('error', reject).end()
  })
  t.same(await get(), { status: 200, connection: 'keep-alive' })

  mock.scenarios.add({ match: { ecosystem: EXAMPLE_ECOSYSTEM }, delayMs: 300, times: 1 })
  const held = get()
  // The scenario is used up once the request is inside the server, waiting out its delay.
  while (mock.scenarios.list().length > 0) await new Promise((resolve) => setImmediate(resolve))
  const closed = mock.close()
  t.same(await held, { status: 200, connection: 'close' })
  await closed
})

t.test('close() closes the database: its write-ahead log is folded back into the file', async (t) => {
  const path = join(temporaryDirectory(t), 'leads.db')
  const mock = await startServer({ databasePath: path })
  t.equal((await fetch(`${mock.url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, { headers: AUTH })).status, 200)
  t.ok(existsSync(`${path}-wal`), 'open, the database has a write-ahead log')
  await mock.close()
  t.notOk(existsSync(`${path}-wal`), 'closed, it has none')
  const reopened = await startServer({ databasePath: path, seed: 'none' })
  t.after(() => reopened.close())
  t.ok(reopened.leads.list().total > 0, 'and the leads are in the file')
})

t.test('a second in-memory server with a built-in seed starts from a copy of the first: nothing is written again', async (t) => {
  const { LeadRepository } = await import('../src/core/leads/repository.js')
  const first = await startServer({ seed: 'demo' })
  t.after(() => first.close())
  const upsert = LeadRepository.prototype.upsert
  const writes = t.capture(LeadRepository.prototype, 'upsert', function (this: InstanceType<typeof LeadRepository>, ...args: Parameters<typeof upsert>) {
    return upsert.apply(this, args)
  })
  const second = await startServer({ seed: 'demo' })
  t.after(() => second.close())
  t.equal(writes().length, 0, 'the demo leads come with the copy')
  t.same(second.leads.list({ limit: 10_000 }), first.leads.list({ limit: 10_000 }))
  second.leads.remove()
  t.ok(first.leads.list().total > 0, 'and it is a copy: what one server changes, the other does not see')
  const own = await startServer({ seed: [] })
  t.after(() => own.close())
  t.equal(writes().length, 1, 'leads of its own are written, as given')
})

t.test('only the built-in DATABASE_PATH has its directory created; any other must have one', async (t) => {
  const { SETTINGS } = await import('../src/core/config.js')
  const directory = temporaryDirectory(t)
  const missing = join(directory, 'missing', 'leads.db')
  await t.rejects(startServer({ databasePath: missing }), new ConfigError('DATABASE_PATH', `the directory ${join(directory, 'missing')} does not exist; create it or point DATABASE_PATH elsewhere`))
  const cwd = process.cwd()
  process.chdir(directory)
  t.teardown(() => process.chdir(cwd))
  const path = SETTINGS.databasePath.default as string
  const built = await startServer({ databasePath: path })
  await built.close()
  t.ok(existsSync(join(directory, path)), `${path} is created with its directory`)
})

t.test('a DATABASE_PATH that is not a SQLite file stops startServer() with a ConfigError naming it', async (t) => {
  const path = join(temporaryDirectory(t), 'notes.db')
  writeFileSync(path, 'these are notes, not a database '.repeat(200))
  await t.rejects(startServer({ databasePath: path }), new ConfigError('DATABASE_PATH', `${path} is not a SQLite database`))
})
