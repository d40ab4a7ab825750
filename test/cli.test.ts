import Database from 'better-sqlite3'
import { once } from 'node:events'
import { existsSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import t from 'tap'
import { DEMO_ECOSYSTEMS } from '../seed/demo.js'
import { generateLeads } from '../seed/generate.js'
import { SETTINGS } from '../src/core/config.js'
import { EXAMPLE_ECOSYSTEM } from '../src/core/leads/schema.js'
import { AUTH, runCli, serveCli, temporaryDirectory } from './helper.js'

const DEMO_SIZE = DEMO_ECOSYSTEMS.reduce((sum, ecosystem) => sum + ecosystem.size, 0)
const DEMO_ENTITIES = DEMO_ECOSYSTEMS.reduce((sum, ecosystem) => sum + ecosystem.financialEntities, 0)
const DEMO_USERS = DEMO_ECOSYSTEMS.reduce((sum, ecosystem) => sum + ecosystem.users, 0)

t.test('--help lists every option with its variable; --version prints the version', async (t) => {
  const help = runCli(t, ['--help'])
  t.equal(await help.exited, 0)
  const lines = help.stdout().split('\n')
  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const columns = new Set<string>()
  for (const { env, flag, help: text, default: fallback, boolean } of Object.values(SETTINGS)) {
    // One line per option: the flag (and <value>, unless it is a switch), its variable, what it does and, when it has one, its default.
    const shown = fallback === undefined ? '' : ` \\(default ${escape(fallback)}\\)`
    const option = boolean === true ? `--${flag}` : `--${flag} <value>`
    const line = lines.find((candidate) => candidate.startsWith(`  ${option} `))
    t.match(line, new RegExp(`^  ${option} +${env} +${escape(text)}${shown}$`), flag)
    columns.add(`${line?.indexOf(` ${env} `)}:${line?.indexOf(text)}`)
  }
  t.equal(columns.size, 1, 'the variables and the help texts each start in one column')
  t.ok(lines.some((line) => /^ {2}--help +show this text$/.test(line)), '--help')
  t.ok(lines.some((line) => /^ {2}--version +print the version$/.test(line)), '--version')
  const version = runCli(t, ['--version'])
  t.equal(await version.exited, 0)
  t.match(version.stdout(), /^\d+\.\d+\.\d+\n$/)
})

t.test('a configuration error stops the process with one line naming the variable', async (t) => {
  const directory = temporaryDirectory(t)
  const notSqlite = join(directory, 'notes.txt')
  writeFileSync(notSqlite, 'not a database '.repeat(100))
  const newer = join(directory, 'newer.db')
  const db = new Database(newer)
  db.pragma('user_version = 42')
  db.close()

  const cases: Array<[string[], Record<string, string>, RegExp]> = [
    [[], { PORT: 'eighty' }, /^leancore-mock: PORT: must be a whole number from 0 to 65535, got "eighty"$/],
    [['--port', 'x'], {}, /^leancore-mock: --port: must be a whole number/],
    [['--colour'], {}, /^leancore-mock: arguments: Unknown option '--colour'; see leancore-mock --help$/],
    [['serve', 'now'], {}, /^leancore-mock: arguments: unknown command "serve now"; use serve, seed or conformance$/],
    [['launch'], {}, /^leancore-mock: arguments: unknown command "launch"; use serve, seed or conformance$/],
    [[], { SEED: join(directory, 'leads.json') }, /^leancore-mock: SEED: cannot read .*leads\.json \(ENOENT\); give demo, none or the path of a JSON file of leads$/],
    [['--seed', notSqlite], {}, /^leancore-mock: --seed: .*notes\.txt is not valid JSON: Unexpected token 'o'$/],
    [[], { DATABASE_PATH: join(directory, 'missing', 'x.db') }, /^leancore-mock: DATABASE_PATH: the directory .*missing does not exist/],
    [[], { DATABASE_PATH: notSqlite }, /^leancore-mock: DATABASE_PATH: .*notes\.txt is not a SQLite database$/],
    // /proc takes no new files, even from root (these tests often run as root, whom chmod does not stop).
    [[], { DATABASE_PATH: '/proc/leancore.db' }, /^leancore-mock: DATABASE_PATH: cannot write \/proc\/leancore\.db \(SQLITE_CANTOPEN\); check that its directory is writable by this user$/],
    [[], { DATABASE_PATH: newer }, /^leancore-mock: DATABASE_PATH: .*newer\.db has schema version 42, newer than this leancore-mock supports \(\d+\)/],
    [[], { DATABASE_PATH: ':memory:', HOST: '203.0.113.7' }, /^leancore-mock: HOST: cannot listen on 203\.0\.113\.7 port 0 \(.*\); is it an address of this machine\?$/]
  ]
  for (const [args, env, message] of cases) {
    const run = runCli(t, args, { PORT: '0', ...env })
    t.equal(await run.exited, 1, JSON.stringify({ args, env }))
    t.match(run.stderr().trimEnd(), message)
    t.equal(run.stderr().trimEnd().split('\n').length, 1, 'one line, no stack trace')
  }
})

t.test('the ready line says what is served: seeded, or an existing database kept (and a SEED that was not used); --fresh starts over', async (t) => {
  const path = join(temporaryDirectory(t), 'leancore.db')
  const ready = async (env: Record<string, string>, args: string[] = []): Promise<{ level: number, msg: string, leads: number, seed: string, kept: boolean, database: string }> => {
    const run = runCli(t, args, { PORT: '0', DATABASE_PATH: path, ...env })
    const line = JSON.parse(await run.waitFor(/leancore-mock ready/)) as { level: number, msg: string, leads: number, seed: string, kept: boolean, database: string, url: string }
    run.child.kill('SIGTERM')
    t.equal(await run.exited, 0)
    return line
  }
  const first = await ready({})
  t.match(first, { level: 30, seed: 'demo', leads: DEMO_SIZE, kept: false, database: path, msg: new RegExp(`^leancore-mock ready at http://127\\.0\\.0\\.1:\\d+: ${DEMO_SIZE} leads, seeded from demo into ${path}$`) })
  t.match(await ready({}), { level: 30, kept: true, msg: new RegExp(`: ${DEMO_SIZE} leads, kept in ${path} \\(--fresh starts again from the seed\\)$`) }, 'the second start keeps the file')
  t.match(await ready({ SEED: 'none' }), { level: 40, kept: true, seed: 'none', msg: new RegExp(`: SEED ignored: the database already holds ${DEMO_SIZE} leads; delete it or pass --fresh$`) }, 'a SEED it did not use: a warning that says what to do')
  t.match(await ready({ SEED: 'none' }, ['--fresh']), { level: 30, kept: false, leads: 0, msg: new RegExp(`: 0 leads, seeded from none into ${path}$`) }, '--fresh starts from the seed')
  t.match(await ready({ FRESH: '1' }), { kept: false, leads: DEMO_SIZE }, 'and so does FRESH=1')
  t.match(await ready({ FRESH: 'false', SEED: '' }), { kept: true, seed: 'demo' }, 'FRESH=false and an empty SEED: as unset')
  const bad = runCli(t, [], { PORT: '0', DATABASE_PATH: path, FRESH: 'yes' })
  t.equal(await bad.exited, 1)
  t.equal(bad.stderr(), 'leancore-mock: FRESH: must be 1, true, 0 or false, got "yes"\n')
})

t.test('on an address other machines may reach, the development credentials are a warning at start', async (t) => {
  // 198.51.100.7 (TEST-NET-2) is no address of this machine: the warning comes before the listen
  // fails, and nothing is ever exposed.
  const warned = runCli(t, [], { PORT: '0', DATABASE_PATH: ':memory:', HOST: '198.51.100.7' })
  t.equal(await warned.exited, 1)
  t.match(JSON.parse(warned.stdout().split('\n').find((line) => line.includes('"level":40')) ?? '{}'), {
    host: '198.51.100.7',
    msg: 'listening on 198.51.100.7, which other machines may reach, while API_TOKENS holds the development token and OAUTH_CLIENTS holds ' +
      'the development client leancore-dev-client, published in the README: set your own before anyone else can reach it'
  })
  const own = runCli(t, [], { PORT: '0', DATABASE_PATH: ':memory:', HOST: '198.51.100.7', API_TOKENS: 'a-token-of-ours', OAUTH_CLIENTS: 'ours:a-secret-of-ours' })
  t.equal(await own.exited, 1)
  t.notMatch(own.stdout(), /"level":40/, 'with credentials of its own, no warning')
  const loopback = await serveCli(t, { DATABASE_PATH: ':memory:' })
  loopback.child.kill('SIGTERM')
  await loopback.exited
  t.notMatch(loopback.stdout(), /"level":40/, 'nor on 127.0.0.1')
})

t.test('a port that is already in use stops the process with one line naming PORT', async (t) => {
  const blocker = createServer().listen(0, '127.0.0.1')
  await once(blocker, 'listening')
  t.after(() => blocker.close())
  const { port } = blocker.address() as { port: number }
  const run = runCli(t, [], { PORT: String(port), DATABASE_PATH: ':memory:' })
  t.equal(await run.exited, 1)
  t.equal(run.stderr(), `leancore-mock: PORT: ${port} is already in use on 127.0.0.1; stop what uses it or choose another port\n`)
})

t.test('the embedded default: ./data is created, migrated and seeded on first start', async (t) => {
  const directory = temporaryDirectory(t)
  const server = await serveCli(t, {}, directory)
  t.ok(existsSync(join(directory, 'data', 'leancore.db')))
  const response = await fetch(`${server.url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, { headers: AUTH })
  t.equal(response.status, 200)
  t.equal((await response.json() as unknown[]).length, DEMO_ECOSYSTEMS[0]?.size)
  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0)
})

t.test('data survives a restart, and a restart does not seed again', async (t) => {
  const path = join(temporaryDirectory(t), 'leancore.db')
  const first = await serveCli(t, { DATABASE_PATH: path })
  first.child.kill('SIGTERM')
  await first.exited
  const db = new Database(path)
  db.prepare('DELETE FROM leads WHERE ecosystem = ?').run(EXAMPLE_ECOSYSTEM)
  db.close()
  const second = await serveCli(t, { DATABASE_PATH: path })
  const response = await fetch(`${second.url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, { headers: AUTH })
  t.equal(await response.text(), '[]')
  second.child.kill('SIGTERM')
  t.equal(await second.exited, 0)
})

t.test('--admin-token, --journal-size, --token-ttl and --oauth-clients configure the fixture toolkit', async (t) => {
  const run = runCli(t, ['--admin-token', 'cli-admin', '--journal-size', '2', '--token-ttl', '5', '--oauth-clients', 'cli-app:cli-secret'],
    { PORT: '0', DATABASE_PATH: ':memory:' })
  const { url } = JSON.parse(await run.waitFor(/leancore-mock ready/)) as { url: string }
  const token = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('cli-app:cli-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials'
  })
  t.match(await token.json(), { token_type: 'Bearer', expires_in: 5 })
  for (let i = 0; i < 3; i++) await fetch(`${url}/lead?phone=573136434030`, { headers: AUTH })
  const journal = await fetch(`${url}/__admin/journal`, { headers: { authorization: 'Bearer cli-admin' } })
  t.match(await journal.json(), { capacity: 2, dropped: 2 })
  run.child.kill('SIGTERM')
  t.equal(await run.exited, 0)
})

t.test('SEED=none starts empty; `seed` writes the demo leads, idempotently, keeping other leads', async (t) => {
  const path = join(temporaryDirectory(t), 'leancore.db')
  const empty = await serveCli(t, { DATABASE_PATH: path, SEED: 'none' })
  t.equal(await (await fetch(`${empty.url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, { headers: AUTH })).text(), '[]')
  empty.child.kill('SIGTERM')
  await empty.exited

  const count = (table = 'leads'): number => {
    const db = new Database(path, { readonly: true })
    const n = db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number
    db.close()
    return n
  }
  for (let i = 0; i < 2; i++) {
    const seed = runCli(t, ['seed'], { DATABASE_PATH: path })
    t.equal(await seed.exited, 0)
    t.equal(seed.stdout(), `wrote ${DEMO_SIZE} demo leads, ${DEMO_ENTITIES} financial entities and ${DEMO_USERS} users to ${path}\n`)
    t.equal(count(), DEMO_SIZE, `run ${i + 1}`)
    t.same([count('financial_entities'), count('users')], [DEMO_ENTITIES, DEMO_USERS], `run ${i + 1}: the demo fintechs and users, once`)
  }
})

t.test('SEED=<file> or --seed <file>: a new database starts with the leads of the file', async (t) => {
  const directory = temporaryDirectory(t)
  const ecosystem = '0b6c3c8e-2d1f-4a7e-9c55-3e1f7a2b9d10'
  const file = join(directory, 'recording.json')
  writeFileSync(file, JSON.stringify([...generateLeads([{ id: ecosystem, size: 5 }])]))
  for (const [args, env] of [[[], { SEED: file }], [['--seed', file], {}]] as Array<[string[], Record<string, string>]>) {
    const run = runCli(t, args, { PORT: '0', DATABASE_PATH: ':memory:', ...env })
    const { url } = JSON.parse(await run.waitFor(/leancore-mock ready/)) as { url: string }
    t.equal((await (await fetch(`${url}/lead?ecosystem=${ecosystem}`, { headers: AUTH })).json() as unknown[]).length, 5, args.join(' ') || 'SEED')
    t.equal(await (await fetch(`${url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, { headers: AUTH })).text(), '[]', 'and no demo data')
    run.child.kill('SIGTERM')
    t.equal(await run.exited, 0)
  }
})
