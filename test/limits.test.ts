// Every bound a client can hit answers with a clear 4xx, over real HTTP (inject has no header limit).
import { once } from 'node:events'
import { connect } from 'node:net'
import t from 'tap'
import { startServer, type MockServer } from '../src/index.js'
import { EXAMPLE_ECOSYSTEM } from '../src/leads/schema.js'
import { ADMIN, ADMIN_TOKEN, AUTH } from './helper.js'

/** Sends raw bytes and returns the status line and the body of the answer. */
async function raw (mock: MockServer, head: string): Promise<{ status: number, body: string }> {
  const socket = connect(mock.port, '127.0.0.1')
  await once(socket, 'connect')
  socket.end(head)
  let text = ''
  socket.setEncoding('utf8').on('data', (chunk: string) => { text += chunk })
  await once(socket, 'close')
  const [top = '', body = ''] = text.split('\r\n\r\n')
  return { status: Number(top.split(' ')[1]), body }
}

t.test('the limits of a request, each with its own 4xx in the usual JSON shape', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())

  const longUrl = await fetch(`${mock.url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}&pad=${'x'.repeat(10_000)}`, { headers: AUTH })
  t.equal(longUrl.status, 414, 'a URL over 8 KiB')
  t.match(await longUrl.json(), { statusCode: 414, error: 'URI Too Long' })

  const bigHeaders = await raw(mock, `GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: ${'y'.repeat(20_000)}\r\n\r\n`)
  t.equal(bigHeaders.status, 431, 'headers over 16 KiB')
  t.same(JSON.parse(bigHeaders.body), { error: 'Request Header Fields Too Large', message: 'Exceeded maximum allowed HTTP header size', statusCode: 431 })

  const hugeUrl = await raw(mock, `GET /lead?pad=${'z'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`)
  t.equal(hugeUrl.status, 431, 'a URL past the header limit counts as headers')

  const garbage = await raw(mock, 'NOT AN HTTP REQUEST\r\n\r\n')
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
