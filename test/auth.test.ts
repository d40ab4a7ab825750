import t from 'tap'
import { TokenSet, fingerprint } from '../src/auth/token-set.js'
import { EXAMPLE_ECOSYSTEM } from '../src/leads/schema.js'
import { AUTH, build } from './helper.js'

const URL = `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`

t.test('GET /lead without an Authorization header is a 401 that says what to send', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'GET', url: URL })
  t.equal(response.statusCode, 401)
  t.equal(response.headers['www-authenticate'], 'Bearer realm="leancore"')
  t.same(response.json(), {
    statusCode: 401,
    error: 'Unauthorized',
    message: 'missing Authorization header; send "Authorization: Bearer <token>"'
  })
})

t.test('a wrong token, another scheme or a bare token is a 401', async (t) => {
  const app = await build(t)
  for (const authorization of ['Bearer wrong-token', 'Basic bGVhbmNvcmU6eA==', 'leancore-dev-token', 'Bearer ', 'Bearer leancore-dev-token2']) {
    const response = await app.inject({ method: 'GET', url: URL, headers: { authorization } })
    t.equal(response.statusCode, 401, authorization)
    t.same(response.json(), {
      statusCode: 401,
      error: 'Unauthorized',
      message: 'the Authorization header does not carry a leancore token this server accepts'
    })
  }
})

t.test('the auth check comes before validation: no token and a bad query is still a 401', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'GET', url: '/lead?ecosystem=nope' })
  t.equal(response.statusCode, 401)
})

t.test('the scheme is case-insensitive, as HTTP says', async (t) => {
  const app = await build(t)
  for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
    const response = await app.inject({ method: 'GET', url: URL, headers: { authorization: `${scheme} leancore-dev-token` } })
    t.equal(response.statusCode, 200, scheme)
  }
})

t.test('every configured API token works, and only those', async (t) => {
  const app = await build(t, { tokens: ['team-a-token', 'team-b-token'] })
  for (const token of ['team-a-token', 'team-b-token']) {
    const response = await app.inject({ method: 'GET', url: URL, headers: { authorization: `Bearer ${token}` } })
    t.equal(response.statusCode, 200, token)
  }
  const dev = await app.inject({ method: 'GET', url: URL, headers: AUTH })
  t.equal(dev.statusCode, 401, 'the development token is off once tokens are configured')
})

t.test('TokenSet matches members only, whatever the length of the candidate', async (t) => {
  const set = new TokenSet(['alpha', 'beta-longer-token'])
  t.ok(set.has('alpha'))
  t.ok(set.has('beta-longer-token'))
  for (const candidate of ['', 'alph', 'alphaa', 'ALPHA', 'beta', 'x'.repeat(10_000)]) t.notOk(set.has(candidate), candidate)
  t.notOk(new TokenSet([]).has('alpha'))
})

t.test('a fingerprint names a token without revealing it', async (t) => {
  const print = fingerprint('leancore-dev-token')
  t.match(print, /^sha256:[0-9a-f]{12}$/)
  t.equal(print, fingerprint('leancore-dev-token'))
  t.not(print, fingerprint('leancore-dev-tokem'))
  t.notMatch(print, /leancore/)
})
