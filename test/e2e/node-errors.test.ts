// Answers Node's HTTP server would write itself, empty and without the security headers: no Host
// on HTTP/1.1, an Expect it does not know. Here they are JSON like every other answer.
import t from 'tap'
import { startServer } from '../../src/index.js'
import { sendRaw } from '../helper.js'

t.test('no Host header and an unknown Expect get the JSON error body and the security headers', async (t) => {
  const mock = await startServer()
  t.after(() => mock.close())
  const cases: Array<[string, number, string]> = [
    ['GET /health HTTP/1.1\r\nConnection: close\r\n\r\n', 400, 'missing Host header; HTTP/1.1 asks for one'],
    ['GET /lead?phone=573136434030 HTTP/1.1\r\nAuthorization: Bearer leancore-dev-token\r\nConnection: close\r\n\r\n', 400, 'missing Host header; HTTP/1.1 asks for one'],
    ['GET /health HTTP/1.1\r\nHost: x\r\nExpect: nonsense\r\nConnection: close\r\n\r\n', 417, 'the Expect header asks for what this server does not do; send Expect: 100-continue, or none'],
    ['POST /oauth2/token HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello', 417, 'the Expect header asks for what this server does not do; send Expect: 100-continue, or none']
  ]
  for (const [request, status, message] of cases) {
    const response = await sendRaw(mock.port, request)
    t.equal(response.status, status, request.split('\r\n')[0] as string)
    t.same(JSON.parse(response.body), { statusCode: status, error: status === 400 ? 'Bad Request' : 'Expectation Failed', message })
    t.match(response.headers, {
      'content-type': 'application/json; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'x-frame-options': 'DENY'
    })
  }
  t.equal((await sendRaw(mock.port, 'GET /health HTTP/1.0\r\n\r\n')).status, 200, 'HTTP/1.0 asks for no Host')
  t.same(mock.journal.entries().map((entry) => entry.status), [400], 'the /lead request without a Host is journaled as the 400 it got')
})
