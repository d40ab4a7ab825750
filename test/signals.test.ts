// The command's signals: SIGTERM and SIGINT shut the server down gracefully, a request in flight
// finishes first, SHUTDOWN_TIMEOUT bounds the wait, and a second signal ends it at once. Each
// request the tests hold is known to be inside the server (a one-time scenario is used up), never
// assumed to have arrived after some sleep.
import t from 'tap'
import { holdRequest, serveCli } from './helper.js'

t.test('SIGTERM and SIGINT stop the server gracefully with exit code 0', async (t) => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const server = await serveCli(t, { DATABASE_PATH: ':memory:' })
    t.equal((await fetch(`${server.url}/health`)).status, 200)
    server.child.kill(signal)
    t.equal(await server.exited, 0, signal)
    t.match(server.stdout(), /shutting down: no new connections, finishing requests in flight/)
    t.match(server.stdout(), /"msg":"leancore-mock stopped"/)
    await t.rejects(fetch(`${server.url}/health`), 'the port is released')
  }
})

t.test('SIGTERM lets a request in flight on a kept-alive connection finish, then exits without waiting for the client', async (t) => {
  const server = await serveCli(t, { DATABASE_PATH: ':memory:', SHUTDOWN_TIMEOUT: '30' })
  const held = await holdRequest(t, server.url)
  server.child.kill('SIGTERM')
  await server.waitFor(/shutting down/)
  const response = await held.release()
  t.equal(response.status, 200)
  t.match(JSON.parse(response.body), { token_type: 'Bearer' })
  t.equal(response.headers.connection, 'close', 'the client is told not to reuse the connection')
  // The test keeps its end of the connection open: the server must close it, not wait for the
  // keep-alive timeout (72 s, past tap's 30 s test timeout).
  t.equal(await server.exited, 0)
  t.equal(held.socket.destroyed || held.socket.readableEnded, true, 'the server closed the connection itself')
})

t.test('a request that never finishes cannot hold the process past SHUTDOWN_TIMEOUT', async (t) => {
  const server = await serveCli(t, { DATABASE_PATH: ':memory:', SHUTDOWN_TIMEOUT: '1' })
  await holdRequest(t, server.url)
  server.child.kill('SIGTERM')
  t.equal(await server.exited, 1)
  // Only the timeout's timer writes this line: the process waited for it, then gave up.
  t.match(server.stdout(), /requests still running after 1 s; exiting/)
})

t.test('a second signal during shutdown exits at once', async (t) => {
  const server = await serveCli(t, { DATABASE_PATH: ':memory:', SHUTDOWN_TIMEOUT: '60' })
  await holdRequest(t, server.url)
  server.child.kill('SIGTERM')
  await server.waitFor(/shutting down/)
  server.child.kill('SIGINT')
  t.equal(await server.exited, 1)
  const lines = server.stdout().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { msg: string, signal?: string })
  t.match(lines.find((line) => line.msg.startsWith('second signal')), { level: 40, signal: 'SIGINT', msg: 'second signal: exiting without waiting for requests in flight' })
  t.match(lines.find((line) => line.msg.startsWith('shutting down')), { level: 30, signal: 'SIGTERM' }, 'each line names its signal')
  t.notMatch(server.stdout(), /requests still running after/, 'before the shutdown timeout')
})

t.test('an uncaught exception or unhandled rejection is logged, the server closes, and the process exits 1', async (t) => {
  const preload = new URL('./tools/inject-fault.mjs', import.meta.url).href
  for (const [fault, message] of [['exception', 'an injected exception'], ['rejection', 'an injected rejection']] as const) {
    const server = await serveCli(t, { DATABASE_PATH: ':memory:', NODE_OPTIONS: `--import=${preload}`, LEANCORE_TEST_FAULT: fault })
    server.child.kill('SIGWINCH')
    t.equal(await server.exited, 1, fault)
    const logged = server.stdout().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>)
    t.match(logged.find((line) => line.msg === 'uncaught error: shutting down'), { level: 50, err: { message } }, `the ${fault} is logged`)
    t.ok(logged.some((line) => line.msg === 'leancore-mock stopped'), 'the server closed first')
  }
})
