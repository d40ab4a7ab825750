// While one client loads, reads, resets and deletes its maximum, every other client is answered:
// /health, polled every 50 ms over new connections from another process, never takes 500 ms. The
// server, the heavy client and the poller each run in their own process, as they would in staging.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { ADMIN_TOKEN, sendRaw, serveCli, temporaryDirectory } from '../helper.js'

const GENERATE = fileURLToPath(new URL('../../dist/seed/generate.js', import.meta.url))

/** The heavy client: fills a sandbox to MAX_LEADS_PER_SANDBOX, reads it whole, resets it, fills and deletes it; a line per step. */
const HEAVY = `
const [url, admin, generate] = process.argv.slice(1)
const { generateLeads } = await import(generate)
const ecosystem = 'b0000000-0000-4000-8000-000000000100'
const leads = [...generateLeads([{ id: ecosystem, size: 50000 }], 3)]
const halves = [JSON.stringify(leads.slice(0, 27000)), JSON.stringify(leads.slice(27000))]
const json = { authorization: 'Bearer ' + admin, 'content-type': 'application/json' }
const say = (line) => process.stdout.write(line + '\\n')
const created = await fetch(url + '/__admin/sandboxes', { method: 'POST', headers: json, body: '{"seed":"none"}' })
const box = await created.json()
// Said first: without a sandbox every step after it would fail, and this says why.
say('create ' + created.status + (created.status === 201 ? '' : ' ' + JSON.stringify(box)))
const own = { authorization: 'Bearer ' + box.token, 'content-type': 'application/json' }
say('ready')
const timed = async (step, run) => { const started = Date.now(); const status = await run(); say(step + ' ' + status + ' ' + (Date.now() - started) + ' ms') }
await timed('load', async () => (await fetch(url + '/__admin/leads', { method: 'POST', headers: own, body: halves[0] })).status)
await timed('load', async () => (await fetch(url + '/__admin/leads', { method: 'POST', headers: own, body: halves[1] })).status)
await timed('read', async () => { const response = await fetch(url + '/lead?ecosystem=' + ecosystem, { headers: own }); await response.arrayBuffer(); return response.status })
await timed('reset', async () => (await fetch(url + '/__admin/reset', { method: 'POST', headers: { authorization: own.authorization } })).status)
await timed('bulk-create', async () => (await fetch(url + '/create-lead?bulk-load=true', { method: 'POST', headers: own, body: JSON.stringify(leads.slice(0, 20000).map(({ id, status, quota, payment_data, apn_token, ...lead }, i) => ({ ...lead, nit: String(1e9 + i), phone: String(570000000000 + i), lead_status: status }))) })).status)
await timed('load', async () => (await fetch(url + '/__admin/leads', { method: 'POST', headers: own, body: halves[0] })).status)
await timed('delete', async () => (await fetch(url + '/__admin/sandboxes/' + box.id, { method: 'DELETE', headers: { authorization: json.authorization } })).status)
say('done')
`

t.test('one client at its maximum (load, read, reset, bulk create, delete): /health every 50 ms always within 500 ms', async (t) => {
  const server = await serveCli(t, { DATABASE_PATH: join(temporaryDirectory(t), 'heavy.db'), ADMIN_TOKEN })
  const { port } = new URL(server.url)
  const heavy = spawn(process.execPath, ['--input-type=module', '-e', HEAVY, server.url, ADMIN_TOKEN, GENERATE], { stdio: ['ignore', 'pipe', 'inherit'] })
  t.after(() => { heavy.kill('SIGKILL') })
  let said = ''
  heavy.stdout.setEncoding('utf8').on('data', (chunk: string) => { said += chunk })
  while (!said.includes('ready')) await new Promise((resolve) => setTimeout(resolve, 20))
  const latencies: number[] = []
  while (!said.includes('done') && heavy.exitCode === null) {
    const started = Date.now()
    const response = await sendRaw(Number(port), 'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 5000)
    latencies.push(Date.now() - started)
    t.equal(response.status, 200, 'health answered') || t.comment(response.body)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const steps = said.trim().split('\n').filter((line) => line !== 'ready' && line !== 'done')
  t.comment(`steps: ${steps.join('; ')}; ${latencies.length} health checks, slowest ${Math.max(...latencies)} ms`)
  t.same(steps.map((line) => line.split(' ').slice(0, 2).join(' ')), ['create 201', 'load 201', 'load 201', 'read 200', 'reset 200', 'bulk-create 200', 'load 201', 'delete 204'], 'every step of the heavy client succeeded')
  t.ok(latencies.length >= 10, 'polled throughout')
  t.ok(Math.max(...latencies) < 500, `slowest /health ${Math.max(...latencies)} ms`)
})
