// A real leancore-mock process under load from 50 keep-alive connections gets SIGTERM. What a
// client can rely on:
// - every request the server had taken before SIGTERM completes with its normal answer;
// - the listener closes at once: new connections are refused while those requests still run;
// - a request that meets the shutdown either completes, or fails as a retryable connection error
//   before any byte of an answer: refused (a new connection), reset while queued for the listener
//   as it closed, or reset on a kept-alive connection the server closed as idle. The last two are
//   races every HTTP/1.1 server has when it stops (Node, Go and nginx alike): the client's request
//   and the close cross on the wire. Node documents the kept-alive case under `reusedSocket`.
// - the process exits 0, within Docker's 10 s stop timeout.
import { once } from 'node:events'
import { Agent, request } from 'node:http'
import { connect } from 'node:net'
import t from 'tap'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE } from '../src/core/leads/schema.js'
import { addScenario, holdRequest, scenarioUsedUp, serveCli } from './helper.js'

const CONNECTIONS = 50
const HELD = 20
const ADMIN = 'shutdown-admin'
const AUTH = { authorization: 'Bearer leancore-dev-token' }

interface Outcome {
  status?: number
  connection?: string
  body?: string
  error?: string
  /** Whether the request went out on a kept-alive connection that had served one before */
  reusedSocket: boolean
  /** Whether any byte of an answer arrived */
  answered: boolean
  /** Whether the request failed after SIGTERM was sent */
  failedAfterSigterm?: boolean
}

function get (agent: Agent, url: URL, sigtermSent: () => boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    const outgoing = request(url, { agent, headers: AUTH }, (response) => {
      let body = ''
      response.setEncoding('utf8').on('data', (chunk: string) => { body += chunk })
      response.on('end', () => resolve({
        status: response.statusCode, connection: response.headers.connection, body, reusedSocket: outgoing.reusedSocket, answered: true
      }))
      response.on('error', (error) => resolve({
        error: (error as NodeJS.ErrnoException).code ?? error.message, reusedSocket: outgoing.reusedSocket, answered: true, failedAfterSigterm: sigtermSent()
      }))
    })
    outgoing.on('error', (error) => resolve({
      error: (error as NodeJS.ErrnoException).code ?? error.message, reusedSocket: outgoing.reusedSocket, answered: false, failedAfterSigterm: sigtermSent()
    }))
    outgoing.end()
  })
}

/**
 * Connects until a connection is refused; resolves with the code of that refusal, or of another
 * failure. A connection the kernel had queued when the listener closed is reset, not refused: that
 * is the close still in progress, so it knocks again.
 */
async function knockUntilRefused (port: number): Promise<string> {
  for (;;) {
    const socket = connect(port, '127.0.0.1')
    const [outcome] = await Promise.race([
      once(socket, 'error').then(([error]) => [(error as NodeJS.ErrnoException).code ?? 'error']),
      once(socket, 'connect').then(() => ['connected'])
    ])
    socket.destroy()
    if (outcome !== 'connected' && outcome !== 'ECONNRESET') return outcome as string
    await new Promise((resolve) => setImmediate(resolve))
  }
}

t.test(`SIGTERM under load from ${CONNECTIONS} connections: requests in flight complete, new connections are refused, exit 0`, async (t) => {
  const server = await serveCli(t, { DATABASE_PATH: ':memory:', ADMIN_TOKEN: ADMIN, SHUTDOWN_TIMEOUT: '8' })
  const url = new URL(`${server.url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`)
  const expected = await (await fetch(url, { headers: AUTH })).text()
  // The load: every GET /lead by ecosystem is held 20 ms, so that most connections have a request
  // inside the server at any moment.
  await addScenario(server.url, ADMIN, { match: { ecosystem: EXAMPLE_ECOSYSTEM }, delayMs: 20 })

  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS })
  t.after(() => agent.destroy())
  let sigtermSent = false
  const outcomes: Outcome[] = []
  let enoughLoad: () => void = () => {}
  const loaded = new Promise<void>((resolve) => { enoughLoad = resolve })
  // Each worker keeps one connection busy until a request of its fails (the server is gone).
  const workers = Array.from({ length: CONNECTIONS }, async () => {
    for (;;) {
      const outcome = await get(agent, url, () => sigtermSent)
      outcomes.push(outcome)
      if (outcomes.length >= 4 * CONNECTIONS) enoughLoad()
      // The second condition only bounds a broken run: the server going away ends every worker.
      if (outcome.error !== undefined || outcomes.length > 100_000) return
    }
  })

  // Requests the server is known to hold at SIGTERM: HELD lookups by phone, each held 2 s, and
  // waited for until the server has taken every one of them; plus a token request whose body
  // the test finishes only after the listener is seen closed.
  const heldAgent = new Agent({ keepAlive: true, maxSockets: HELD })
  t.after(() => heldAgent.destroy())
  const heldScenario = await addScenario(server.url, ADMIN, { match: { phone: EXAMPLE_PHONE }, delayMs: 2000, times: HELD })
  const phoneUrl = new URL(`${server.url}/lead?phone=${EXAMPLE_PHONE}`)
  const held = Array.from({ length: HELD }, async () => await get(heldAgent, phoneUrl, () => sigtermSent))
  const token = await holdRequest(t, server.url)
  await scenarioUsedUp(server.url, ADMIN, heldScenario)
  await loaded

  sigtermSent = true
  server.child.kill('SIGTERM')
  const sigtermAt = Date.now()
  await server.waitFor(/shutting down/)
  const refused = await knockUntilRefused(Number(url.port))
  t.equal(refused, 'ECONNREFUSED', 'new connections are refused while requests are still in flight')
  t.equal(server.child.exitCode, null, 'the process is still finishing its requests then')

  const tokenAnswer = await token.release()
  t.equal(tokenAnswer.status, 200, 'the token request in flight at SIGTERM completes')
  t.match(JSON.parse(tokenAnswer.body), { token_type: 'Bearer', access_token: /^lcm_/ })
  t.equal(tokenAnswer.headers.connection, 'close', 'and tells its client to hang up')

  const heldOutcomes = await Promise.all(held)
  t.same(heldOutcomes.filter((outcome) => outcome.status !== 200 || JSON.parse(outcome.body ?? 'null')?.phone !== EXAMPLE_PHONE), [],
    `all ${HELD} lookups held at SIGTERM got their full answer`)
  t.ok(heldOutcomes.every((outcome) => outcome.connection === 'close'), 'each answered during the shutdown, with Connection: close')

  const exitCode = await server.exited
  const exitedAfter = Date.now() - sigtermAt
  await Promise.all(workers)

  const completed = outcomes.filter((outcome) => outcome.status === 200 && outcome.body === expected)
  const retryable = outcomes.filter((outcome) => ['ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes(outcome.error ?? '') && !outcome.answered)
  const other = outcomes.filter((outcome) => !completed.includes(outcome) && !retryable.includes(outcome))
  const count = (error: string, reused: boolean): number =>
    retryable.filter((outcome) => outcome.error === error && outcome.reusedSocket === reused).length
  t.comment(`${completed.length} load requests answered in full; failed with no answer: ${count('ECONNREFUSED', false)} refused, ` +
    `${count('ECONNRESET', false)} reset as new connections the listener had queued, ${count('ECONNRESET', true)} reset on ` +
    `idle kept-alive connections; exit ${String(exitCode)} after ${exitedAfter} ms`)
  t.same(other, [], 'every load request was answered in full, or failed before any byte of an answer (safe to retry)')
  t.ok(retryable.every((outcome) => outcome.failedAfterSigterm === true), 'and none failed before SIGTERM')
  t.ok(completed.length >= 4 * CONNECTIONS, 'the load was served until SIGTERM')
  t.equal(exitCode, 0)
  t.match(server.stdout(), /"msg":"leancore-mock stopped"/)
  t.ok(exitedAfter < 10_000, 'within Docker\'s 10 s stop timeout')
})
