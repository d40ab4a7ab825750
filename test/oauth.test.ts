import t from 'tap'
import { DEV_CLIENT } from '../src/core/config.js'
import { EXAMPLE_ECOSYSTEM } from '../src/core/leads/schema.js'
import { ADMIN_TOKEN, build, captureLogs } from './helper.js'

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }
const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`
const DEV_BASIC = { authorization: basic(DEV_CLIENT.id, DEV_CLIENT.secret) }
const LEAD_URL = `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`

t.test('client credentials get a bearer token that opens GET /lead', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'POST', url: '/oauth2/token', headers: { ...DEV_BASIC, ...FORM }, payload: 'grant_type=client_credentials' })
  t.equal(response.statusCode, 200)
  t.equal(response.headers['cache-control'], 'no-store')
  t.equal(response.headers.pragma, 'no-cache')
  const body = response.json<{ access_token: string, token_type: string, expires_in: number }>()
  t.same(Object.keys(body), ['access_token', 'token_type', 'expires_in'])
  t.match(body, { access_token: /^lcm_[A-Za-z0-9_-]{43}$/, token_type: 'Bearer', expires_in: 3600 })
  const leads = await app.inject({ method: 'GET', url: LEAD_URL, headers: { authorization: `Bearer ${body.access_token}` } })
  t.equal(leads.statusCode, 200)
})

t.test('every token is new', async (t) => {
  const app = await build(t)
  const tokens = new Set<string>()
  for (let i = 0; i < 5; i++) {
    const response = await app.inject({ method: 'POST', url: '/oauth2/token', headers: { ...DEV_BASIC, ...FORM }, payload: 'grant_type=client_credentials' })
    tokens.add(response.json<{ access_token: string }>().access_token)
  }
  t.equal(tokens.size, 5)
})

t.test('the clients come from OAUTH_CLIENTS, secrets form-encoded in Basic as RFC 6749 asks', async (t) => {
  const app = await build(t, { oauthClients: 'team-app:s3cr3t:with+colon,spaced:two words' })
  const encoded = await app.inject({
    method: 'POST', url: '/oauth2/token', headers: { authorization: basic('team-app', encodeURIComponent('s3cr3t:with+colon')), ...FORM }, payload: 'grant_type=client_credentials'
  })
  t.equal(encoded.statusCode, 200)
  const raw = await app.inject({
    method: 'POST', url: '/oauth2/token', headers: { authorization: basic('team-app', 's3cr3t:with%2Bcolon'), ...FORM }, payload: 'grant_type=client_credentials'
  })
  t.equal(raw.statusCode, 200, 'a percent-encoded plus is a plus')
  const spaced = await app.inject({
    method: 'POST', url: '/oauth2/token', headers: { authorization: basic('spaced', 'two+words'), ...FORM }, payload: 'grant_type=client_credentials'
  })
  t.equal(spaced.statusCode, 200, 'a raw plus is a space')
  const credentials = Buffer.from('team-app:s3cr3t%3Awith%2Bcolon').toString('base64')
  for (const [authorization, status] of [[`basic   ${credentials}`, 200], [`xBasic ${credentials}`, 401], [`Basic ${credentials} more`, 401], [`Basic${credentials}`, 401]] as const) {
    const response = await app.inject({ method: 'POST', url: '/oauth2/token', headers: { authorization, ...FORM }, payload: 'grant_type=client_credentials' })
    t.equal(response.statusCode, status, `${authorization.slice(0, 12)}…: the scheme is Basic in any case, then one or more spaces, then one word`)
  }
  const dev = await app.inject({ method: 'POST', url: '/oauth2/token', headers: { ...DEV_BASIC, ...FORM }, payload: 'grant_type=client_credentials' })
  t.equal(dev.statusCode, 401, 'the development client is off once clients are configured')
})

t.test('credentials may come in the form body instead, and JSON bodies work too', async (t) => {
  const app = await build(t)
  const form = await app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: FORM,
    payload: `grant_type=client_credentials&client_id=${DEV_CLIENT.id}&client_secret=${DEV_CLIENT.secret}`
  })
  t.equal(form.statusCode, 200)
  const json = await app.inject({ method: 'POST', url: '/oauth2/token', headers: DEV_BASIC, payload: { grant_type: 'client_credentials' } })
  t.equal(json.statusCode, 200)
})

/** LeanCore's documented description for wrong or unknown client credentials */
const INVALID_CLIENT = 'The client credentials are invalid.'

t.test('bad credentials are 401 invalid_client, with LeanCore\'s own description', async (t) => {
  const app = await build(t)
  const cases: Array<[Record<string, string>, string, string]> = [
    [{ authorization: basic(DEV_CLIENT.id, 'wrong') }, 'grant_type=client_credentials', INVALID_CLIENT],
    [{ authorization: basic('nobody', DEV_CLIENT.secret) }, 'grant_type=client_credentials', INVALID_CLIENT],
    [{}, `grant_type=client_credentials&client_id=${DEV_CLIENT.id}`, INVALID_CLIENT],
    [{}, 'grant_type=client_credentials', 'send the client credentials as Authorization: Basic base64(client_id:client_secret)'],
    [{ authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` }, 'grant_type=client_credentials', 'send the client credentials as Authorization: Basic base64(client_id:client_secret)'],
    [{ authorization: 'Bearer leancore-dev-token' }, 'grant_type=client_credentials', 'send the client credentials as Authorization: Basic base64(client_id:client_secret)'],
    [{ authorization: basic(DEV_CLIENT.id, 'bad%E0%A4') }, 'grant_type=password', INVALID_CLIENT]
  ]
  for (const [headers, payload, description] of cases) {
    const response = await app.inject({ method: 'POST', url: '/oauth2/token', headers: { ...headers, ...FORM }, payload })
    t.equal(response.statusCode, 401, JSON.stringify(headers))
    t.same(response.json(), { error: 'invalid_client', error_description: description })
    t.equal(response.headers['www-authenticate'], 'Basic realm="leancore"')
  }
})

t.test('a missing or other grant type is a 400 in OAuth\'s shape', async (t) => {
  const app = await build(t)
  const cases: Array<[Record<string, string>, string | undefined, object]> = [
    [FORM, 'grant_type=password&username=a&password=b', { error: 'unsupported_grant_type', error_description: 'grant_type password is not supported; use client_credentials' }],
    [FORM, 'scope=leads', { error: 'invalid_request', error_description: 'grant_type is required; use grant_type=client_credentials' }],
    [{}, undefined, { error: 'invalid_request', error_description: 'grant_type is required; use grant_type=client_credentials' }],
    [{ 'content-type': 'text/plain' }, 'grant_type=client_credentials', { error: 'invalid_request', error_description: 'send the form as application/x-www-form-urlencoded' }],
    [{ 'content-type': 'application/json' }, '{"grant_type":', { error: 'invalid_request', error_description: 'the body is not valid JSON: Unexpected end of JSON input' }]
  ]
  for (const [headers, payload, body] of cases) {
    const response = await app.inject({ method: 'POST', url: '/oauth2/token', headers: { ...DEV_BASIC, ...headers }, ...(payload === undefined ? {} : { payload }) })
    t.equal(response.statusCode, 400, String(payload))
    t.same(response.json(), body)
  }
})

t.test('an issued token works until it expires (TOKEN_TTL), then GET /lead answers 401', async (t) => {
  let now = Date.UTC(2026, 0, 1)
  const app = await build(t, { tokenTtl: 60 }, { now: () => now })
  const issued = await app.inject({ method: 'POST', url: '/oauth2/token', headers: { ...DEV_BASIC, ...FORM }, payload: 'grant_type=client_credentials' })
  const { access_token: token, expires_in: expiresIn } = issued.json<{ access_token: string, expires_in: number }>()
  t.equal(expiresIn, 60)
  const call = async (): Promise<number> => (await app.inject({ method: 'GET', url: LEAD_URL, headers: { authorization: `Bearer ${token}` } })).statusCode
  t.equal(await call(), 200)
  now += 59_999
  t.equal(await call(), 200, 'still valid a millisecond before expiry')
  now += 1
  t.equal(await call(), 401, 'expired')
})

t.test('an issued token does not open the admin API', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  const issued = await app.inject({ method: 'POST', url: '/oauth2/token', headers: { ...DEV_BASIC, ...FORM }, payload: 'grant_type=client_credentials' })
  const token = issued.json<{ access_token: string }>().access_token
  const admin = await app.inject({ method: 'GET', url: '/__admin/leads', headers: { authorization: `Bearer ${token}` } })
  t.equal(admin.statusCode, 401)
})

t.test('live tokens are bounded per client: past MAX_TOKENS_PER_CLIENT a client gets 429, and no one loses a token', async (t) => {
  let now = 0
  const app = await build(t, { maxTokensPerClient: 3, tokenTtl: 60, oauthClients: 'app-a:secret-a,app-b:secret-b' }, { now: () => now })
  const ask = async (client: string, secret: string) => await app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: { authorization: `Basic ${Buffer.from(`${client}:${secret}`).toString('base64')}`, ...FORM },
    payload: 'grant_type=client_credentials'
  })
  const opens = async (token: string): Promise<number> =>
    (await app.inject({ method: 'GET', url: LEAD_URL, headers: { authorization: `Bearer ${token}` } })).statusCode
  const tokens: string[] = []
  for (let i = 0; i < 3; i++) {
    tokens.push((await ask('app-a', 'secret-a')).json<{ access_token: string }>().access_token)
    now += 1000
  }
  const refused = await ask('app-a', 'secret-a')
  t.equal(refused.statusCode, 429)
  t.same(refused.json(), {
    error: 'invalid_request',
    error_description: 'client app-a already holds MAX_TOKENS_PER_CLIENT (3) live tokens; use one of them, or ask again when the oldest expires'
  })
  t.equal(refused.headers['retry-after'], '57', 'seconds until its oldest token expires')
  t.equal((await ask('app-b', 'secret-b')).statusCode, 200, 'another client is not affected')
  for (const token of tokens) t.equal(await opens(token), 200, 'every token already issued still works')

  now = 60_000
  const again = await ask('app-a', 'secret-a')
  t.equal(again.statusCode, 200, 'once its oldest token expires, the client gets a new one')
  t.equal(await opens(tokens[0] as string), 401, 'the expired one no longer opens GET /lead')
  t.equal(await opens(tokens[1] as string), 200)
})

t.test('revoking a client (its sandbox was deleted) forgets its tokens and its count, and no other client\'s', async (t) => {
  const { TokenIssuer } = await import('../src/core/tokens/issuer.js')
  const { TokenDigest } = await import('../src/core/tokens/token.js')
  const issuer = new TokenIssuer([], 60, 2, () => 0)
  const live = (token: string): boolean => issuer.issued(TokenDigest.of(token)) !== undefined
  const gone = [issuer.issue('sbx-a'), issuer.issue('sbx-a')].map((issued) => issued.access_token)
  const kept = issuer.issue('sbx-b').access_token
  t.throws(() => issuer.issue('sbx-a'), { name: 'TokenLimitReached', statusCode: 429 })
  issuer.revoke('sbx-a')
  t.same(gone.map(live), [false, false], 'the revoked client\'s tokens are forgotten')
  t.equal(live(kept), true, 'another client keeps its token')
  t.equal(live(issuer.issue('sbx-a').access_token), true, 'its count starts again from zero')
})

t.test('issueToken() has the same limit, and says so', async (t) => {
  const { startServer } = await import('../src/index.js')
  const mock = await startServer({ maxTokensPerClient: 1 })
  t.after(() => mock.close())
  t.match(mock.issueToken(), { access_token: /^lcm_/, token_type: 'Bearer', expires_in: 3600 }, 'a token as the endpoint gives it')
  t.throws(() => mock.issueToken(), {
    name: 'TokenLimitReached',
    statusCode: 429,
    message: 'issueToken() already holds MAX_TOKENS_PER_CLIENT (1) live tokens; use one of them, or ask again when the oldest expires'
  })
})

t.test('form fields that are not strings are a 400 naming the field, not an internal message', async (t) => {
  const app = await build(t)
  for (const [payload, field] of [
    ['{"grant_type":{"toString":1}}', 'grant_type'],
    ['{"grant_type":"client_credentials","client_id":["x"]}', 'client_id'],
    ['{"grant_type":"client_credentials","client_id":"x","client_secret":{"toString":1}}', 'client_secret']
  ] as const) {
    const response = await app.inject({ method: 'POST', url: '/oauth2/token', headers: { 'content-type': 'application/json' }, payload })
    t.equal(response.statusCode, 400, payload)
    t.same(response.json(), { error: 'invalid_request', error_description: `${field} must be a string` })
  }
})

t.test('an unexpected error on the token endpoint is a 500 that hides its message, and is logged', async (t) => {
  const { TokenIssuer } = await import('../src/core/tokens/issuer.js')
  // A fault inside the issuer, restored when the test ends.
  t.capture(TokenIssuer.prototype, 'issue', () => { throw new Error('entropy pool at 0x7ffd exhausted') })
  const logs = captureLogs()
  const app = await build(t, {}, { logs })
  const response = await app.inject({ method: 'POST', url: '/oauth2/token', headers: { ...DEV_BASIC, ...FORM }, payload: 'grant_type=client_credentials' })
  t.equal(response.statusCode, 500)
  t.same(response.json(), { error: 'server_error', error_description: 'Internal Server Error; the server log has the details' })
  t.match(logs.lines().find((line) => line.msg === 'request failed'), { level: 50, err: { message: 'entropy pool at 0x7ffd exhausted' } })
})

t.test('on the token endpoint an error with a 4xx keeps its status and message; any other status, or none, is a 500', async (t) => {
  const { TokenIssuer } = await import('../src/core/tokens/issuer.js')
  let status: number | undefined
  t.capture(TokenIssuer.prototype, 'issue', () => { throw Object.assign(new Error(`detail ${String(status)}`), { statusCode: status }) })
  const app = await build(t)
  for (status of [undefined, 302, 399, 400, 499, 500, 503, 600]) {
    const response = await app.inject({ method: 'POST', url: '/oauth2/token', headers: { ...DEV_BASIC, ...FORM }, payload: 'grant_type=client_credentials' })
    const clientError = status !== undefined && status >= 400 && status < 500
    t.same([response.statusCode, response.json()], clientError
      ? [status, { error: 'invalid_request', error_description: `detail ${status}` }]
      : [500, { error: 'server_error', error_description: 'Internal Server Error; the server log has the details' }], `statusCode ${String(status)}`)
  }
})

t.test('grant_type in the query string, Basic credentials, no body and no Content-Type: a token, as LeanCore\'s own app asks', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'POST', url: '/oauth2/token?grant_type=client_credentials', headers: DEV_BASIC })
  t.equal(response.statusCode, 200)
  const { access_token: token } = response.json<{ access_token: string }>()
  t.equal((await app.inject({ method: 'GET', url: LEAD_URL, headers: { authorization: `Bearer ${token}` } })).statusCode, 200, 'the token opens GET /lead')
})

t.test('every field of the token request may come in the query string, and agree with the body', async (t) => {
  const app = await build(t)
  const query = `grant_type=client_credentials&client_id=${DEV_CLIENT.id}&client_secret=${DEV_CLIENT.secret}`
  t.equal((await app.inject({ method: 'POST', url: `/oauth2/token?${query}` })).statusCode, 200, 'all three in the query')
  t.equal((await app.inject({ method: 'POST', url: '/oauth2/token?grant_type=client_credentials', headers: FORM, payload: `client_id=${DEV_CLIENT.id}&client_secret=${DEV_CLIENT.secret}` })).statusCode, 200, 'split between query and form')
  t.equal((await app.inject({ method: 'POST', url: '/oauth2/token?grant_type=client_credentials', headers: { ...DEV_BASIC, ...FORM }, payload: 'grant_type=client_credentials' })).statusCode, 200, 'the same value in both')
  const wrong = await app.inject({ method: 'POST', url: `/oauth2/token?grant_type=client_credentials&client_id=${DEV_CLIENT.id}&client_secret=wrong` })
  t.equal(wrong.statusCode, 401)
  t.same(wrong.json(), { error: 'invalid_client', error_description: INVALID_CLIENT })
})

t.test('a field given in the query and in the body with different values is a 400 invalid_request', async (t) => {
  const app = await build(t)
  for (const [url, payload, field] of [
    ['/oauth2/token?grant_type=client_credentials', 'grant_type=password', 'grant_type'],
    [`/oauth2/token?client_id=${DEV_CLIENT.id}`, `grant_type=client_credentials&client_id=other&client_secret=${DEV_CLIENT.secret}`, 'client_id'],
    ['/oauth2/token?client_secret=a', `grant_type=client_credentials&client_id=${DEV_CLIENT.id}&client_secret=b`, 'client_secret']
  ] as const) {
    const response = await app.inject({ method: 'POST', url, headers: FORM, payload })
    t.equal(response.statusCode, 400, field)
    t.same(response.json(), { error: 'invalid_request', error_description: `${field} is given in the query string and in the body, with different values; give it once` })
  }
  const twice = await app.inject({ method: 'POST', url: '/oauth2/token?grant_type=client_credentials&grant_type=client_credentials', headers: DEV_BASIC })
  t.equal(twice.statusCode, 400)
  t.same(twice.json(), { error: 'invalid_request', error_description: 'grant_type must be a string' }, 'a repeated parameter is not one string')
})
