// A real leancore-mock process under load from 50 keep-alive connections gets SIGTERM: every
// request in flight must complete with its normal answer, new connections must be refused, and
// the process must exit 0 within 10 s.
import { once } from 'node:events'
import { Agent, request } from 'node:http'
import { connect } from 'node:net'
import t from 'tap'
import { EXAMPLE_ECOSYSTEM } from '../src/leads/schema.js'
import { serveCli } from './helper.js'

const CONNECTIONS = 50
const ADMIN = 'shutdown-admin'

interface Outcome { status: number | undefined, leads: number | undefined, error: string | undefined, sentBeforeSigterm: boolean }

function get (agent: Agent, url: URL, sigtermAt: () => number | undefined): Promise<Outcome> {
  const sentBeforeSigterm = sigtermAt() === undefined
  return new Promise((resolve) => {
    const outgoing = request(url, { agent, headers: { authorization: 'Bearer leancore-dev-token' } }, (response) => {
      let body = ''
      response.setEncoding('utf8').on('data', (chunk: string) => { body += chunk })
      response.on('end', () => {
        let leads: number | undefined
        try { leads = (JSON.parse(body) as unknown[]).length } catch {}
        resolve({ status: response.statusCode, leads, error: undefined, sentBeforeSigterm })
      })
      response.on('error', (error) => resolve({ status: response.statusCode, leads: undefined, error: (error as NodeJS.ErrnoException).code ?? error.message, sentBeforeSigterm }))
    })
    outgoing.on('error', (error) => resolve({ status: undefined, leads: undefined, error: (error as NodeJS.ErrnoException).code ?? error.message, sentBeforeSigterm }))
    outgoing.end()
  })
}

t.test(`SIGTERM under load from ${CONNECTIONS} connections: in-flight requests complete, new connections are refused, exit 0`, async (t) => {
  const server = await serveCli(t, { DATABASE_PATH: ':memory:', ADMIN_TOKEN: ADMIN })
  // Each request is held 150 ms, so that many are in flight at any moment.
  const scenario = await fetch(`${server.url}/__admin/scenarios`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ delayMs: 150 })
  })
  t.equal(scenario.status, 201)

  const url = new URL(`${server.url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`)
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS })
  t.after(() => agent.destroy())
  let sigtermAt: number | undefined
  const outcomes: Outcome[] = []
  // Each worker keeps one connection busy until the server stops taking requests.
  const workers = Array.from({ length: CONNECTIONS }, async () => {
    for (;;) {
      const outcome = await get(agent, url, () => sigtermAt)
      outcomes.push(outcome)
      // After SIGTERM a worker goes on asking until the server refuses its new connection.
      if (outcome.error !== undefined || (sigtermAt !== undefined && Date.now() - sigtermAt > 5000)) return
    }
  })

  await new Promise((resolve) => setTimeout(resolve, 1000))
  const inFlight = outcomes.length
  sigtermAt = Date.now()
  server.child.kill('SIGTERM')
  // Let the process close its listener (a handful of event-loop turns), then knock.
  await new Promise((resolve) => setTimeout(resolve, 50))
  const knock = connect(Number(url.port), url.hostname)
  const [refused] = await Promise.race([
    once(knock, 'error').then(([error]) => [(error as NodeJS.ErrnoException).code]),
    once(knock, 'connect').then(() => ['connected'])
  ])
  knock.destroy()

  const exitCode = await server.exited
  const exitedAfter = Date.now() - sigtermAt
  await Promise.all(workers)

  const before = outcomes.filter((outcome) => outcome.sentBeforeSigterm)
  const completed = before.filter((outcome) => outcome.status === 200 && outcome.leads === 24)
  const failed = before.filter((outcome) => !(outcome.status === 200 && outcome.leads === 24))
  const after = outcomes.filter((outcome) => !outcome.sentBeforeSigterm)
  t.comment(`${completed.length} requests answered in full (${completed.length - inFlight} of them in flight at SIGTERM), ` +
    `${failed.length} lost; ${after.length} sent after SIGTERM (${after.filter((o) => o.status === 200).length} served on their open connection, ` +
    `${after.filter((o) => o.error === 'ECONNREFUSED').length} refused); exit ${String(exitCode)} after ${exitedAfter} ms`)
  t.same(failed, [], 'every request sent before SIGTERM got its full, normal answer')
  t.ok(completed.length - inFlight >= CONNECTIONS / 2, 'many requests were in flight when SIGTERM came')
  t.equal(refused, 'ECONNREFUSED', 'a new connection after SIGTERM is refused')
  for (const outcome of after) {
    t.ok(outcome.error === 'ECONNREFUSED' || (outcome.status === 200 && outcome.leads === 24), `after SIGTERM: ${JSON.stringify(outcome)}`)
  }
  t.equal(exitCode, 0)
  t.ok(exitedAfter < 10_000, 'within 10 s')
})
