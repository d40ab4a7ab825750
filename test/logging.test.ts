import t from 'tap'
import { EXAMPLE_ECOSYSTEM } from '../src/core/leads/schema.js'
import { startServer } from '../src/index.js'
import { build, captureLogs, sendRaw } from './helper.js'

const TOKEN = 'team-token-7Hq2'

t.test('one JSON line per request: method, path, allowed query values, status, duration', async (t) => {
  const logs = captureLogs()
  const app = await build(t, { tokens: [TOKEN] }, { logs })
  await app.inject({ method: 'GET', url: `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}&note=private`, headers: { authorization: `Bearer ${TOKEN}` } })
  const lines = logs.lines().filter((line) => line.msg === 'request')
  t.equal(lines.length, 1)
  t.match(lines[0], { method: 'GET', path: '/lead', ecosystem: EXAMPLE_ECOSYSTEM, statusCode: 200, ms: Number, reqId: String })
  t.notMatch(logs.text(), 'private', 'other query values stay out of the log')
})

t.test('the duration is in milliseconds, to a hundredth', async (t) => {
  const logs = captureLogs()
  const app = await build(t, { tokens: [TOKEN] }, { logs })
  app.fixture.scenarios.add({ match: { ecosystem: EXAMPLE_ECOSYSTEM }, delayMs: 50, times: 1 })
  const sent = performance.now()
  await app.inject({ method: 'GET', url: `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, headers: { authorization: `Bearer ${TOKEN}` } })
  const took = performance.now() - sent
  const { ms } = logs.lines().find((line) => line.msg === 'request') as { ms: number }
  t.match(String(ms), /^\d+(\.\d{1,2})?$/, 'two decimals at most')
  t.ok(ms >= 50 && ms <= took + 1, `${ms} ms: the scenario's 50 ms delay, within the ${took.toFixed(2)} ms the test waited`)
})

t.test('the token never reaches the log, wherever the client puts it', async (t) => {
  const logs = captureLogs()
  const app = await build(t, { tokens: [TOKEN], logLevel: 'trace' }, { logs })
  const bearer = { authorization: `Bearer ${TOKEN}` }
  await app.inject({ method: 'GET', url: `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, headers: bearer })
  await app.inject({ method: 'GET', url: '/lead?ecosystem=bad', headers: bearer })
  await app.inject({ method: 'GET', url: `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, headers: { authorization: `Basic ${TOKEN}` } })
  await app.inject({ method: 'GET', url: `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, headers: { authorization: `Bearer ${TOKEN}x` } })
  await app.inject({ method: 'GET', url: `/lead/${TOKEN}`, headers: bearer })
  await app.inject({ method: 'GET', url: `/lead/${encodeURIComponent(TOKEN).replace('7', '%37')}` })
  await app.inject({ method: 'GET', url: `/lead?access_token=${TOKEN}&ecosystem=${TOKEN}`, headers: { 'x-api-key': TOKEN, cookie: `token=${TOKEN}` } })
  await app.inject({ method: 'GET', url: `/lead?phone=${TOKEN}`, headers: bearer })
  await app.inject({ method: 'POST', url: '/lead', headers: { ...bearer, 'content-type': 'application/json' }, payload: `{"token":"${TOKEN}"` })
  // Every line, exactly, but for what changes from run to run (time, process, duration).
  const lines = logs.lines().map(({ time, pid, hostname, ms, ...line }) => line)
  const request = (reqId: string, fields: Record<string, unknown>): Record<string, unknown> => ({ level: 30, reqId, method: 'GET', path: '/lead', ...fields, msg: 'request' })
  t.same(lines, [
    request('req-1', { ecosystem: EXAMPLE_ECOSYSTEM, statusCode: 200 }),
    { level: 20, reqId: 'req-2', statusCode: 400, code: 'FST_ERR_VALIDATION', msg: `querystring/ecosystem must be a UUID, like ${EXAMPLE_ECOSYSTEM}` },
    request('req-2', { ecosystem: 'bad', statusCode: 400 }),
    { level: 20, reqId: 'req-3', msg: 'unauthorized: invalid authorization header' },
    request('req-3', { ecosystem: EXAMPLE_ECOSYSTEM, statusCode: 401 }),
    { level: 20, reqId: 'req-4', msg: 'unauthorized: invalid authorization header' },
    request('req-4', { ecosystem: EXAMPLE_ECOSYSTEM, statusCode: 401 }),
    request('req-5', { path: '/lead/[redacted]', statusCode: 404 }),
    request('req-6', { path: '/lead/[redacted]', statusCode: 404 }),
    { level: 20, reqId: 'req-7', msg: 'unauthorized: missing authorization header' },
    request('req-7', { ecosystem: '[redacted]', statusCode: 401 }),
    { level: 20, reqId: 'req-8', statusCode: 400, code: 'FST_ERR_VALIDATION', msg: 'querystring/phone must be 7 to 15 digits, country code first, like 573136434030' },
    request('req-8', { phone: '[redacted]', statusCode: 400 }),
    { level: 20, reqId: 'req-9', statusCode: 400, msg: 'the body is not valid JSON: Expected \',\' or \'}\' after property value in JSON at position 26' },
    request('req-9', { method: 'POST', statusCode: 400 })
  ], 'one line per request, and a debug line per refusal: no header, no body, no token')
  t.notMatch(logs.text(), TOKEN)
})

t.test('the admin token and OAuth client secrets are scrubbed too', async (t) => {
  const logs = captureLogs()
  const app = await build(t, { adminToken: 'admin-secret-42', oauthClients: 'app:client-secret-42' }, { logs })
  await app.inject({ method: 'GET', url: '/x/admin-secret-42/client-secret-42' })
  t.match(logs.text(), '/x/[redacted]/[redacted]')
})

t.test('a token issued by /oauth2/token is scrubbed too', async (t) => {
  const logs = captureLogs()
  const app = await build(t, {}, { logs })
  const issued = app.fixture.issueToken().access_token
  await app.inject({ method: 'GET', url: `/lead/${issued}`, headers: { authorization: `Bearer ${issued}` } })
  t.notMatch(logs.text(), issued)
  t.match(logs.text(), '/lead/[redacted]')
})

t.test('a short token is not scrubbed from free text, but headers still never reach the log', async (t) => {
  const logs = captureLogs()
  const app = await build(t, { tokens: ['abc'], logLevel: 'trace' }, { logs })
  await app.inject({ method: 'GET', url: '/lead/abc-path', headers: { authorization: 'Bearer abc' } })
  const lines = logs.lines().map(({ time, pid, hostname, ms, ...line }) => line)
  t.same(lines, [{ level: 30, reqId: 'req-1', method: 'GET', path: '/lead/abc-path', statusCode: 404, msg: 'request' }],
    'ordinary text that happens to contain it stays readable, and the line holds nothing of the request\'s headers')
})

t.test('a path with a broken percent-encoding is a 400 in the usual shape, logged as sent', async (t) => {
  const logs = captureLogs()
  const app = await build(t, {}, { logs })
  const response = await app.inject({ method: 'GET', url: '/lead%E0%A4%A' })
  t.equal(response.statusCode, 400)
  t.same(response.json(), { statusCode: 400, error: 'Bad Request', message: "'/lead%E0%A4%A' is not a valid url component" })
  t.equal(response.headers['x-content-type-options'], 'nosniff')
  t.match(logs.lines().find((line) => line.msg === 'request'), { path: '/lead%E0%A4%A', statusCode: 400 })
})

/** The first piece of `secret`, five characters or longer, that `text` holds; undefined when none. */
function pieceOf (secret: string, text: string): string | undefined {
  for (let length = secret.length; length >= 5; length--) {
    for (let start = 0; start + length <= secret.length; start++) {
      const piece = secret.slice(start, start + length)
      if (text.includes(piece)) return piece
    }
  }
  return undefined
}

/** Byte arrays in a log line (how a Buffer serializes), decoded: where raw request bytes would hide. */
function decodedByteArrays (text: string): string {
  return [...text.matchAll(/\[(\d{1,3}(?:,\d{1,3}){8,})\]/g)].map(([, list]) => Buffer.from((list as string).split(',').map(Number)).toString('latin1')).join('\n')
}

t.test('at trace level, bytes that never became a request are logged without them: no token, whole or in part', async (t) => {
  const token = 'tR4-Zq8xW3vK9pLm2Tn7'
  const logs = captureLogs()
  const mock = await startServer({ tokens: [token], logLevel: 'trace' }, { logStream: logs.stream })
  t.after(() => mock.close())
  const head = `GET /lead?ecosystem=${EXAMPLE_ECOSYSTEM} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\n`
  const overflow = await sendRaw(mock.port, `${head}X-Padding: ${'y'.repeat(20_000)}\r\n\r\n`)
  t.equal(overflow.status, 431)
  const invalidName = await sendRaw(mock.port, `${head}Bad Header: x\r\n\r\n`)
  t.equal(invalidName.status, 400)
  t.same(JSON.parse(invalidName.body), { statusCode: 400, error: 'Bad Request', message: 'not a valid HTTP request (HPE_INVALID_HEADER_TOKEN)' })
  const invalidValue = await sendRaw(mock.port, `${head}X-Test: a\u0001b\r\n\r\n`)
  t.equal(invalidValue.status, 400)
  const clientErrors = logs.lines().filter((line) => line.msg === 'client error')
  t.same(clientErrors.map(({ code, statusCode }) => ({ code, statusCode })), [
    { code: 'HPE_HEADER_OVERFLOW', statusCode: 431 },
    { code: 'HPE_INVALID_HEADER_TOKEN', statusCode: 400 },
    { code: 'HPE_INVALID_HEADER_TOKEN', statusCode: 400 }
  ], 'each is logged by its code')
  t.equal(pieceOf(token, logs.text()), undefined, 'no piece of the token in the log')
  t.equal(pieceOf(token, decodedByteArrays(logs.text())), undefined, 'nor in a byte array')
  t.notMatch(logs.text(), /rawPacket/)
})

t.test('a secret straddling the 256-character cut of the log or the journal never survives in part', async (t) => {
  const secrets = { api: 'aP1-Zq8xW3vK9pLmXc', admin: 'aD2-Rt5yU7iO0pAsVb', client: 'cS3-Df4gH6jK8lQwEr' }
  const logs = captureLogs()
  const mock = await startServer({ tokens: [secrets.api], adminToken: secrets.admin, oauthClients: `app:${secrets.client}`, logLevel: 'trace' },
    { logStream: logs.stream })
  t.after(() => mock.close())
  const issued = mock.issueToken().access_token
  for (const secret of [...Object.values(secrets), issued]) {
    // Every position where the secret starts before the cut and ends after it.
    for (let start = 256 - secret.length + 1; start < 256; start++) {
      const path = `/lead/${'y'.repeat(start - '/lead/'.length)}${secret}`
      t.equal((await sendRaw(mock.port, `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`)).status, 404)
      const query = `ecosystem=${EXAMPLE_ECOSYSTEM}&note=${'x'.repeat(start)}${secret}`
      t.equal((await sendRaw(mock.port, `GET /lead?${query} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`)).status, 401)
    }
  }
  const journal = JSON.stringify(mock.journal.entries())
  t.match(journal, /x{200}\[redacted\]/, 'the journal shows where a secret was')
  t.match(logs.text(), /y{200}\[redacted\]/, 'and so does the log')
  for (const [name, secret] of [...Object.entries(secrets), ['issued', issued]] as Array<[string, string]>) {
    t.equal(pieceOf(secret, logs.text()), undefined, `no piece of the ${name} secret in the log`)
    t.equal(pieceOf(secret, journal), undefined, 'nor in the journal')
  }
})

t.test('the log shows a path of up to 256 characters whole, and the first 256 of a longer one', async (t) => {
  const logs = captureLogs()
  const mock = await startServer({ logLevel: 'info' }, { logStream: logs.stream })
  t.after(() => mock.close())
  const paths = [256, 257, 5000].map((length) => `/lead/${'y'.repeat(length - '/lead/'.length - 1)}z`)
  for (const path of paths) {
    t.equal((await sendRaw(mock.port, `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`)).status, 404)
  }
  const logged = logs.lines().filter((line) => line.msg === 'request').map((line) => line.path as string)
  t.same(logged, [paths[0], paths[1]?.slice(0, 256), paths[2]?.slice(0, 256)])
})

t.test('a secret encoded once or twice, alone or next to a plain one, is scrubbed from every log field and the journal', async (t) => {
  const secrets = { api: 'aP1-Zq8xW3vK9pLmXc', admin: 'aD2-Rt5yU7iO0pAsVb' }
  const logs = captureLogs()
  const mock = await startServer({ tokens: [secrets.api], adminToken: secrets.admin, logLevel: 'trace' }, { logStream: logs.stream })
  t.after(() => mock.close())
  const issued = mock.issueToken().access_token
  const once = (text: string): string => [...text].map((character) => `%${character.charCodeAt(0).toString(16)}`).join('')
  const twice = (text: string): string => once(text).replaceAll('%', '%25')
  const admin = `Authorization: Bearer ${secrets.admin}\r\n`
  const requests = [
    `GET /lead?ecosystem=${twice(secrets.admin)} HTTP/1.1\r\n`,
    `GET /lead?phone=${twice(secrets.api)} HTTP/1.1\r\n`,
    `GET /nothing?ecosystem=${once(secrets.api)}&phone=${twice(issued)} HTTP/1.1\r\n`,
    `GET /lead?x=${secrets.api}%2520${twice(secrets.admin)}&ecosystem=${EXAMPLE_ECOSYSTEM} HTTP/1.1\r\n`,
    `GET /${secrets.api}/${twice(secrets.admin)}/${issued.replace('_', '%255F')} HTTP/1.1\r\n`,
    `DELETE /__admin/leads/${twice(secrets.api)} HTTP/1.1\r\n${admin}`,
    `DELETE /__admin/scenarios/${twice(secrets.api)} HTTP/1.1\r\n${admin}`,
    `GET /__admin/leads?ecosystem=${twice(secrets.api)} HTTP/1.1\r\n${admin}`
  ]
  for (const head of requests) await sendRaw(mock.port, `${head}Host: localhost\r\nConnection: close\r\n\r\n`)
  const body = (json: string): string => `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`
  await sendRaw(mock.port, `POST /__admin/scenarios HTTP/1.1\r\nHost: localhost\r\n${admin}${body(`{"match":{"${once(secrets.api)}":1}}`)}`)
  await sendRaw(mock.port, `POST /__admin/leads HTTP/1.1\r\nHost: localhost\r\n${admin}${body(`[{"id":"${once(secrets.api)}"}]`)}`)
  t.equal(logs.lines().filter((line) => line.msg === 'request').length, requests.length + 2, 'every request was logged')
  t.ok(logs.lines().some((line) => line.level === 20 && /\[redacted\]/.test(String(line.msg))), 'error messages at debug level included')
  const journal = JSON.stringify(mock.journal.entries())
  t.match(journal, '[redacted]%20[redacted]', 'a plain secret next to an encoded one: both go')
  for (const [name, secret] of [...Object.entries(secrets), ['issued', issued]] as Array<[string, string]>) {
    for (const shown of [secret, once(secret), twice(secret)]) {
      t.equal(pieceOf(shown, logs.text()), undefined, `no piece of the ${name} secret, as sent, in the log`)
      t.equal(pieceOf(shown, journal), undefined, 'nor in the journal')
    }
  }
  t.notMatch(logs.text(), secrets.api.slice(4, 12), 'nor its middle, decoded')
})

t.test('a secret with a quote, a backslash or a plus is scrubbed in the forms a JSON log line and a form give it', async (t) => {
  const secret = 'sQ"u0\\te+pL9x'
  const logs = captureLogs()
  const mock = await startServer({ oauthClients: [{ id: 'app', secret }], logLevel: 'trace' }, { logStream: logs.stream })
  t.after(() => mock.close())
  const twice = encodeURIComponent(encodeURIComponent(secret))
  for (const path of [`/x/${encodeURIComponent(secret)}`, `/y/${twice}`, `/z/${encodeURIComponent(secret.replace('+', ' '))}`]) {
    await sendRaw(mock.port, `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`)
  }
  const paths = logs.lines().filter((line) => line.msg === 'request').map((line) => line.path)
  t.same(paths, ['/x/[redacted]', '/y/[redacted]', '/z/[redacted]'])
  for (const shown of [secret, JSON.stringify(secret).slice(1, -1), twice]) t.equal(pieceOf(shown, logs.text()), undefined, shown)
})
