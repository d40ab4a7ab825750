// Connections a client opens and leaves silent: closed after IDLE_TIMEOUT, and at MAX_CONNECTIONS
// the oldest idle one makes room for a new client, so a crowd of silent sockets is no outage.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import t from 'tap'
import { startServer } from '../../src/index.js'
import { ADMIN_TOKEN, readResponse, sendRaw, serveCli } from '../helper.js'

async function open (port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1')
  socket.on('error', () => {})
  await once(socket, 'connect')
  return socket
}

async function closedWithin (socket: Socket, ms: number): Promise<boolean> {
  if (socket.destroyed || socket.readyState === 'closed') return true
  return await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    socket.once('close', () => { clearTimeout(timer); resolve(true) })
  })
}

t.test('IDLE_TIMEOUT: a connection with no request under way is closed; one with a request under way is not', async (t) => {
  const mock = await startServer({ idleTimeout: 1, adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())
  const silent = await open(mock.port)
  t.after(() => silent.destroy())
  const started = Date.now()
  t.ok(await closedWithin(silent, 3000), 'a socket that never sent a byte is closed')
  t.ok(Date.now() - started >= 900, `not before IDLE_TIMEOUT (${Date.now() - started} ms)`)

  const partial = await open(mock.port)
  t.after(() => partial.destroy())
  partial.write('GET /health HTTP/1.1\r\nHost: x\r\n')
  t.ok(await closedWithin(partial, 3000), 'half a request head is no request: closed too')

  const keptAlive = await open(mock.port)
  t.after(() => keptAlive.destroy())
  const answer = readResponse(keptAlive)
  keptAlive.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n')
  t.equal((await answer).status, 200)
  t.ok(await closedWithin(keptAlive, 3000), 'a kept-alive connection is closed once idle that long after its answer')

  // A request that takes 2.5 s on the server (a scenario's delay) keeps its connection past 1 s.
  mock.scenarios.add({ match: { path: '/lead' }, delayMs: 2500 })
  const busy = await open(mock.port)
  t.after(() => busy.destroy())
  const slow = readResponse(busy)
  busy.write('GET /lead?phone=573136434030 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer leancore-dev-token\r\n\r\n')
  t.equal((await slow).status, 200, 'answered after its delay, on its connection')
})

t.test('a request that arrives before the answer to the one before it went out is under way: its connection is not idle', async (t) => {
  const mock = await startServer({ idleTimeout: 1 })
  t.after(() => mock.close())
  // Two requests in one write (pipelined): the second is read while the first is answered, and
  // takes 2.5 s (a scenario's delay), past IDLE_TIMEOUT, after the first answer went out.
  mock.scenarios.add({ match: { path: '/lead' }, delayMs: 2500 })
  const socket = await open(mock.port)
  t.after(() => socket.destroy())
  let received = ''
  socket.setEncoding('latin1').on('data', (chunk: string) => { received += chunk })
  socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n' +
    'GET /lead?phone=573136434030 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer leancore-dev-token\r\n\r\n')
  await closedWithin(socket, 5000)
  // The second answer follows the first's body on the same line.
  t.equal(received.match(/HTTP\/1\.1 200 OK/g)?.length, 2, 'both answered, the second after its delay')
})

t.test('at MAX_CONNECTIONS, a new connection closes the oldest idle one instead of being refused', async (t) => {
  const mock = await startServer({ maxConnections: 2 })
  t.after(() => mock.close())
  const oldest = await open(mock.port)
  t.after(() => oldest.destroy())
  await new Promise((resolve) => setTimeout(resolve, 20))
  const younger = await open(mock.port)
  t.after(() => younger.destroy())
  const response = await sendRaw(mock.port, 'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  t.equal(response.status, 200, 'the new client is served')
  t.ok(await closedWithin(oldest, 2000), 'the oldest idle connection made room')
  t.notOk(younger.destroyed, 'the younger one is left alone')
})

t.test('5,000 silent sockets: a new client\'s /health is answered within 1 s throughout', async (t) => {
  // The server, the crowd and the client each in their own process, as in staging.
  const server = await serveCli(t, { DATABASE_PATH: ':memory:' })
  const { port } = new URL(server.url)
  const crowd = spawn(process.execPath, ['--input-type=module', '-e', CROWD, port, '5000'], { stdio: ['ignore', 'pipe', 'inherit'] })
  t.after(() => { crowd.kill('SIGKILL') })
  let crowdSaid = ''
  crowd.stdout.setEncoding('utf8').on('data', (chunk: string) => { crowdSaid += chunk })
  const latencies: number[] = []
  const failures: string[] = []
  while (!crowdSaid.includes('held')) {
    const started = Date.now()
    const response = await sendRaw(Number(port), 'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 5000)
    latencies.push(Date.now() - started)
    if (response.status !== 200) failures.push(`${response.status} ${response.body}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  t.comment(`${latencies.length} health checks while the crowd connected and held; slowest ${Math.max(...latencies)} ms; the crowd: ${crowdSaid.trim()}`)
  t.match(crowdSaid, /^opened 5000\n/, 'all 5,000 sockets were opened')
  t.same(failures, [], 'every /health was answered 200')
  t.ok(latencies.length >= 10, 'polled throughout')
  t.ok(Math.max(...latencies) < 1000, `each within 1 s (slowest ${Math.max(...latencies)} ms)`)
})

/** Opens N sockets to a port that send nothing, says so, holds them 2 s, says so. */
const CROWD = `
import { connect } from 'node:net'
const [port, count] = process.argv.slice(1).map(Number)
const sockets = []
for (let opened = 0; opened < count; opened += 250) {
  await Promise.all(Array.from({ length: 250 }, () => new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.on('error', resolve)
    socket.on('connect', resolve)
    sockets.push(socket)
  })))
}
process.stdout.write('opened ' + sockets.length + '\\n')
await new Promise((resolve) => setTimeout(resolve, 2000))
process.stdout.write('held; ' + sockets.filter((socket) => !socket.destroyed).length + ' still open\\n')
setTimeout(() => process.exit(0), 100)
`
