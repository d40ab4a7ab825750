// The promises of SECURITY.md that only a real socket can show: bytes exactly as an attacker
// writes them, without the path normalisation `app.inject` does before routing.
import t from 'tap'
import { DEV_TOKEN } from '../src/core/config.js'
import { startServer } from '../src/index.js'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE } from '../src/core/leads/schema.js'
import { ADMIN, ADMIN_TOKEN, sendRaw } from './helper.js'

// Every spelling of "up from /docs (or /openapi.json), then to a protected route". Each is a 404,
// except overlong UTF-8, which is no URL at all: a 400.
const ESCAPES = [
  `/docs/%2e%2e/lead?phone=${EXAMPLE_PHONE}`,
  `/docs/../lead?ecosystem=${EXAMPLE_ECOSYSTEM}`,
  '/docs/../__admin/journal',
  '/docs/../__admin/leads',
  '/docs/../__admin/scenarios',
  '/docs/../__admin/reset',
  `/docs/%2E%2E/lead?phone=${EXAMPLE_PHONE}`,
  `/docs/.%2e/lead?phone=${EXAMPLE_PHONE}`,
  `/docs/%2e./lead?phone=${EXAMPLE_PHONE}`,
  `/docs/%252e%252e/lead?phone=${EXAMPLE_PHONE}`,
  '/docs/..%2f__admin/journal',
  '/docs/..%2F__admin/journal',
  '/docs/..%5c__admin/journal',
  '/docs/..\\__admin/journal',
  '/docs//../__admin/journal',
  '/docs/;x=1/../__admin/journal',
  '/docs/..;/__admin/journal',
  '/docs/%2e%2e;/__admin/journal',
  '/docs/static/../../__admin/journal',
  '/docs/static/%2e%2e/%2e%2e/__admin/leads?offset=100000000000000000000',
  '/docs/%c0%ae%c0%ae/__admin/journal',
  '/docs/./../__admin/journal',
  '/openapi.json/../lead',
  '/openapi.json/%2e%2e/__admin/journal'
]
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH']

t.test('/docs and /openapi.json serve documentation only: no escape reaches a protected route, with any method', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())
  const leads = mock.leads.list().total
  for (const path of ESCAPES) {
    for (const method of METHODS) {
      for (const authorization of ['', `Authorization: Bearer ${DEV_TOKEN}\r\n`]) {
        const response = await sendRaw(mock.port, `${method} ${path} HTTP/1.1\r\nHost: localhost\r\n${authorization}` +
          `${method === 'GET' || method === 'HEAD' ? '' : 'Content-Type: application/json\r\nContent-Length: 2\r\n'}Connection: close\r\n\r\n` +
          `${method === 'GET' || method === 'HEAD' ? '' : '[]'}`)
        const what = `${method} ${path}${authorization === '' ? '' : ' with the API token'}`
        const expected = path.includes('%c0') ? 400 : 404
        t.equal(response.status, expected, what)
        if (method !== 'HEAD') t.equal(JSON.parse(response.body).statusCode, expected, `${what}: a JSON ${expected}`)
      }
    }
  }
  t.same(mock.journal.entries(), [], 'none of them reached GET /lead')
  t.equal(mock.leads.list().total, leads, 'nor deleted or reset a lead')
  t.same(mock.scenarios.list(), [], 'nor added a scenario')
})

t.test('the documentation itself is still served', async (t) => {
  const mock = await startServer()
  t.after(() => mock.close())
  for (const path of ['/docs', '/docs/', '/docs/static/swagger-ui.css', '/docs/static/swagger-initializer.js', '/docs/json']) {
    const response = await sendRaw(mock.port, `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`)
    t.equal(response.status, 200, path)
  }
  const redirect = await sendRaw(mock.port, 'GET /docs/static/index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')
  t.equal(redirect.status, 302)
  t.equal(redirect.headers.location, '/docs/')
})

t.test('X-Forwarded-* is not trusted: it changes no answer and opens nothing', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())
  const forwarded = 'X-Forwarded-For: 127.0.0.1\r\nX-Forwarded-Host: evil.example\r\nX-Forwarded-Proto: https\r\n' +
    'X-Forwarded-Prefix: /evil\r\nX-Real-IP: 127.0.0.1\r\nForwarded: for=127.0.0.1;host=evil.example;proto=https\r\n'
  for (const path of ['/docs/static/index.html', `/lead?phone=${EXAMPLE_PHONE}`, '/__admin/journal', '/health']) {
    const plain = await sendRaw(mock.port, `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`)
    const spoofed = await sendRaw(mock.port, `GET ${path} HTTP/1.1\r\nHost: localhost\r\n${forwarded}Connection: close\r\n\r\n`)
    t.equal(spoofed.status, plain.status, `${path}: the same status`)
    t.equal(spoofed.body, plain.body, `${path}: the same body`)
    t.same({ ...spoofed.headers, date: '' }, { ...plain.headers, date: '' }, `${path}: the same headers`)
    t.notMatch(JSON.stringify(spoofed), /evil/, `${path}: nothing forwarded shows up`)
  }
  const lead = await sendRaw(mock.port, `GET /lead?phone=${EXAMPLE_PHONE} HTTP/1.1\r\nHost: localhost\r\n${forwarded}Connection: close\r\n\r\n`)
  t.equal(lead.status, 401, 'a request "from 127.0.0.1" still needs its token')
})

t.test('the journal holds fingerprints, never a token, whatever a client sent over the wire', async (t) => {
  // '/' and '+' are percent-encoded in a URL: a client may send the token encoded once or twice.
  const secret = 'Wire/Token+9f8e7d6c5b4a'
  const mock = await startServer({ adminToken: ADMIN_TOKEN, tokens: [secret] })
  t.after(() => mock.close())
  const requests = [
    `GET /lead?ecosystem=${EXAMPLE_ECOSYSTEM} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${secret}\r\nConnection: close\r\n\r\n`,
    `GET /lead?phone=${EXAMPLE_PHONE}&access_token=${secret}&note=${encodeURIComponent(secret)} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${secret}\r\nConnection: close\r\n\r\n`,
    `GET /lead?token=${encodeURIComponent(encodeURIComponent(secret))}&note=100%25 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${secret}x\r\nConnection: close\r\n\r\n`,
    `POST /oauth2/token?client_secret=${secret} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${secret.length + 10}\r\nConnection: close\r\n\r\nclient_id=${secret}`
  ]
  for (const request of requests) await sendRaw(mock.port, request)
  const journal = await sendRaw(mock.port, `GET /__admin/journal HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${ADMIN.authorization}\r\nConnection: close\r\n\r\n`)
  t.equal(journal.status, 200)
  const { entries } = JSON.parse(journal.body) as { entries: Array<{ token: string | null }> }
  t.equal(entries.length, requests.length, 'every request is in the journal')
  t.match(entries[0], { token: /^sha256:[0-9a-f]{12}$/ })
  for (const shown of [secret, encodeURIComponent(secret), secret.replace('+', ' ')]) {
    t.notMatch(journal.body, shown.slice(0, 8), 'and not even the start of the token, however encoded')
    t.notMatch(journal.body, shown.slice(-8), 'nor its end')
  }
  t.match(entries[2], { query: { token: '[redacted]', note: '100%' } }, 'a value with an innocent % is shown as sent')
})
