// npm run bench [-- --quick] [-- --throughput] [-- --writes] [-- --sandboxes] [-- --startup] [-- --leads 10000,1000000]
//   [-- --duration 10] [-- --out file.json]
//
// Seeds temporary databases, starts leancore-mock and its baselines as separate processes, drives
// each with autocannon (keep-alive), alternating between them, and prints req/s, p50/p99 latency,
// peak RSS and the ratios to the baselines. Results also go to bench/results/ as JSON.
import autocannon from 'autocannon'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { cpus, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { generateLeads } from '../dist/seed/generate.js'
import { migrate } from '../dist/src/core/db/migrate.js'
import { openDatabase } from '../dist/src/core/db/open.js'
import { LeadRepository } from '../dist/src/core/leads/repository.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CLI = join(ROOT, 'dist/bundle/cli.js')
const NODE_FLAGS = ['--max-semi-space-size=2']
const TOKEN = 'bench-token'
const ECOSYSTEM_100 = 'b0000000-0000-4000-8000-000000000100'
const ECOSYSTEM_1 = 'b0000000-0000-4000-8000-000000000001'
const EXAMPLE_PHONE = '573136434030'

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    throughput: { type: 'boolean', default: false },
    writes: { type: 'boolean', default: false },
    sandboxes: { type: 'boolean', default: false },
    startup: { type: 'boolean', default: false },
    leads: { type: 'string' },
    duration: { type: 'string' },
    out: { type: 'string' }
  }
})
const quick = args.quick
// Sections: each flag runs only its own; none runs them all.
const everything = !args.throughput && !args.writes && !args.sandboxes && !args.startup
const sections = { throughput: everything || args.throughput, writes: everything || args.writes, sandboxes: everything || args.sandboxes, startup: everything || args.startup }
const sizes = (args.leads ?? (quick ? '10000' : '10000,1000000')).split(',').map(Number)
const duration = Number(args.duration ?? (quick ? 3 : 8))
const rounds = quick ? 1 : 2
const out = args.out ?? join(ROOT, 'bench/results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
const work = mkdtempSync(join(tmpdir(), 'leancore-bench-'))
const children = new Set()

process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL')
  rmSync(work, { recursive: true, force: true })
})
process.on('SIGINT', () => process.exit(130))

const log = (line) => process.stderr.write(`${line}\n`)
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits

async function freePort () {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address()
  server.close()
  return port
}

/** Writes `count` leads: one ecosystem of 100, one of 1, the rest in ecosystems of 100. */
function seedDatabase (path, count) {
  const specs = [{ id: ECOSYSTEM_100, size: 100 }, { id: ECOSYSTEM_1, size: 1 }]
  let left = count - 101
  for (let i = 0; left > 0; i++) {
    const size = Math.min(100, left)
    specs.push({ id: `f${String(i).padStart(7, '0')}-0000-4000-8000-000000000000`, size })
    left -= size
  }
  const db = openDatabase(path)
  migrate(db)
  const started = performance.now()
  new LeadRepository(db).upsert(0, generateLeads(specs, 7))
  const ms = performance.now() - started
  db.close()
  return ms
}

async function startProcess (name, script, args, env, nodeFlags = []) {
  const port = await freePort()
  // Output goes to a file, not a pipe: reading a log line per request would cost this process,
  // which drives the load, as much CPU as the server spends writing it.
  const output = join(work, `${name.replace(/\W+/g, '-')}-${port}.log`)
  const fd = openSync(output, 'w')
  const child = spawn(process.execPath, [...nodeFlags, script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', fd, 'inherit']
  })
  closeSync(fd)
  children.add(child)
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  // Ready once it answers anything over HTTP.
  while (!(await fetch(url).then(() => true, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${name} did not start: ${readFileSync(output, 'utf8')}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return { name, child, url }
}

async function stopProcess ({ child }) {
  child.kill('SIGTERM')
  if (child.exitCode === null) await once(child, 'exit')
  children.delete(child)
}

/** Peak resident memory of a process so far (VmHWM), in MB. */
function peakRss (pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024
}

async function load (url, connections, headers = {}) {
  const result = await autocannon({ url, connections, duration, pipelining: 1, headers })
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts
  }
}

async function fetchBody (url, headers = {}) {
  const response = await fetch(url, { headers })
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`)
  return Buffer.from(await response.arrayBuffer())
}

async function benchSize (leads) {
  log(`\n== ${leads.toLocaleString('en')} leads`)
  const database = join(work, `leads-${leads}.db`)
  const seedMs = seedDatabase(database, leads)
  log(`seeded in ${round(seedMs / 1000, 2)} s`)

  // Started as `npm start` and the Docker image start it.
  const mock = await startProcess('leancore-mock', CLI, [], { DATABASE_PATH: database, API_TOKENS: TOKEN, HOST: '127.0.0.1' }, NODE_FLAGS)
  const auth = { authorization: `Bearer ${TOKEN}` }
  const body100 = await fetchBody(`${mock.url}/lead?ecosystem=${ECOSYSTEM_100}`, auth)
  const body1 = await fetchBody(`${mock.url}/lead?ecosystem=${ECOSYSTEM_1}`, auth)
  writeFileSync(join(work, 'body-100.json'), body100)
  writeFileSync(join(work, 'body-1.json'), body1)
  const bodies = { BODY_100: join(work, 'body-100.json'), BODY_1: join(work, 'body-1.json') }

  const quiet = await startProcess('leancore-mock quiet', CLI, [], { DATABASE_PATH: database, API_TOKENS: TOKEN, HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, NODE_FLAGS)
  const raw = await startProcess('raw node:http', join(ROOT, 'bench/baselines/raw-http.mjs'), [], bodies)
  const constant = await startProcess('bare Fastify', join(ROOT, 'bench/baselines/fastify-constant.mjs'), [], bodies)
  const straightforward = await startProcess('straightforward', join(ROOT, 'bench/baselines/straightforward.mjs'), [], { DATABASE_PATH: database })
  const sqliteJson = await startProcess('SQLite JSON', join(ROOT, 'bench/baselines/sqlite-json.mjs'), [], { DATABASE_PATH: database })

  const straightBody = await fetchBody(`${straightforward.url}/lead?ecosystem=${ECOSYSTEM_100}`)
  const sqliteBody = await fetchBody(`${sqliteJson.url}/lead?ecosystem=${ECOSYSTEM_100}`)
  const identical = {
    straightforward: straightBody.equals(body100),
    sqliteJson: sqliteBody.equals(body100),
    sqliteJsonSameData: JSON.stringify(JSON.parse(sqliteBody)) === JSON.stringify(JSON.parse(body100))
  }
  log(`bodies: ${body100.length} bytes for 100 leads, ${body1.length} for 1; byte-identical to the straightforward path: ${identical.straightforward}`)

  // Phone lookups spread over the whole table: never cached, so they show the index at work.
  const reader = openDatabase(database)
  const phones = new LeadRepository(reader).page(0, { limit: 1000, offset: Math.max(0, leads - 2000), ecosystem: undefined }).leads.map((lead) => lead.phone)
  reader.close()

  const targets = [
    { key: 'mock-100-c10', label: 'leancore-mock, 100 leads', connections: 10, url: `${mock.url}/lead?ecosystem=${ECOSYSTEM_100}`, headers: auth },
    { key: 'raw-100-c10', label: 'raw node:http, same bytes', connections: 10, url: `${raw.url}/100` },
    { key: 'mock-100-c50', label: 'leancore-mock, 100 leads', connections: 50, url: `${mock.url}/lead?ecosystem=${ECOSYSTEM_100}`, headers: auth },
    { key: 'raw-100-c50', label: 'raw node:http, same bytes', connections: 50, url: `${raw.url}/100` },
    { key: 'mock-1-c10', label: 'leancore-mock, 1 lead', connections: 10, url: `${mock.url}/lead?ecosystem=${ECOSYSTEM_1}`, headers: auth },
    { key: 'const-1-c10', label: 'bare Fastify constant, same bytes', connections: 10, url: `${constant.url}/1` },
    { key: 'quiet-1-c10', label: 'leancore-mock, 1 lead, LOG_LEVEL=warn', connections: 10, url: `${quiet.url}/lead?ecosystem=${ECOSYSTEM_1}`, headers: auth },
    { key: 'straight-100-c10', label: 'straightforward Fastify + SQLite, 100 leads', connections: 10, url: `${straightforward.url}/lead?ecosystem=${ECOSYSTEM_100}` },
    { key: 'sqlitejson-100-c10', label: 'SQLite json_group_array, 100 leads', connections: 10, url: `${sqliteJson.url}/lead?ecosystem=${ECOSYSTEM_100}` }
  ]
  const samples = new Map(targets.map((target) => [target.key, []]))
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? targets : [...targets].reverse()
    for (const target of order) {
      log(`round ${r + 1}: ${target.label}, ${target.connections} connections`)
      samples.get(target.key).push(await load(target.url, target.connections, target.headers))
    }
  }
  log('phone lookups (uncached), 10 connections')
  const phoneResult = await autocannon({
    url: mock.url,
    connections: 10,
    duration,
    requests: phones.map((phone) => ({ method: 'GET', path: `/lead?phone=${phone}`, headers: auth }))
  })
  const rows = targets.map((target) => {
    const runs = samples.get(target.key)
    return {
      key: target.key,
      label: target.label,
      connections: target.connections,
      rps: Math.round(median(runs.map((run) => run.rps))),
      p50: median(runs.map((run) => run.p50)),
      p99: median(runs.map((run) => run.p99)),
      non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
      errors: runs.reduce((sum, run) => sum + run.errors, 0)
    }
  })
  rows.push({
    key: 'mock-phone-c10',
    label: 'leancore-mock, phone lookups over the table',
    connections: 10,
    rps: Math.round(phoneResult.requests.average),
    p50: phoneResult.latency.p50,
    p99: phoneResult.latency.p99,
    non2xx: phoneResult.non2xx,
    errors: phoneResult.errors + phoneResult.timeouts
  })
  const rssMb = round(peakRss(mock.child.pid))
  for (const process of [mock, quiet, raw, constant, straightforward, sqliteJson]) await stopProcess(process)
  rmSync(database, { force: true })
  const byKey = Object.fromEntries(rows.map((row) => [row.key, row]))
  return {
    leads,
    seedSeconds: round(seedMs / 1000, 2),
    bodyBytes: { 100: body100.length, 1: body1.length },
    identical,
    rssMb,
    rows,
    ratios: {
      vsRaw100c10: round(byKey['mock-100-c10'].rps / byKey['raw-100-c10'].rps, 3),
      vsRaw100c50: round(byKey['mock-100-c50'].rps / byKey['raw-100-c50'].rps, 3),
      vsConstant1c10: round(byKey['mock-1-c10'].rps / byKey['const-1-c10'].rps, 3),
      quietVsConstant1c10: round(byKey['quiet-1-c10'].rps / byKey['const-1-c10'].rps, 3),
      vsStraightforward100c10: round(byKey['mock-100-c10'].rps / byKey['straight-100-c10'].rps, 2)
    }
  }
}

/**
 * LeanCore's writes: POST /create-lead (a new lead with its own NIT and phone every time) and POST
 * /update-lead (round robin over 1,000 existing leads), leancore-mock as `npm start` runs it against
 * a bare Fastify route doing the same INSERT or UPDATE with better-sqlite3, on copies of one
 * 10,000-lead database, alternating.
 */
async function benchWrites () {
  log('\n== writes')
  const database = join(work, 'writes.db')
  seedDatabase(database, 10_000)
  const reader = openDatabase(database)
  const ids = new LeadRepository(reader).page(0, { limit: 1000, offset: 0, ecosystem: undefined }).leads.map((lead) => lead.id)
  reader.close()
  const copy = (name) => {
    const path = join(work, `${name}.db`)
    writeFileSync(path, readFileSync(database))
    return path
  }
  const mock = await startProcess('leancore-mock, writes', CLI, [], { DATABASE_PATH: copy('writes-mock'), API_TOKENS: TOKEN, HOST: '127.0.0.1' }, NODE_FLAGS)
  const bare = await startProcess('bare Fastify + better-sqlite3', join(ROOT, 'bench/baselines/fastify-sqlite-writes.mjs'), [], { DATABASE_PATH: copy('writes-bare') })
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }
  let serial = 0
  const creates = {
    method: 'POST',
    path: '/create-lead?bulk-load=false',
    headers,
    setupRequest: (request) => {
      const n = ++serial
      return {
        ...request,
        body: JSON.stringify({
          nit: String(1_000_000_000 + n),
          name: 'Ana María',
          lastname: 'Ruiz',
          phone: String(570_000_000_000 + n),
          email: `lead${n}@example.co`,
          address: 'Calle 10 # 5-20, Armenia',
          incomes: 5_000_000,
          expenses: 1_200_000,
          lead_status: 'not_assigned',
          business_entity: 'Persona natural',
          ecosystem: ECOSYSTEM_100,
          created_at: '2026-12-05T10:00:00.000Z'
        })
      }
    }
  }
  const updates = {
    method: 'POST',
    path: '/update-lead',
    headers,
    setupRequest: (request) => {
      const n = ++serial
      return { ...request, body: JSON.stringify({ id: ids[n % ids.length], name: `Nombre ${n}`, lead_status: n % 2 === 0 ? 'approved' : 'assigned' }) }
    }
  }
  const drive = async (url, request) => {
    const result = await autocannon({ url, connections: 10, duration, requests: [request] })
    return { rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts }
  }
  const targets = [
    { key: 'mock-create', label: 'leancore-mock, POST /create-lead', url: mock.url, request: creates },
    { key: 'bare-create', label: 'bare Fastify + better-sqlite3, the same INSERT', url: bare.url, request: creates },
    { key: 'mock-update', label: 'leancore-mock, POST /update-lead', url: mock.url, request: updates },
    { key: 'bare-update', label: 'bare Fastify + better-sqlite3, the same UPDATE', url: bare.url, request: updates }
  ]
  const samples = new Map(targets.map((target) => [target.key, []]))
  for (let r = 0; r < rounds; r++) {
    for (const target of r % 2 === 0 ? targets : [...targets].reverse()) {
      log(`round ${r + 1}: ${target.label}, 10 connections`)
      samples.get(target.key).push(await drive(target.url, target.request))
    }
  }
  const rssMb = round(peakRss(mock.child.pid))
  for (const process of [mock, bare]) await stopProcess(process)
  const rows = targets.map((target) => {
    const runs = samples.get(target.key)
    return {
      key: target.key,
      label: target.label,
      rps: Math.round(median(runs.map((run) => run.rps))),
      p50: median(runs.map((run) => run.p50)),
      p99: median(runs.map((run) => run.p99)),
      non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
      errors: runs.reduce((sum, run) => sum + run.errors, 0)
    }
  })
  const byKey = Object.fromEntries(rows.map((row) => [row.key, row]))
  return {
    rows,
    rssMb,
    ratios: {
      create: round(byKey['mock-create'].rps / byKey['bare-create'].rps, 3),
      update: round(byKey['mock-update'].rps / byKey['bare-update'].rps, 3)
    }
  }
}

const ADMIN_TOKEN = 'bench-admin-token'

/**
 * Sandboxes: a sandbox's 100-lead GET /lead against the same on the shared data, creating and
 * deleting sandboxes (demo seed) back to back, and lookups with 1,000 live sandboxes of demo data
 * against the same with none.
 */
async function benchSandboxes () {
  log('\n== sandboxes')
  const database = join(work, 'sandboxes.db')
  seedDatabase(database, 10_000)
  const mock = await startProcess('leancore-mock, sandboxes', CLI, [],
    { DATABASE_PATH: database, API_TOKENS: TOKEN, HOST: '127.0.0.1', ADMIN_TOKEN, MAX_SANDBOXES: '2000' }, NODE_FLAGS)
  const auth = { authorization: `Bearer ${TOKEN}` }
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }
  const createSandbox = async (body) => {
    const response = await fetch(`${mock.url}/__admin/sandboxes`, { method: 'POST', headers: admin, body: JSON.stringify(body) })
    if (response.status !== 201) throw new Error(`creating a sandbox answered ${response.status}: ${await response.text()}`)
    return await response.json()
  }
  const deleteSandbox = async (id) => {
    const response = await fetch(`${mock.url}/__admin/sandboxes/${id}`, { method: 'DELETE', headers: { authorization: admin.authorization } })
    if (response.status !== 204) throw new Error(`deleting a sandbox answered ${response.status}`)
  }
  const shared100 = await fetchBody(`${mock.url}/lead?ecosystem=${ECOSYSTEM_100}`, auth)
  const box = await createSandbox({ seed: JSON.parse(shared100), ttlSeconds: 86_400, name: 'bench' })
  const boxAuth = { authorization: `Bearer ${box.token}` }
  const box100 = await fetchBody(`${mock.url}/lead?ecosystem=${ECOSYSTEM_100}`, boxAuth)
  log(`the sandbox's 100-lead body is byte for byte the shared one: ${box100.equals(shared100)}`)

  const reader = openDatabase(database)
  const phones = new LeadRepository(reader).page(0, { limit: 1000, offset: 5000, ecosystem: undefined }).leads.map((lead) => lead.phone)
  reader.close()
  const lookups = async () => ({
    sandbox100: await load(`${mock.url}/lead?ecosystem=${ECOSYSTEM_100}`, 10, boxAuth),
    phones: await autocannon({
      url: mock.url,
      connections: 10,
      duration,
      requests: phones.map((phone) => ({ method: 'GET', path: `/lead?phone=${phone}`, headers: auth }))
    }).then((result) => ({ rps: Math.round(result.requests.average), p99: result.latency.p99 }))
  })

  const shared = []
  const sandboxed = []
  for (let r = 0; r < rounds; r++) {
    const pair = [['shared', auth, shared], ['sandbox', boxAuth, sandboxed]]
    for (const [name, headers, runs] of r % 2 === 0 ? pair : pair.reverse()) {
      log(`round ${r + 1}: 100 leads, ${name}, 10 connections`)
      runs.push(await load(`${mock.url}/lead?ecosystem=${ECOSYSTEM_100}`, 10, headers))
    }
  }

  // Creating and deleting, as one client does it (each pair waits for the last) and as parallel
  // suites do it (4 clients at once, so that the server never waits for a client).
  const churn = async (clients) => {
    log(`creating and deleting sandboxes (demo seed), ${clients} client(s) at once`)
    let pairs = 0
    const started = performance.now()
    await Promise.all(Array.from({ length: clients }, async () => {
      while (performance.now() - started < duration * 1000) {
        const { id } = await createSandbox({ seed: 'demo' })
        await deleteSandbox(id)
        pairs++
      }
    }))
    return round(pairs / ((performance.now() - started) / 1000))
  }
  const pairsOneClient = await churn(1)
  const pairsPerSecond = await churn(4)

  log('lookups with no other sandbox')
  const none = await lookups()
  log('creating 1,000 sandboxes of demo data')
  const created = []
  for (let i = 0; i < 1000; i++) created.push((await createSandbox({ seed: 'demo', ttlSeconds: 86_400 })).id)
  const check = openDatabase(database)
  const rowsInSandboxes = check.prepare('SELECT count(*) FROM leads WHERE sandbox <> 0').pluck().get()
  check.close()
  log(`lookups with 1,000 live sandboxes (${rowsInSandboxes.toLocaleString('en')} rows in sandboxes)`)
  const thousand = await lookups()
  const rssMb = round(peakRss(mock.child.pid))
  await stopProcess(mock)
  rmSync(database, { force: true })
  const medianRps = (runs) => Math.round(median(runs.map((run) => run.rps)))
  return {
    identicalBody: box100.equals(shared100),
    shared100: medianRps(shared),
    sandbox100: medianRps(sandboxed),
    sandboxVsShared: round(medianRps(sandboxed) / medianRps(shared), 3),
    pairsPerSecond,
    pairsOneClient,
    rowsInSandboxes,
    lookupsWithNone: none,
    lookupsWithThousand: thousand,
    thousandVsNone: {
      sandbox100: round(thousand.sandbox100.rps / none.sandbox100.rps, 3),
      phones: round(thousand.phones.rps / none.phones.rps, 3)
    },
    rssMb
  }
}

/** Spawn to the first 200 on `path`, the way a user starts a server; milliseconds. */
async function coldStart (script, env, path, headers = {}) {
  const port = await freePort()
  const started = performance.now()
  const child = spawn(process.execPath, [...NODE_FLAGS, script], { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port) }, stdio: 'ignore' })
  children.add(child)
  let ms
  while (ms === undefined) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers })
      if (response.status === 200) ms = performance.now() - started
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
  }
  child.kill('SIGTERM')
  await once(child, 'exit')
  children.delete(child)
  return ms
}

/** Runs a script in a fresh process and returns what it printed, parsed. */
async function probe (script, args = []) {
  const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  children.add(child)
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (chunk) => { output += chunk })
  await once(child, 'exit')
  children.delete(child)
  return JSON.parse(output)
}

/** The same 100,000 leads written by the repository, and by a bare better-sqlite3 loop in one transaction. */
function seeding (leads) {
  const fresh = (name) => {
    const path = join(work, `${name}.db`)
    rmSync(path, { force: true })
    const db = openDatabase(path)
    migrate(db)
    return { db, path }
  }
  const ours = () => {
    const { db, path } = fresh('seed-ours')
    const started = performance.now()
    new LeadRepository(db).upsert(0, leads)
    const ms = performance.now() - started
    db.close()
    rmSync(path, { force: true })
    return ms
  }
  const bare = () => {
    const { db, path } = fresh('seed-bare')
    const columns = ['id', 'name', 'lastname', 'business_name', 'status', 'phone', 'email', 'nit', 'address', 'ecosystem',
      'business_entity', 'quota', 'image', 'score', 'apn_token', 'history', 'payment_data', 'additional_data']
    const started = performance.now()
    const insert = db.prepare(`INSERT INTO leads (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
    db.transaction(() => {
      for (const lead of leads) {
        insert.run(lead.id, lead.name, lead.lastname, lead.business_name, lead.status, lead.phone, lead.email, lead.nit, lead.address,
          lead.ecosystem, lead.business_entity, lead.quota, lead.image, lead.score, lead.apn_token,
          JSON.stringify(lead.history), JSON.stringify(lead.payment_data), JSON.stringify(lead.additional_data))
      }
    })()
    const ms = performance.now() - started
    db.close()
    rmSync(path, { force: true })
    return ms
  }
  const runs = { ours: [], bare: [] }
  for (let r = 0; r < 3; r++) {
    const pair = [['ours', ours], ['bare', bare]]
    for (const [name, run] of r % 2 === 0 ? pair : pair.reverse()) runs[name].push(run())
  }
  return { oursSeconds: round(median(runs.ours) / 1000, 2), bareSeconds: round(median(runs.bare) / 1000, 2), ratio: round(median(runs.ours) / median(runs.bare), 2) }
}

/**
 * Start-up, each against its baseline in the same run, alternating, medians of RUNS: the CLI's cold
 * start to the first 200 on GET /lead (on an existing database and on a new one) against a bare
 * Fastify hello world's to its first 200; import plus the first startServer({ adminToken }) against
 * importing Fastify and listening with a hello world, each in a fresh process; every later
 * startServer({ adminToken }) in one process; seeding 100,000 leads against a bare loop.
 */
async function startup () {
  const RUNS = quick ? 7 : 11
  const existing = join(work, 'cold.db')
  const auth = { authorization: `Bearer ${TOKEN}` }
  const ours = (database) => coldStart(CLI, { DATABASE_PATH: database, API_TOKENS: TOKEN, LOG_LEVEL: 'warn' }, `/lead?phone=${EXAMPLE_PHONE}`, auth)
  const hello = () => coldStart(join(ROOT, 'bench/baselines/fastify-hello.mjs'), {}, '/')
  await ours(existing) // creates, migrates and seeds it
  const cold = { existing: [], fresh: [], hello: [] }
  for (let i = 0; i < RUNS; i++) {
    log(`cold starts, run ${i + 1} of ${RUNS}`)
    const steps = [['existing', () => ours(existing)], ['hello', hello], ['fresh', () => ours(join(work, `fresh-${i}.db`))]]
    for (const [name, run] of i % 2 === 0 ? steps : steps.reverse()) cold[name].push(await run())
  }
  const first = { ours: [], fastify: [] }
  for (let i = 0; i < RUNS; i++) {
    log(`first start in a fresh process, run ${i + 1} of ${RUNS}`)
    const steps = [['ours', join(ROOT, 'bench/probes/first-start.mjs')], ['fastify', join(ROOT, 'bench/baselines/fastify-first-start.mjs')]]
    for (const [name, script] of i % 2 === 0 ? steps : steps.reverse()) first[name].push(await probe(script))
  }
  log('later starts in one process')
  const later = await probe(join(ROOT, 'bench/probes/later-starts.mjs'), ['21'])
  log('seeding 100,000 leads')
  const leads = [...generateLeads([{ id: ECOSYSTEM_100, size: 100_000 }], 11)]
  const seed = seeding(leads)
  const coldMs = { existing: round(median(cold.existing)), fresh: round(median(cold.fresh)), hello: round(median(cold.hello)) }
  const firstMs = { ours: round(median(first.ours)), fastify: round(median(first.fastify)) }
  return {
    runs: RUNS,
    coldStartMs: coldMs,
    coldStartRatio: { existing: round(coldMs.existing / coldMs.hello, 2), fresh: round(coldMs.fresh / coldMs.hello, 2) },
    firstStartMs: firstMs,
    firstStartRatio: round(firstMs.ours / firstMs.fastify, 2),
    laterStartMs: { median: round(median(later), 1), max: round(Math.max(...later), 1) },
    seed
  }
}

function table ({ sizes: results, writes, sandboxes, startup: start }) {
  const lines = []
  lines.push(`leancore-mock benchmark: ${cpus().length} cores, Node ${process.versions.node}, autocannon keep-alive, ${duration} s per run, ${rounds} round(s), median shown`)
  for (const size of results ?? []) {
    lines.push('')
    lines.push(`${size.leads.toLocaleString('en')} leads in the database (seeded in ${size.seedSeconds} s); bodies ${size.bodyBytes[100]} B (100 leads), ${size.bodyBytes[1]} B (1 lead)`)
    lines.push('| what served the request | conns | req/s | p50 ms | p99 ms | non-2xx | errors |')
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
    for (const row of size.rows) {
      lines.push(`| ${row.label} | ${row.connections} | ${row.rps.toLocaleString('en')} | ${row.p50} | ${row.p99} | ${row.non2xx} | ${row.errors} |`)
    }
    lines.push(`ratios: 100 leads vs raw node:http ${size.ratios.vsRaw100c10} (10 conns), ${size.ratios.vsRaw100c50} (50 conns); ` +
      `1 lead vs bare Fastify ${size.ratios.vsConstant1c10} (${size.ratios.quietVsConstant1c10} with LOG_LEVEL=warn); vs the straightforward handler ${size.ratios.vsStraightforward100c10}x`)
    lines.push(`peak RSS of leancore-mock: ${size.rssMb} MB; byte-identical to the straightforward path: ${size.identical.straightforward}; ` +
      `SQLite JSON path byte-identical: ${size.identical.sqliteJson} (same data: ${size.identical.sqliteJsonSameData})`)
  }
  if (results !== undefined && results.length > 1) {
    const [small, large] = [results[0], results.at(-1)]
    const change = (key) => round((large.rows.find((row) => row.key === key).rps / small.rows.find((row) => row.key === key).rps - 1) * 100)
    lines.push('')
    lines.push(`${large.leads.toLocaleString('en')} vs ${small.leads.toLocaleString('en')} leads: 100-lead req/s ${change('mock-100-c10')}%, 1-lead ${change('mock-1-c10')}%, phone lookups ${change('mock-phone-c10')}%`)
  }
  if (writes !== undefined) {
    lines.push('')
    lines.push('writes (10,000 leads in the database; 10 connections)')
    lines.push('| what served the request | req/s | p50 ms | p99 ms | non-2xx | errors |')
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: |')
    for (const row of writes.rows) lines.push(`| ${row.label} | ${row.rps.toLocaleString('en')} | ${row.p50} | ${row.p99} | ${row.non2xx} | ${row.errors} |`)
    lines.push(`ratios to the bare route (goal ≥ 0.5): create-lead ${writes.ratios.create}, update-lead ${writes.ratios.update}; peak RSS of leancore-mock: ${writes.rssMb} MB`)
  }
  if (sandboxes !== undefined) {
    const { none, thousand } = { none: sandboxes.lookupsWithNone, thousand: sandboxes.lookupsWithThousand }
    lines.push('')
    lines.push('sandboxes (10,000 shared leads; a sandbox holding a copy of the 100-lead ecosystem; 10 connections)')
    lines.push('| what | req/s | ratio | goal |')
    lines.push('| --- | ---: | ---: | --- |')
    lines.push(`| 100 leads, in a sandbox / on the shared data | ${sandboxes.sandbox100.toLocaleString('en')} / ${sandboxes.shared100.toLocaleString('en')} | ${sandboxes.sandboxVsShared} | ≥ 0.9 |`)
    lines.push(`| sandboxes created (demo seed) and deleted, pairs per second, 4 clients at once (1 client) | ${sandboxes.pairsPerSecond} (${sandboxes.pairsOneClient}) | | ≥ 200 |`)
    lines.push(`| 100 leads in a sandbox, with 1,000 live sandboxes / with none | ${thousand.sandbox100.rps.toLocaleString('en')} / ${none.sandbox100.rps.toLocaleString('en')} | ${sandboxes.thousandVsNone.sandbox100} | ≥ 0.9 |`)
    lines.push(`| phone lookups (uncached), with 1,000 live sandboxes / with none | ${thousand.phones.rps.toLocaleString('en')} / ${none.phones.rps.toLocaleString('en')} | ${sandboxes.thousandVsNone.phones} | ≥ 0.9 |`)
    lines.push(`${sandboxes.rowsInSandboxes.toLocaleString('en')} rows in the 1,000 sandboxes; peak RSS ${sandboxes.rssMb} MB; a sandbox's body byte-identical to the shared one: ${sandboxes.identicalBody}`)
  }
  if (start !== undefined) {
    const { coldStartMs: cold, coldStartRatio: coldRatio, firstStartMs: first } = start
    lines.push('')
    lines.push(`start-up (medians of ${start.runs} alternating runs)`)
    lines.push('| what | leancore-mock | baseline | ratio | goal |')
    lines.push('| --- | ---: | ---: | ---: | --- |')
    lines.push(`| CLI cold start to the first 200 on GET /lead, existing database / bare Fastify hello world | ${cold.existing} ms | ${cold.hello} ms | ${coldRatio.existing} | ≤ 1.2 |`)
    lines.push(`| the same, new database (migrated and seeded) | ${cold.fresh} ms | ${cold.hello} ms | ${coldRatio.fresh} | ≤ 1.2 |`)
    lines.push(`| import + first startServer({ adminToken }), fresh process / import Fastify + listen | ${first.ours} ms | ${first.fastify} ms | ${start.firstStartRatio} | ≤ 1.3 |`)
    lines.push(`| every later startServer({ adminToken }), median (max) | ${start.laterStartMs.median} ms (${start.laterStartMs.max}) | | | < 10 ms |`)
    lines.push(`| seeding 100,000 leads / a bare better-sqlite3 loop, one transaction | ${start.seed.oursSeconds} s | ${start.seed.bareSeconds} s | ${start.seed.ratio} | ≤ 1.3 |`)
  }
  return lines.join('\n')
}

const report = { date: new Date().toISOString(), node: process.versions.node, cores: cpus().length, duration, rounds }
if (sections.throughput) {
  report.sizes = []
  for (const size of sizes) report.sizes.push(await benchSize(size))
}
if (sections.writes) report.writes = await benchWrites()
if (sections.sandboxes) report.sandboxes = await benchSandboxes()
if (sections.startup) {
  log('\n== start-up and seeding')
  report.startup = await startup()
}
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`)
process.stdout.write(`${table(report)}\n\nresults: ${out}\n`)
process.exit(0)
