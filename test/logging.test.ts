import t from 'tap'
import { EXAMPLE_ECOSYSTEM } from '../src/leads/schema.js'
import { build, captureLogs } from './helper.js'

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
  t.ok(logs.lines().length >= 9, 'every request was logged')
  t.notMatch(logs.text(), TOKEN)
  t.notMatch(logs.text(), /"(authorization|headers|cookie|x-api-key)"/i, 'no header is logged')
  t.notMatch(logs.text(), /Bearer|Basic /)
  t.match(logs.text(), /\[redacted\]/, 'where a client put it in a URL, it shows as [redacted]')
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
  const issued = app.fixture.issuer.issue().access_token
  await app.inject({ method: 'GET', url: `/lead/${issued}`, headers: { authorization: `Bearer ${issued}` } })
  t.notMatch(logs.text(), issued)
  t.match(logs.text(), '/lead/[redacted]')
})

t.test('a short token is not scrubbed from free text, but headers still never reach the log', async (t) => {
  const logs = captureLogs()
  const app = await build(t, { tokens: ['abc'], logLevel: 'trace' }, { logs })
  await app.inject({ method: 'GET', url: '/lead/abc-path', headers: { authorization: 'Bearer abc' } })
  t.match(logs.text(), '/lead/abc-path', 'ordinary text that happens to contain it stays readable')
  t.notMatch(logs.text(), 'Bearer abc')
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
