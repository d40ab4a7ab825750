import t from 'tap'
import { build } from './helper.js'

t.test('API responses carry security headers and CORS follows CORS_ORIGIN', async (t) => {
  const open = await build(t)
  const response = await open.inject({ method: 'GET', url: '/health', headers: { origin: 'https://app.example.co' } })
  t.match(response.headers, {
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'access-control-allow-origin': '*'
  })
  const preflight = await open.inject({
    method: 'OPTIONS',
    url: '/lead',
    headers: { origin: 'https://app.example.co', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' }
  })
  t.equal(preflight.statusCode, 204)
  t.match(preflight.headers['access-control-allow-headers'], /authorization/i)
  const bare = await open.inject({ method: 'OPTIONS', url: '/lead', headers: { origin: 'https://app.example.co' } })
  t.equal(bare.statusCode, 204, 'an OPTIONS that is not a preflight is an empty 204, not a 400')
  t.equal(bare.body, '')

  const listed = await build(t, { corsOrigin: 'https://app.example.co' })
  const allowed = await listed.inject({ method: 'GET', url: '/health', headers: { origin: 'https://app.example.co' } })
  t.equal(allowed.headers['access-control-allow-origin'], 'https://app.example.co')
  const refused = await listed.inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example' } })
  t.equal(refused.headers['access-control-allow-origin'], undefined)

  const none = await build(t, { corsOrigin: 'none' })
  const plain = await none.inject({ method: 'GET', url: '/health', headers: { origin: 'https://app.example.co' } })
  t.equal(plain.headers['access-control-allow-origin'], undefined)
})
