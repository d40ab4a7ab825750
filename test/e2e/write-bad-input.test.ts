// What a client can send to the write routes, written to a real socket as an attacker would: each
// bad body is a 4xx JSON error naming what is wrong, never a 5xx, and nothing is half-written.
import { once } from 'node:events'
import { connect } from 'node:net'
import t from 'tap'
import { DEV_TOKEN } from '../../src/core/config.js'
import { startServer, type MockServer } from '../../src/index.js'
import { readResponse, sendRaw } from '../helper.js'

const ECOSYSTEM = '5d1e7b2a-8c3f-4e6d-9a0b-1c2d3e4f5a6b'
const LEAD = { name: 'Ana', nit: '1094123456', phone: '573001234567', email: 'ana@example.co', ecosystem: ECOSYSTEM }

function request (path: string, body: Buffer | string, headers = `Authorization: Bearer ${DEV_TOKEN}\r\nContent-Type: application/json\r\n`): Buffer {
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8')
  return Buffer.concat([Buffer.from(`POST ${path} HTTP/1.1\r\nHost: localhost\r\n${headers}Content-Length: ${payload.length}\r\nConnection: close\r\n\r\n`, 'latin1'), payload])
}

async function leadsOf (mock: MockServer): Promise<number> {
  return mock.leads.list({ limit: 1 }).total
}

t.test('bad bodies get a 400 naming what is wrong, on both write routes; nothing is written', async (t) => {
  const mock = await startServer({ seed: 'none' })
  t.after(() => mock.close())
  const existing = (await (await fetch(`${mock.url}/create-lead`, { method: 'POST', headers: { authorization: `Bearer ${DEV_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...LEAD, nit: '1', phone: '573000000001' }) })).json()) as { id: string }
  const deep = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`
  const cases: Array<[string, Buffer | string, number, RegExp]> = [
    ['/create-lead', '{"name": "Ana",', 400, /^the body is not valid JSON: /],
    ['/create-lead', 'not json at all', 400, /^the body is not valid JSON: /],
    ['/update-lead', '{"id": ', 400, /^the body is not valid JSON: /],
    ['/create-lead', '[1, 2]', 400, /^create-lead: expected one lead as a JSON object, got an array/],
    ['/create-lead', '"x"', 400, /^create-lead: expected one lead as a JSON object, got string$/],
    ['/update-lead', 'true', 400, /^update-lead: expected a JSON object with the lead's id, got boolean$/],
    ['/create-lead', JSON.stringify({ ...LEAD, quota: 'mucho' }), 400, /^create-lead: field quota: expected number$/],
    ['/update-lead', JSON.stringify({ id: existing.id, score: [] }), 400, /^update-lead: field score: expected a number or null$/],
    ['/create-lead', `{"name":"Ana","nit":"1","phone":"573001234567","email":"a@b.co","ecosystem":"${ECOSYSTEM}","history":${deep(100_000)}}`, 400, /^create-lead: field history: nested deeper than 64 levels$/],
    ['/update-lead', `{"id":"${existing.id}","additional_data":{"a":${deep(65)}}}`, 400, /^update-lead: field additional_data: nested deeper than 64 levels$/],
    ['/create-lead', Buffer.concat([Buffer.from('{"name":"An'), Buffer.from([0xff, 0xfe]), Buffer.from(`a","nit":"2","phone":"573001234567","email":"a@b.co","ecosystem":"${ECOSYSTEM}"}`)]), 400, /^body\/name is not valid UTF-8/],
    ['/update-lead', Buffer.concat([Buffer.from(`{"id":"${existing.id}","additional_data":{"variables":[{"label":"`), Buffer.from([0xc3, 0x28]), Buffer.from('"}]}}')]), 400, /^body\/additional_data\/variables\/0\/label is not valid UTF-8/],
    ['/create-lead', Buffer.concat([Buffer.from('{"na'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('me":"x"}')]), 400, /^a key of body is not valid UTF-8/],
    ['/create-lead', Buffer.from([0x7b, 0xc0, 0xaf, 0x7d]), 400, /^the body is not valid UTF-8/],
    ['/create-lead', JSON.stringify({ ...LEAD, name: 'x' }).replace('"x"', '"\\ud800"'), 400, /^create-lead: field name: not well-formed Unicode/],
    ['/create-lead', `{"__proto__":{"admin":true},${JSON.stringify(LEAD).slice(1)}`, 400, /^the body is not valid JSON: Object contains forbidden prototype property$/],
    ['/update-lead', `{"id":"${existing.id}","constructor":{"prototype":{"x":1}}}`, 400, /^the body is not valid JSON: Object contains forbidden prototype property$/],
    ['/create-lead?bulk-load=true', JSON.stringify([{ ...LEAD, nit: '3', phone: '573000000003' }, { ...LEAD, nit: '4', phone: '573000000004' }, { ...LEAD, email: null }]), 400, /^create-lead\?bulk-load=true: lead 2: field email: expected string$/],
    ['/update-lead', Buffer.alloc(1024 * 1024 + 1, 0x20), 413, /^Request body is too large$/]
  ]
  for (const [path, body, status, message] of cases) {
    const response = await sendRaw(mock.port, request(path, body))
    t.equal(response.status, status, `${path}: ${String(message)}`)
    t.match(response.headers['content-type'], /^application\/json/)
    t.match(JSON.parse(response.body), { statusCode: status, message })
  }
  t.equal(await leadsOf(mock), 1, 'nothing was written, not even the good leads of the refused bulk load')
  t.same(mock.leads.list().leads[0]?.name, 'Ana', 'and the lead that existed is unchanged')
})

t.test('a bulk load over 32 MiB is a 413', async (t) => {
  const mock = await startServer({ seed: 'none' })
  t.after(() => mock.close())
  // Refused on its Content-Length, before a byte of it is read: the server may close while a client still writes.
  const socket = connect(mock.port, '127.0.0.1')
  t.after(() => socket.destroy())
  socket.on('error', () => {})
  await once(socket, 'connect')
  const answer = readResponse(socket)
  socket.write(`POST /create-lead?bulk-load=true HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${DEV_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: ${32 * 1024 * 1024 + 1}\r\n\r\n[`)
  const response = await answer
  t.equal(response.status, 413)
  t.equal(JSON.parse(response.body).message, 'Request body is too large')
  t.equal(await leadsOf(mock), 0)
})

t.test('without a valid token, a write is a 401 before its body is read, and writes nothing', async (t) => {
  const mock = await startServer({ seed: 'none' })
  t.after(() => mock.close())
  for (const path of ['/create-lead', '/update-lead', '/create-lead?bulk-load=true']) {
    for (const authorization of ['', 'Authorization: Bearer wrong\r\n', 'Authorization: Basic bGVhbmNvcmU6eA==\r\n']) {
      // The headers announce 10 MB; only a few bytes follow. The answer must not wait for the rest.
      const socket = connect(mock.port, '127.0.0.1')
      t.after(() => socket.destroy())
      await once(socket, 'connect')
      const answer = readResponse(socket)
      socket.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\n${authorization}Content-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{"name":`)
      const response = await answer
      t.equal(response.status, 401, `${path} ${authorization.trim() || 'no Authorization'}`)
      t.equal(JSON.parse(response.body).statusCode, 401)
      socket.destroy()
    }
    const whole = await sendRaw(mock.port, request(path, JSON.stringify(path.includes('bulk') ? [LEAD] : LEAD), 'Content-Type: application/json\r\n'))
    t.equal(whole.status, 401, `${path}: a whole, valid body without a token`)
  }
  t.equal(await leadsOf(mock), 0, 'nothing was written')
  t.same(mock.journal.entries().map((entry) => entry.status), Array(12).fill(401), 'each refusal is journaled as a 401')
})
