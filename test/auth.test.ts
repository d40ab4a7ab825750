import crypto from 'node:crypto'
import { syncBuiltinESMExports } from 'node:module'
import t, { type Test } from 'tap'
import Fastify from 'fastify'
import type { Fixture } from '../src/core/fixture.js'
import { TokenDigest } from '../src/core/tokens/token.js'
import { auth } from '../src/http/plugins/auth.js'
import { TokenSet } from '../src/core/tokens/token-set.js'

const fingerprint = (token: string): string => TokenDigest.of(token).fingerprint
import { EXAMPLE_ECOSYSTEM } from '../src/core/leads/schema.js'
import { ADMIN, ADMIN_TOKEN, AUTH, build } from './helper.js'

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

/** Counts the calls to crypto.timingSafeEqual, by the byte lengths compared, until the test ends. */
function countComparisons (t: Test): Array<[number, number]> {
  const calls: Array<[number, number]> = []
  const original = crypto.timingSafeEqual
  crypto.timingSafeEqual = (a, b) => {
    calls.push([a.byteLength, b.byteLength])
    return original(a, b)
  }
  // The named import in src/ is a live binding to the builtin's exports once they are synced.
  syncBuiltinESMExports()
  t.teardown(() => {
    crypto.timingSafeEqual = original
    syncBuiltinESMExports()
  })
  return calls
}

t.test('a token check compares every member, 32 bytes to 32, whatever the candidate: no early exit on length or on a match', async (t) => {
  const members = ['alpha', 'beta-longer-token', 'gamma-the-last-one']
  const set = new TokenSet(members)
  const calls = countComparisons(t)
  for (const candidate of ['', 'a', 'alph', 'alpha', 'alphaa', 'gamma-the-last-one', 'x'.repeat(10_000)]) {
    calls.length = 0
    t.equal(set.has(TokenDigest.of(candidate)), members.includes(candidate), `the answer for ${candidate.length} characters`)
    t.same(calls, members.map(() => [32, 32]), `${candidate.length} characters: one comparison per member, of digests`)
  }
})

t.test('an OAuth secret is checked with one comparison of digests, for a known client or an unknown one', async (t) => {
  const { TokenIssuer } = await import('../src/core/tokens/issuer.js')
  const issuer = new TokenIssuer([{ id: 'app', secret: 'the-secret' }], 60, 10, Date.now)
  const calls = countComparisons(t)
  for (const [client, secret, expected] of [['app', 'the-secret', true], ['app', 'x', false], ['nobody', 'the-secret', false], ['', '', false]] as const) {
    calls.length = 0
    t.equal(issuer.authenticate(client, secret), expected, `${client}:${secret}`)
    t.same(calls, [[32, 32]], `${client}: one comparison of 32-byte digests`)
  }
})

t.test('TokenSet matches members only', async (t) => {
  const set = new TokenSet(['alpha', 'beta-longer-token'])
  t.ok(set.has(TokenDigest.of('alpha')))
  t.ok(set.has(TokenDigest.of('beta-longer-token')))
  for (const candidate of ['', 'alph', 'alphaa', 'ALPHA', 'beta', 'x'.repeat(10_000)]) t.notOk(set.has(TokenDigest.of(candidate)), candidate)
  t.notOk(new TokenSet([]).has(TokenDigest.of('alpha')))
})

t.test('a fingerprint names a token without revealing it', async (t) => {
  const print = fingerprint('leancore-dev-token')
  t.match(print, /^sha256:[0-9a-f]{12}$/)
  t.equal(print, fingerprint('leancore-dev-token'))
  t.not(print, fingerprint('leancore-dev-tokem'))
  t.notMatch(print, /leancore/)
})

t.test('the challenge comes with a 401 only, in the realm of the route', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  const cases: Array<[string, Record<string, string>, number, string | undefined]> = [
    [URL, AUTH, 200, undefined],
    [URL, {}, 401, 'Bearer realm="leancore"'],
    ['/lead?ecosystem=nope', AUTH, 400, undefined],
    ['/__admin/journal', ADMIN, 200, undefined],
    ['/__admin/journal', AUTH, 401, 'Bearer realm="leancore-admin"'],
    ['/__admin/sandboxes', AUTH, 401, 'Bearer realm="leancore-admin"'],
    ['/health', {}, 200, undefined]
  ]
  for (const [url, headers, status, challenge] of cases) {
    const response = await app.inject({ method: 'GET', url, headers })
    t.equal(response.statusCode, status, `${url} ${JSON.stringify(headers)}`)
    t.equal(response.headers['www-authenticate'], challenge, `${url}: ${challenge ?? 'no challenge'}`)
  }
})

t.test('the auth plugin adds its hooks to a route\'s own, which still run', async (t) => {
  const app = Fastify()
  t.after(() => app.close())
  const open = (_role: string, token: TokenDigest): object | undefined => token.fingerprint === fingerprint('good-token') ? {} : undefined
  app.decorate('fixture', { open } as unknown as Fixture)
  await app.register(auth)
  const seen: string[] = []
  app.get('/own-hooks', {
    config: { auth: 'api' },
    onRequest: async () => { seen.push('own onRequest') },
    onSend: async (_request, reply) => { reply.header('x-own-on-send', 'yes') }
  }, async () => ({ ok: true }))
  const allowed = await app.inject({ method: 'GET', url: '/own-hooks', headers: { authorization: 'Bearer good-token' } })
  t.equal(allowed.statusCode, 200)
  t.equal(allowed.headers['x-own-on-send'], 'yes')
  const refused = await app.inject({ method: 'GET', url: '/own-hooks', headers: { authorization: 'Bearer bad-token' } })
  t.equal(refused.statusCode, 401, 'and the check still applies')
  t.equal(refused.headers['www-authenticate'], 'Bearer realm="leancore"')
  t.equal(refused.headers['x-own-on-send'], 'yes')
  t.same(seen, ['own onRequest', 'own onRequest'], 'the route\'s own onRequest ran before the check, both times')
})
