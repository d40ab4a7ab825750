// Every bound a client can hit answers with a clear 4xx, over real HTTP (inject has no header limit).
import { once } from 'node:events'
import { connect } from 'node:net'
import t from 'tap'
import { generateLeads } from '../seed/generate.js'
import { startServer } from '../src/index.js'
import { EXAMPLE_ECOSYSTEM } from '../src/core/leads/schema.js'
import { ADMIN, ADMIN_TOKEN, AUTH, captureLogs, holdRequest, readResponse, sendRaw } from './helper.js'

t.test('the limits of a request, each with its own 4xx in the usual JSON shape', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())

  const longUrl = await fetch(`${mock.url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}&pad=${'x'.repeat(10_000)}`, { headers: AUTH })
  t.equal(longUrl.status, 414, 'a URL over 8 KiB')
  t.equal(longUrl.headers.get('x-content-type-options'), 'nosniff', 'with the security headers')
  t.match(await longUrl.json(), { statusCode: 414, error: 'URI Too Long' })

  const bigHeaders = await sendRaw(mock.port, `GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: ${'y'.repeat(20_000)}\r\n\r\n`)
  t.equal(bigHeaders.status, 431, 'headers over 16 KiB')
  t.same(JSON.parse(bigHeaders.body), { error: 'Request Header Fields Too Large', message: 'Exceeded maximum allowed HTTP header size', statusCode: 431 })
  t.match(bigHeaders.headers, { 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' },
    'with the headers of every other answer')

  const hugeUrl = await sendRaw(mock.port, `GET /lead?pad=${'z'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`)
  t.equal(hugeUrl.status, 431, 'a URL past the header limit counts as headers')

  const garbage = await sendRaw(mock.port, 'NOT AN HTTP REQUEST\r\n\r\n')
  t.equal(garbage.status, 400, 'bytes that are not HTTP')
  t.match(JSON.parse(garbage.body), { statusCode: 400, error: 'Bad Request' })

  const before = mock.leads.list().total
  const malformed = await fetch(`${mock.url}/__admin/leads`, { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body: '[{"id": "x", ' })
  t.equal(malformed.status, 400, 'a fixture body that is not JSON')
  t.match(await malformed.json(), { statusCode: 400, message: /not valid JSON/ })
  const tooBig = await fetch(`${mock.url}/__admin/leads`, { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body: `[${' '.repeat(33 * 1024 * 1024)}]` })
  t.equal(tooBig.status, 413, 'a fixture body over 32 MiB')
  t.equal(mock.leads.list().total, before, 'and neither wrote anything')

  const tokenBody = await fetch(`${mock.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `grant_type=${'g'.repeat(2 * 1024 * 1024)}` })
  t.equal(tokenBody.status, 413, 'a token request over 1 MiB')
  t.match(await tokenBody.json(), { error: 'invalid_request', error_description: /body/i })
})

t.test('REQUEST_TIMEOUT: a body sent too slowly gets a 408 naming the setting, and frees its connection', async (t) => {
  const mock = await startServer({ requestTimeout: 1 })
  t.after(() => mock.close())
  const socket = connect(mock.port, '127.0.0.1')
  t.after(() => socket.destroy())
  await once(socket, 'connect')
  const answer = readResponse(socket)
  // Headers, then one byte of a 29-byte body; the rest never comes.
  socket.write('POST /oauth2/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 29\r\n\r\ng')
  const response = await answer
  t.equal(response.status, 408)
  t.same(JSON.parse(response.body), { statusCode: 408, error: 'Request Timeout', message: 'the request did not arrive within REQUEST_TIMEOUT (1 s)' })
  await once(socket, 'close')
  t.pass('the server closed the connection')
})

t.test('MAX_CONNECTIONS: one connection more, while none is idle, gets a 429 naming the setting and is closed; the others go on', async (t) => {
  const mock = await startServer({ maxConnections: 2 })
  t.after(() => mock.close())
  // Two connections each in the middle of a request: neither is idle, so neither can make room.
  const first = await holdRequest(t, mock.url)
  const second = await holdRequest(t, mock.url)
  const third = connect(mock.port, '127.0.0.1')
  t.after(() => third.destroy())
  await once(third, 'connect')
  const answer = readResponse(third)
  third.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n')
  const refused = await answer
  t.equal(refused.status, 429)
  t.equal(refused.headers.connection, 'close')
  t.equal(refused.headers['retry-after'], '1')
  t.equal(refused.headers['cache-control'], 'no-store', 'with the security headers')
  t.same(JSON.parse(refused.body), {
    statusCode: 429,
    error: 'Too Many Requests',
    message: 'more than MAX_CONNECTIONS (2) connections are open; close some, or retry later'
  })
  await once(third, 'close')
  t.equal((await first.release()).status, 200, 'the requests within the cap complete')
  t.equal((await second.release()).status, 200)
})

t.test('scenario limits, per space and per token, each answer a clear error and keep what is stored', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN, maxScenarios: 4, maxScenariosPerToken: 2, maxScenarioBytes: 8192, maxScenarioBytesPerToken: 3000 })
  t.after(() => mock.close())
  const add = async (scenario: Record<string, unknown>) => await fetch(`${mock.url}/__admin/scenarios`, {
    method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body: JSON.stringify(scenario)
  })
  const failing = { respond: { status: 503 } }
  t.equal((await add(failing)).status, 201)
  t.equal((await add(failing)).status, 201)
  const perToken = await add(failing)
  t.equal(perToken.status, 409)
  t.same(await perToken.json(), {
    statusCode: 409,
    error: 'Conflict',
    message: 'one more of scenarios that name no token would pass MAX_SCENARIOS_PER_TOKEN (2); remove some first (DELETE /__admin/scenarios)'
  })
  t.equal((await add({ ...failing, match: { token: 'suite-a' } })).status, 201)
  t.equal((await add({ ...failing, match: { token: 'suite-b' } })).status, 201)
  const overall = await add({ ...failing, match: { token: 'suite-c' } })
  t.equal(overall.status, 409)
  t.match(await overall.json(), { message: 'one more scenario in this space would pass MAX_SCENARIOS (4); remove some first (DELETE /__admin/scenarios)' })

  for (const token of ['suite-a', 'suite-b']) {
    t.equal((await fetch(`${mock.url}/__admin/scenarios?token=${token}`, { method: 'DELETE', headers: ADMIN })).status, 200)
  }
  const big = { respond: { status: 200, body: 'x'.repeat(1500) }, match: { token: 'suite-d' } }
  t.equal((await add(big)).status, 201)
  const perTokenBytes = await add(big)
  t.equal(perTokenBytes.status, 409)
  t.match(await perTokenBytes.json(), { message: /^the total size of this token's scenarios would pass MAX_SCENARIO_BYTES_PER_TOKEN \(3000\)/ })
  const tooBig = await add({ respond: { status: 200, body: 'x'.repeat(3000) } })
  t.equal(tooBig.status, 413)
  t.match(await tooBig.json(), { message: /^the scenario takes \d+ bytes \(its JSON and 512 of bookkeeping\), over MAX_SCENARIO_BYTES_PER_TOKEN \(3000\)$/ })
  t.equal(mock.scenarios.list().length, 3, 'every refusal kept the scenarios already stored')

  const bytesMock = await startServer({ adminToken: ADMIN_TOKEN, maxScenarioBytes: 3000, maxScenarioBytesPerToken: 3000 })
  t.after(() => bytesMock.close())
  bytesMock.scenarios.add({ respond: { status: 200, body: 'x'.repeat(1500) }, match: { token: 'one' } })
  t.throws(() => bytesMock.scenarios.add({ respond: { status: 200, body: 'x'.repeat(1500) }, match: { token: 'two' } }), {
    statusCode: 409, message: /^the total size of this space's scenarios would pass MAX_SCENARIO_BYTES \(3000\)/
  }, 'the same limits through startServer')
})

t.test('a scenario body nested past 64 levels is a 400, before anything is stored', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())
  for (const depth of [65, 10_000]) {
    const response = await fetch(`${mock.url}/__admin/scenarios`, {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: `{"respond":{"status":200,"body":${'['.repeat(depth)}${']'.repeat(depth)}}}`
    })
    t.equal(response.status, 400, `${depth} levels`)
    t.match(await response.json(), { message: "a scenario's respond.body may nest at most 64 levels deep" })
  }
  t.same(mock.scenarios.list(), [])
})

t.test('CONNECT is a 405 in JSON, not a dropped connection', async (t) => {
  const logs = captureLogs()
  const mock = await startServer({ logLevel: 'debug' }, { logStream: logs.stream })
  t.after(() => mock.close())
  const response = await sendRaw(mock.port, `CONNECT 127.0.0.1:${mock.port} HTTP/1.1\r\nHost: 127.0.0.1:${mock.port}\r\n\r\n`)
  t.equal(response.status, 405)
  t.same(JSON.parse(response.body), { statusCode: 405, error: 'Method Not Allowed', message: 'CONNECT is not supported: this is not a proxy' })
  t.equal(response.headers['x-content-type-options'], 'nosniff')
  t.equal(response.headers.connection, 'close', 'and the connection is closed after it')
  t.match(logs.lines().filter((line) => line.statusCode === 405), [{ level: 20, msg: 'CONNECT refused' }], 'and logged at debug level')
})

t.test('a fixture body of exactly 32 MiB is accepted and written; one byte more is a 413 and writes nothing', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN, seed: 'none' })
  t.after(() => mock.close())
  const LIMIT = 32 * 1024 * 1024
  const leads = JSON.stringify([...generateLeads([{ id: EXAMPLE_ECOSYSTEM, size: 2000 }], 3)])
  const padded = (bytes: number): string => `${leads.slice(0, -1)}${' '.repeat(bytes - Buffer.byteLength(leads))}]`
  const send = async (body: string): Promise<number> => (await fetch(`${mock.url}/__admin/leads`, {
    method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body
  })).status
  t.equal(await send(padded(LIMIT + 1)), 413, 'one byte over 32 MiB')
  t.equal(mock.leads.list().total, 0, 'wrote nothing')
  t.equal(await send(padded(LIMIT)), 201, 'exactly 32 MiB')
  t.equal(mock.leads.list().total, 2000, 'and wrote it all')
})
