// The conformance kit's cases, in process: the request each one sends to a side, the token asked
// once per side, the reasons a case is skipped, and the checks the ecosystem and phone cases add.
import t, { type Test } from 'tap'
import { CASES, Session, Unavailable, type Case, type Side } from '../src/conformance/cases.js'
import type { Client, Exchange, Request } from '../src/conformance/client.js'

const BASE_URL = 'https://lead-api.example/v1'
const TOKEN_URL = 'https://auth.example/oauth2/token'
const ECOSYSTEM = '0b5e8f2a-6c1d-4e3b-9a7f-2d4c6e8a0b1c'
const PHONE = '573136434030'
const CLIENT = { id: 'kit-client', secret: 'kit-secret' }
const ISSUED = { access_token: 'issued-token', token_type: 'Bearer', expires_in: 3600 }
const FORM = 'application/x-www-form-urlencoded'
const NO_CREDENTIALS = 'no client credentials (--client-id and --client-secret, or LEANCORE_CLIENT_ID and LEANCORE_CLIENT_SECRET)'
const NO_PHONE = 'no phone given (--phone): give the phone of one of the account\'s leads'
/** The cases whose GET /lead carries the token of session.token(): the one given, or an issued one */
const GIVEN_OR_ISSUED = ['ecosystem', 'phone', 'lead-by-id', 'lead-by-nit', 'phone-unknown', 'ecosystem-empty', 'ecosystem-malformed', 'no-parameter', 'both-parameters', 'auth-lowercase-bearer']
/** The cases that need client credentials, whatever token is given */
const NEED_CLIENT = ['token-success', 'token-query-grant', 'token-wrong-credentials', 'token-unsupported-grant', 'token-opens-lead']

/** A fake Client: it records each request and answers with a new Exchange from `answer` */
function fakeClient (answer: (request: Request) => Exchange = standardAnswer): { http: Client, sent: Request[], answers: Exchange[] } {
  const sent: Request[] = []
  const answers: Exchange[] = []
  const send = async (request: Request): Promise<Exchange> => {
    sent.push(request)
    const exchange = answer(request)
    answers.push(exchange)
    return exchange
  }
  return { http: { send } as unknown as Client, sent, answers }
}

/** The one lead a fake side answers for an ecosystem: what the lookups by id and NIT ask for */
const FIRST_LEAD = { id: 'first/lead', nit: '900 123-4' }

/** A token for a POST, one lead for GET ?ecosystem=, no leads for any other GET */
function standardAnswer (request: Request): Exchange {
  const body = request.method === 'POST' ? ISSUED : request.url.includes('?ecosystem=') ? [FIRST_LEAD] : []
  return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) }
}

/** A side with a token, a phone and client credentials, with these changes */
function sideOf (http: Client, changes: Partial<Side> = {}): Side {
  return { baseUrl: BASE_URL, tokenUrl: TOKEN_URL, ecosystem: ECOSYSTEM, phone: PHONE, token: 'given-token', client: CLIENT, financialEntity: undefined, http, ...changes }
}

/** The case with this id */
function caseOf (id: string): Case {
  const found = CASES.find((each) => each.id === id)
  if (found === undefined) throw new Error(`no case ${id}`)
  return found
}

/** The Basic header of these already form-encoded credentials */
const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`

/** A GET /lead with this query and Authorization header */
const lead = (query: string, authorization?: string): Request =>
  ({ method: 'GET', url: `${BASE_URL}/lead${query}`, headers: authorization === undefined ? {} : { authorization } })

/** A POST to the token endpoint with these form-encoded credentials and this form body */
const tokenPost = (id: string, secret: string, body = 'grant_type=client_credentials'): Request =>
  ({ method: 'POST', url: TOKEN_URL, headers: { authorization: basic(id, secret), 'content-type': FORM }, body })

const TOKEN_REQUEST = tokenPost(CLIENT.id, CLIENT.secret)

/** What each case sends to a side with a phone and client credentials, GET /lead carrying `bearer` */
function expectedRequests (session: Session, bearer: string): Record<string, Request[]> {
  return {
    ecosystem: [lead(`?ecosystem=${ECOSYSTEM}`, `Bearer ${bearer}`)],
    phone: [lead(`?phone=${PHONE}`, `Bearer ${bearer}`)],
    'lead-by-id': [lead(`?ecosystem=${ECOSYSTEM}`, `Bearer ${bearer}`), lead('?id=first%2Flead', `Bearer ${bearer}`)],
    'lead-by-nit': [lead(`?ecosystem=${ECOSYSTEM}`, `Bearer ${bearer}`), lead('?nit=900%20123-4', `Bearer ${bearer}`)],
    'phone-unknown': [lead('?phone=573000000000', `Bearer ${bearer}`)],
    'ecosystem-empty': [lead(`?ecosystem=${session.emptyEcosystem}`, `Bearer ${bearer}`)],
    'ecosystem-malformed': [lead('?ecosystem=fd3705e1-3149-4c41-bfe7-cf0bee79cfa', `Bearer ${bearer}`)],
    'no-parameter': [lead('', `Bearer ${bearer}`)],
    'both-parameters': [lead(`?ecosystem=${ECOSYSTEM}&phone=${PHONE}`, `Bearer ${bearer}`)],
    'auth-missing': [lead(`?ecosystem=${ECOSYSTEM}`)],
    'auth-basic': [lead(`?ecosystem=${ECOSYSTEM}`, 'Basic Y29uZm9ybWFuY2U6bm90LWEtc2VjcmV0')],
    'auth-wrong-token': [lead(`?ecosystem=${ECOSYSTEM}`, `Bearer ${session.wrongToken}`)],
    'auth-lowercase-bearer': [lead(`?ecosystem=${ECOSYSTEM}`, `bearer ${bearer}`)],
    'token-success': [TOKEN_REQUEST],
    'token-query-grant': [{ method: 'POST', url: `${TOKEN_URL}?grant_type=client_credentials`, headers: { authorization: basic(CLIENT.id, CLIENT.secret) } }],
    'token-wrong-credentials': [tokenPost(CLIENT.id, session.wrongToken)],
    'token-unsupported-grant': [tokenPost(CLIENT.id, CLIENT.secret, 'grant_type=urn%3Aleancore-mock%3Aunsupported-grant')],
    'token-opens-lead': [TOKEN_REQUEST, lead(`?ecosystem=${ECOSYSTEM}`, 'Bearer issued-token')]
  }
}

/** `promise` rejects with an Unavailable, with exactly this message */
async function unavailable (t: Test, promise: Promise<unknown>, message: string): Promise<void> {
  let error: unknown
  try {
    await promise
  } catch (caught) {
    error = caught
  }
  t.type(error, Unavailable, message)
  t.equal((error as Error).message, message)
}

/** An answer of the target with these leads */
const leadsAnswer = (leads: unknown): Exchange => ({ status: 200, headers: {}, body: JSON.stringify(leads) })

t.test('the cases, in the order they run, with what the report shows of each', async (t) => {
  t.strictSame(CASES.map(({ id, title, request, body, whenEmpty, recorded, check }) => ({ id, title, request, body, whenEmpty, recorded, checked: check !== undefined })), [
    {
      id: 'ecosystem',
      title: 'The leads of an ecosystem: an array of leads, each of that ecosystem',
      request: 'GET /lead?ecosystem=<ecosystem>',
      body: 'leads',
      whenEmpty: 'the target has no leads in this ecosystem, so there is no lead to compare; give an ecosystem that has leads (--ecosystem)',
      recorded: true,
      checked: true
    },
    { id: 'phone', title: 'The lead with a phone: one lead object, with that phone', request: 'GET /lead?phone=<phone>', body: 'lead', whenEmpty: undefined, recorded: true, checked: true },
    {
      id: 'lead-by-id',
      title: 'The lead with an id (the first of the ecosystem): one lead object with lead_status, as LeanCore\'s clients read it',
      request: 'GET /lead?id=<id of the first lead of the ecosystem>',
      body: 'lead-with-status',
      whenEmpty: undefined,
      recorded: undefined,
      checked: true
    },
    {
      id: 'lead-by-nit',
      title: 'The lead with a NIT (the first of the ecosystem): one lead object with lead_status, as LeanCore\'s clients read it',
      request: 'GET /lead?nit=<nit of the first lead of the ecosystem>',
      body: 'lead-with-status',
      whenEmpty: undefined,
      recorded: undefined,
      checked: true
    },
    { id: 'phone-unknown', title: 'A phone no lead has', request: 'GET /lead?phone=573000000000', body: 'other', whenEmpty: undefined, recorded: undefined, checked: false },
    { id: 'ecosystem-empty', title: 'A well-formed ecosystem with no leads', request: 'GET /lead?ecosystem=<random UUID>', body: 'leads', whenEmpty: undefined, recorded: undefined, checked: false },
    { id: 'ecosystem-malformed', title: 'An ecosystem that is not a UUID', request: 'GET /lead?ecosystem=fd3705e1-3149-4c41-bfe7-cf0bee79cfa', body: 'other', whenEmpty: undefined, recorded: undefined, checked: false },
    { id: 'no-parameter', title: 'Neither ecosystem nor phone', request: 'GET /lead', body: 'other', whenEmpty: undefined, recorded: undefined, checked: false },
    { id: 'both-parameters', title: 'Both ecosystem and phone', request: 'GET /lead?ecosystem=<ecosystem>&phone=<phone, or 573000000000>', body: 'other', whenEmpty: undefined, recorded: undefined, checked: false },
    { id: 'auth-missing', title: 'No Authorization header', request: 'GET /lead?ecosystem=<ecosystem>, no Authorization', body: 'other', whenEmpty: undefined, recorded: undefined, checked: false },
    { id: 'auth-basic', title: 'Another scheme: Basic', request: 'GET /lead?ecosystem=<ecosystem>, Basic <made-up credentials>', body: 'other', whenEmpty: undefined, recorded: undefined, checked: false },
    { id: 'auth-wrong-token', title: 'A token the server never issued', request: 'GET /lead?ecosystem=<ecosystem>, Bearer <wrong token>', body: 'other', whenEmpty: undefined, recorded: undefined, checked: false },
    { id: 'auth-lowercase-bearer', title: 'The scheme in lower case: bearer', request: 'GET /lead?ecosystem=<ecosystem>, bearer <token>', body: 'leads', whenEmpty: undefined, recorded: undefined, checked: false },
    { id: 'token-success', title: 'Client credentials get a token: access_token, token_type, expires_in', request: 'POST <token-url>, client credentials', body: 'other', whenEmpty: undefined, recorded: undefined, checked: false },
    {
      id: 'token-query-grant',
      title: 'grant_type in the query string, Basic credentials, no body: a token, as LeanCore\'s own app asks',
      request: 'POST <token-url>?grant_type=client_credentials, client credentials, no body',
      body: 'other',
      whenEmpty: undefined,
      recorded: undefined,
      checked: false
    },
    { id: 'token-wrong-credentials', title: 'A wrong client secret', request: 'POST <token-url>, a wrong client secret', body: 'other', whenEmpty: undefined, recorded: undefined, checked: false },
    { id: 'token-unsupported-grant', title: 'An unsupported grant_type', request: 'POST <token-url>, grant_type=urn:leancore-mock:unsupported-grant', body: 'other', whenEmpty: undefined, recorded: undefined, checked: false },
    { id: 'token-opens-lead', title: 'A token from the token endpoint opens GET /lead', request: 'GET /lead?ecosystem=<ecosystem>, Bearer <token from token-success>', body: 'leads', whenEmpty: undefined, recorded: undefined, checked: false }
  ])
})

t.test('with a token given, each case sends exactly its request, and answers what the side answered', async (t) => {
  for (const each of CASES) {
    const { http, sent, answers } = fakeClient()
    const session = new Session()
    const exchange = await each.send(sideOf(http), session)
    t.strictSame(sent, expectedRequests(session, 'given-token')[each.id], each.id)
    t.equal(exchange, answers.at(-1), `${each.id}: the answer is the side's own`)
  }
})

t.test('without a token, a GET /lead carries the token the token endpoint issued, asked first', async (t) => {
  for (const each of CASES) {
    const { http, sent, answers } = fakeClient()
    const session = new Session()
    const exchange = await each.send(sideOf(http, { token: undefined }), session)
    const expected = expectedRequests(session, 'issued-token')[each.id] ?? []
    t.strictSame(sent, GIVEN_OR_ISSUED.includes(each.id) ? [TOKEN_REQUEST, ...expected] : expected, each.id)
    t.equal(exchange, answers.at(-1), `${each.id}: the answer is the side's own`)
  }
})

t.test('a whole run asks each side\'s token endpoint once, and token-success answers that first answer', async (t) => {
  const target = fakeClient()
  const reference = fakeClient()
  const targetSide = sideOf(target.http, { token: undefined })
  const referenceSide = sideOf(reference.http, { baseUrl: 'http://127.0.0.1:3000', tokenUrl: 'http://127.0.0.1:3000/oauth2/token', client: { id: 'mock-client', secret: 'mock-secret' } })
  const session = new Session()
  for (const each of CASES) {
    const exchange = await each.send(targetSide, session)
    await each.send(referenceSide, session)
    if (each.id === 'token-success') t.equal(exchange, target.answers[0], 'the cached answer, not a new one')
  }
  const asked = (sent: Request[]): Request[] => sent.filter(({ body }) => body === 'grant_type=client_credentials')
  t.strictSame(asked(target.sent), [TOKEN_REQUEST, tokenPost(CLIENT.id, session.wrongToken)], 'the target: once, then the wrong secret')
  t.equal(target.sent.length, 18, 'the target: one request per case, token-success\'s and ecosystem\'s already sent')
  t.strictSame(asked(reference.sent), [
    { method: 'POST', url: 'http://127.0.0.1:3000/oauth2/token', headers: { authorization: basic('mock-client', 'mock-secret'), 'content-type': FORM }, body: 'grant_type=client_credentials' },
    { method: 'POST', url: 'http://127.0.0.1:3000/oauth2/token', headers: { authorization: basic('mock-client', session.wrongToken), 'content-type': FORM }, body: 'grant_type=client_credentials' }
  ], 'the reference: once, with its own client, then the wrong secret')
  t.equal(reference.sent.length, 18, 'the reference, with its own token: one request per case, token-opens-lead using token-success\'s token')
  t.strictSame(target.sent.filter(({ method }) => method === 'GET').map(({ headers }) => headers.authorization), [
    'Bearer issued-token', 'Bearer issued-token', 'Bearer issued-token', 'Bearer issued-token', 'Bearer issued-token', 'Bearer issued-token', 'Bearer issued-token',
    'Bearer issued-token', 'Bearer issued-token', undefined, 'Basic Y29uZm9ybWFuY2U6bm90LWEtc2VjcmV0', `Bearer ${session.wrongToken}`, 'bearer issued-token', 'Bearer issued-token'
  ])
})

t.test('the client id and secret are form-encoded before Basic\'s base64, as RFC 6749 asks', async (t) => {
  const { http, sent } = fakeClient()
  const side = sideOf(http, { client: { id: 'my client:1', secret: 'p+s s%é:/&=' } })
  const session = new Session()
  await caseOf('token-success').send(side, session)
  await caseOf('token-unsupported-grant').send(side, session)
  await caseOf('token-wrong-credentials').send(side, session)
  t.strictSame(sent.map(({ headers }) => headers.authorization), [
    'Basic bXklMjBjbGllbnQlM0ExOnAlMkJzJTIwcyUyNSVDMyVBOSUzQSUyRiUyNiUzRA==',
    basic('my%20client%3A1', 'p%2Bs%20s%25%C3%A9%3A%2F%26%3D'),
    basic('my%20client%3A1', session.wrongToken)
  ])
  t.equal(Buffer.from('bXklMjBjbGllbnQlM0ExOnAlMkJzJTIwcyUyNSVDMyVBOSUzQSUyRiUyNiUzRA==', 'base64').toString(), 'my%20client%3A1:p%2Bs%20s%25%C3%A9%3A%2F%26%3D')
})

t.test('the ecosystem is percent-encoded in the query, in whatever spelling it was given', async (t) => {
  const spelling = `urn:uuid:${ECOSYSTEM.toUpperCase()}`
  const encoded = `urn%3Auuid%3A${ECOSYSTEM.toUpperCase()}`
  const { http, sent } = fakeClient()
  const side = sideOf(http, { ecosystem: spelling })
  const session = new Session()
  for (const id of ['ecosystem', 'both-parameters', 'auth-missing', 'auth-basic', 'auth-wrong-token', 'auth-lowercase-bearer']) await caseOf(id).send(side, session)
  await caseOf('token-opens-lead').send(side, session)
  t.strictSame(sent.filter(({ method }) => method === 'GET').map(({ url }) => url), [
    `${BASE_URL}/lead?ecosystem=${encoded}`,
    `${BASE_URL}/lead?ecosystem=${encoded}&phone=${PHONE}`,
    ...Array(5).fill(`${BASE_URL}/lead?ecosystem=${encoded}`)
  ])
})

t.test('a session has its own random empty ecosystem and wrong token', async (t) => {
  const one = new Session()
  const other = new Session()
  t.match(one.emptyEcosystem, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  t.match(one.wrongToken, /^wrong-[0-9a-f]{32}$/)
  t.not(one.emptyEcosystem, other.emptyEcosystem)
  t.not(one.wrongToken, other.wrongToken)
})

t.test('the token endpoint is asked once per side, even by calls that overlap', async (t) => {
  let release = (): void => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  const sent: Request[] = []
  const answer: Exchange = { status: 200, headers: {}, body: JSON.stringify(ISSUED) }
  const slow = { send: async (request: Request) => { sent.push(request); await held; return answer } } as unknown as Client
  const session = new Session()
  const side = sideOf(slow, { token: undefined })
  const both = Promise.all([session.tokenExchange(side), session.issuedToken(side), session.token(side)])
  release()
  const [exchange, issued, token] = await both
  t.equal(exchange, answer)
  t.equal(issued, 'issued-token')
  t.equal(token, 'issued-token')
  t.strictSame(sent, [TOKEN_REQUEST], 'one request for three overlapping calls')
  t.equal(await session.tokenExchange(side), answer, 'and none after')
  t.equal(sent.length, 1)

  const { http, sent: otherSent } = fakeClient()
  const other = sideOf(http, { tokenUrl: 'https://other.example/token', client: { id: 'other', secret: 'other-secret' } })
  t.equal(await session.issuedToken(other), 'issued-token')
  t.strictSame(otherSent, [{ method: 'POST', url: 'https://other.example/token', headers: { authorization: basic('other', 'other-secret'), 'content-type': FORM }, body: 'grant_type=client_credentials' }], 'another side is asked on its own')
  t.equal(sent.length, 1, 'and the first is not asked again')

  const { http: freshHttp, sent: freshSent } = fakeClient()
  const fresh = sideOf(freshHttp)
  await new Session().tokenExchange(fresh)
  await new Session().tokenExchange(fresh)
  t.equal(freshSent.length, 2, 'a new session asks the same side again')
})

t.test('the token endpoint\'s answer is used as it is, whatever its status', async (t) => {
  const { http } = fakeClient(() => ({ status: 201, headers: {}, body: JSON.stringify({ access_token: 'odd-but-a-string' }) }))
  const side = sideOf(http, { token: undefined })
  t.equal(await new Session().issuedToken(side), 'odd-but-a-string')
  t.equal(await new Session().token(side), 'odd-but-a-string')
})

t.test('without an access_token string, the cases that need the issued token are skipped, naming the status', async (t) => {
  const answers: Array<[number, string]> = [
    [200, 'not json'],
    [502, '<html>Bad Gateway</html>'],
    [200, '{}'],
    [200, 'null'],
    [401, JSON.stringify({ error: 'invalid_client' })],
    [200, JSON.stringify({ access_token: 42 })],
    [200, JSON.stringify({ access_token: null })],
    [200, JSON.stringify({ access_token: ['a'] })],
    [200, JSON.stringify([{ access_token: 'in-an-array' }])]
  ]
  for (const [status, body] of answers) {
    const message = `no token: the token endpoint answered ${status} without an access_token (see token-success)`
    const { http, sent } = fakeClient(() => ({ status, headers: {}, body }))
    const session = new Session()
    const side = sideOf(http, { token: undefined })
    await unavailable(t, session.issuedToken(side), message)
    await unavailable(t, session.token(side), message)
    await unavailable(t, caseOf('ecosystem').send(side, session), message)
    await unavailable(t, caseOf('token-opens-lead').send(sideOf(http), session), message)
    t.equal((await caseOf('token-success').send(side, session)).body, body, 'token-success still answers what the endpoint said')
    t.equal(sent.length, 2, `${body}: asked once per side, nothing else sent`)
  }
})

t.test('an access_token a Bearer header cannot carry is no token either: those cases are skipped, not the run stopped', async (t) => {
  for (const token of ['two words', 'line\nbreak', 'señal', '', '=abc']) {
    const message = 'no token: the token endpoint answered 200 with an access_token that a Bearer header cannot carry (see token-success)'
    const { http, sent } = fakeClient(() => ({ status: 200, headers: {}, body: JSON.stringify({ access_token: token }) }))
    const session = new Session()
    const side = sideOf(http, { token: undefined })
    await unavailable(t, session.issuedToken(side), message)
    await unavailable(t, caseOf('ecosystem').send(side, session), message)
    t.equal(sent.length, 1, `${JSON.stringify(token)}: nothing sent with it`)
  }
  const { http } = fakeClient(() => ({ status: 200, headers: {}, body: JSON.stringify({ access_token: 'aZ09-._~+/==' }) }))
  t.equal(await new Session().issuedToken(sideOf(http, { token: undefined })), 'aZ09-._~+/==', 'every character RFC 6750 allows')
})

t.test('a token given is used without asking the token endpoint, even without client credentials', async (t) => {
  const { http, sent } = fakeClient()
  const session = new Session()
  const side = sideOf(http, { client: undefined })
  t.equal(await session.token(side), 'given-token')
  t.equal(await session.token(sideOf(http, { token: '' })), '', 'an empty token is a token given')
  t.strictSame(sent, [])
  t.equal(await session.issuedToken(sideOf(http)), 'issued-token', 'the issued token is another one')
})

t.test('without a phone, the phone case is skipped and both-parameters asks for an unknown phone', async (t) => {
  const { http, sent } = fakeClient()
  const session = new Session()
  const side = sideOf(http, { phone: undefined })
  await unavailable(t, caseOf('phone').send(side, session), NO_PHONE)
  t.strictSame(sent, [], 'nothing sent')
  await caseOf('both-parameters').send(side, session)
  await caseOf('phone-unknown').send(side, session)
  t.strictSame(sent, [
    lead(`?ecosystem=${ECOSYSTEM}&phone=573000000000`, 'Bearer given-token'),
    lead('?phone=573000000000', 'Bearer given-token')
  ])
})

t.test('without client credentials, the token cases are skipped, and so is every case without a token', async (t) => {
  const { http, sent } = fakeClient()
  const session = new Session()
  const side = sideOf(http, { client: undefined })
  for (const each of CASES) {
    if (NEED_CLIENT.includes(each.id)) {
      await unavailable(t, each.send(side, session), NO_CREDENTIALS)
    } else {
      const before = sent.length
      await each.send(side, session)
      t.equal(sent.length, before + 1, `${each.id}: sent with the token given`)
    }
  }
  t.equal(sent.filter(({ method }) => method === 'POST').length, 0, 'the token endpoint is never asked')

  const noTokenSent = fakeClient()
  const bare = sideOf(noTokenSent.http, { client: undefined, token: undefined })
  for (const id of GIVEN_OR_ISSUED) await unavailable(t, caseOf(id).send(bare, session), NO_CREDENTIALS)
  await unavailable(t, session.tokenExchange(bare), NO_CREDENTIALS)
  await unavailable(t, session.issuedToken(bare), NO_CREDENTIALS)
  await unavailable(t, session.token(bare), NO_CREDENTIALS)
  for (const id of ['auth-missing', 'auth-basic', 'auth-wrong-token']) await caseOf(id).send(bare, session)
  t.equal(noTokenSent.sent.length, 3, 'only the cases that need no token are sent')
})

t.test('the ecosystem case\'s check counts the leads of another ecosystem', async (t) => {
  const check = caseOf('ecosystem').check
  if (check === undefined) throw new Error('the ecosystem case has a check')
  const side = sideOf(fakeClient().http)
  const of = (ecosystem: string): { id: string, ecosystem: string } => ({ id: 'lead', ecosystem })
  const other = 'fd3705e1-3149-4c41-bfe7-cf0bee79cfad'
  t.strictSame(check(leadsAnswer([of(ECOSYSTEM), of(ECOSYSTEM)]), side, new Session()), [])
  t.strictSame(check(leadsAnswer([]), side, new Session()), [], 'no lead, none of another ecosystem')
  t.strictSame(check(leadsAnswer([of(other)]), side, new Session()), ['body[].ecosystem: not the ecosystem asked for (1 of 1 leads)'])
  t.strictSame(check(leadsAnswer([of(ECOSYSTEM), of(other), of(ECOSYSTEM), of(other)]), side, new Session()), ['body[].ecosystem: not the ecosystem asked for (2 of 4 leads)'])
  t.strictSame(check(leadsAnswer([of(ECOSYSTEM), of(ECOSYSTEM), of(`${ECOSYSTEM}0`)]), side, new Session()), ['body[].ecosystem: not the ecosystem asked for (1 of 3 leads)'], 'a longer id is another')
})

t.test('another spelling of the same UUID is the same ecosystem, on either side', async (t) => {
  const check = caseOf('ecosystem').check
  if (check === undefined) throw new Error('the ecosystem case has a check')
  const spellings = [ECOSYSTEM, ECOSYSTEM.toUpperCase(), `urn:uuid:${ECOSYSTEM}`, `URN:UUID:${ECOSYSTEM.toUpperCase()}`]
  const leads = spellings.map((ecosystem) => ({ ecosystem }))
  for (const asked of spellings) {
    t.strictSame(check(leadsAnswer(leads), sideOf(fakeClient().http, { ecosystem: asked }), new Session()), [], asked)
  }
})

t.test('the phone case\'s check wants the phone asked for', async (t) => {
  const check = caseOf('phone').check
  if (check === undefined) throw new Error('the phone case has a check')
  const side = sideOf(fakeClient().http)
  t.strictSame(check(leadsAnswer({ phone: PHONE }), side, new Session()), [])
  t.strictSame(check(leadsAnswer({ phone: '573001112233' }), side, new Session()), ['body.phone: not the phone asked for'])
  t.strictSame(check(leadsAnswer({ phone: Number(PHONE) }), side, new Session()), ['body.phone: not the phone asked for'], 'a number is not the phone')
  t.strictSame(check(leadsAnswer({}), side, new Session()), ['body.phone: not the phone asked for'])
})

t.test('the lookups take the first lead of the side\'s own ecosystem answer, asked once per side and shared with the ecosystem case', async (t) => {
  const { http, sent } = fakeClient()
  const session = new Session()
  const side = sideOf(http)
  const [ecosystem, byId] = await Promise.all([caseOf('ecosystem').send(side, session), caseOf('lead-by-id').send(side, session)])
  await caseOf('lead-by-nit').send(side, session)
  t.equal(ecosystem.body, JSON.stringify([FIRST_LEAD]))
  t.strictSame(sent, [lead(`?ecosystem=${ECOSYSTEM}`, 'Bearer given-token'), lead('?id=first%2Flead', 'Bearer given-token'), lead('?nit=900%20123-4', 'Bearer given-token')],
    'one ecosystem request for the three cases, even overlapping')
  t.equal(byId.body, '[]', 'the id case answers what the side answered to the id')
  t.strictSame(await session.firstLead(side), FIRST_LEAD)
})

t.test('without a lead with a text id and nit in the ecosystem answer, the lookups are skipped, naming the status', async (t) => {
  for (const [status, body] of [[200, '[]'], [200, 'not json'], [500, '{"error":"x"}'], [200, '[{"id":1,"nit":"2"}]'], [200, '[{"id":"1"}]'], [200, 'null'], [200, '[null]']] as const) {
    const { http, sent } = fakeClient((request) => request.url.includes('?ecosystem=') ? { status, headers: {}, body } : standardAnswer(request))
    const session = new Session()
    const side = sideOf(http)
    const message = `no lead to look up: GET /lead?ecosystem= answered ${status} without a lead that has a text id and nit (see ecosystem)`
    await unavailable(t, caseOf('lead-by-id').send(side, session), message)
    await unavailable(t, caseOf('lead-by-nit').send(side, session), message)
    t.equal(sent.length, 1, `${body}: only the ecosystem was asked`)
  }
})

t.test('the lookups\' checks want the lead asked for', async (t) => {
  const session = new Session()
  const { http } = fakeClient()
  const side = sideOf(http)
  const byId = caseOf('lead-by-id').check
  const byNit = caseOf('lead-by-nit').check
  if (byId === undefined || byNit === undefined) throw new Error('the lookups have checks')
  t.strictSame(await byId(leadsAnswer(FIRST_LEAD), side, session), [])
  t.strictSame(await byId(leadsAnswer({ ...FIRST_LEAD, id: 'other' }), side, session), ['body.id: not the lead asked for'])
  t.strictSame(await byNit(leadsAnswer(FIRST_LEAD), side, session), [])
  t.strictSame(await byNit(leadsAnswer({ ...FIRST_LEAD, nit: '900123-4' }), side, session), ['body.nit: not the NIT asked for'])
})
