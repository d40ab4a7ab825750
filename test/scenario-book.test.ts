// The scenario book on its own, without HTTP: which request a scenario applies to, what it refuses,
// and how its limits count. test/scenarios.test.ts drives the same through the server.
import t from 'tap'
import { SCENARIO_OVERHEAD, ScenarioBook, type ScenarioLimits, type ScenarioRequest } from '../src/core/scenarios/scenario-book.js'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE } from '../src/core/leads/schema.js'
import { TokenDigest } from '../src/core/tokens/token.js'

const ROOMY: ScenarioLimits = { maxScenarios: 100, maxScenariosPerToken: 100, maxScenarioBytes: 1_000_000, maxScenarioBytesPerToken: 1_000_000 }
const FAIL = { respond: { status: 503 } }

const request = (overrides: Partial<ScenarioRequest> = {}): ScenarioRequest =>
  ({ path: '/lead', token: TokenDigest.of('token-a'), ecosystem: undefined, phone: undefined, ...overrides })

const refusal = (book: ScenarioBook, candidate: unknown): { status: number, message: string } | undefined => {
  try {
    book.add(candidate)
    return undefined
  } catch (error) {
    return { status: (error as { statusCode: number }).statusCode, message: (error as Error).message }
  }
}

t.test('a scenario is stored as it is listed: defaults filled in, the token shown by its fingerprint', async (t) => {
  const book = new ScenarioBook(ROOMY)
  t.same(book.add({ delayMs: 5 }), { id: 'scn_1', match: {}, delayMs: 5, drop: false, remaining: null, hits: 0 })
  t.same(book.add({ match: { token: 'token-a', ecosystem: `urn:uuid:${EXAMPLE_ECOSYSTEM.toUpperCase()}` }, drop: true, times: 2 }), {
    id: 'scn_2',
    match: { ecosystem: EXAMPLE_ECOSYSTEM, token: TokenDigest.of('token-a').fingerprint },
    delayMs: 0,
    drop: true,
    remaining: 2,
    hits: 0
  }, 'the ecosystem in the form leads are stored in')
  t.equal(book.size, 2)
  t.notOk('respond' in book.add({ delayMs: 1 }), 'no respond key when there is nothing to respond')
})

t.test('what a scenario applies to: every field it names, and nothing it does not', async (t) => {
  const book = new ScenarioBook(ROOMY)
  const byPath = book.add({ match: { path: '/oauth2/token' }, ...FAIL })
  const byEcosystem = book.add({ match: { ecosystem: EXAMPLE_ECOSYSTEM }, ...FAIL })
  const byPhone = book.add({ match: { phone: EXAMPLE_PHONE }, ...FAIL })
  const byToken = book.add({ match: { token: 'token-b' }, ...FAIL })
  const which = (overrides: Partial<ScenarioRequest>): string | undefined => book.take(request(overrides))?.id

  t.equal(which({ path: '/oauth2/token', token: undefined }), byPath.id, 'a path, with or without a token')
  t.equal(which({ ecosystem: EXAMPLE_ECOSYSTEM.toUpperCase() }), byEcosystem.id, 'an ecosystem, however the request spells it')
  t.equal(which({ ecosystem: `urn:uuid:${EXAMPLE_ECOSYSTEM}` }), byEcosystem.id)
  t.equal(which({ ecosystem: [EXAMPLE_ECOSYSTEM] }), undefined, 'a repeated parameter is no ecosystem')
  t.equal(which({ phone: EXAMPLE_PHONE }), byPhone.id, 'a phone')
  t.equal(which({ phone: '573000000000' }), undefined, 'another phone: none')
  t.equal(which({ token: TokenDigest.of('token-b') }), byToken.id, 'a token: only its own requests')
  t.equal(which({ token: undefined }), undefined)

  const any = new ScenarioBook(ROOMY)
  const everything = any.add(FAIL)
  t.equal(any.take(request({ phone: EXAMPLE_PHONE }))?.id, everything.id, 'a scenario that names nothing applies to a phone lookup')
  t.equal(any.take(request({ ecosystem: EXAMPLE_ECOSYSTEM, token: undefined }))?.id, everything.id, 'and to any other request')
  t.equal(any.take(request({ path: '/oauth2/token' }))?.id, everything.id)
})

t.test('the first scenario that matches applies; times counts it down and removes it', async (t) => {
  const book = new ScenarioBook(ROOMY)
  const once = book.add({ ...FAIL, times: 1 })
  const twice = book.add({ ...FAIL, times: 2 })
  const always = book.add(FAIL)
  const taken = [1, 2, 3, 4, 5].map(() => book.take(request()))
  t.same(taken.map((scenario) => scenario?.id), [once.id, twice.id, twice.id, always.id, always.id])
  t.same(book.list().map(({ id, hits, remaining }) => ({ id, hits, remaining })), [{ id: always.id, hits: 2, remaining: null }])
  t.equal(twice.hits, 2)
  t.equal(twice.remaining, 0)
  t.equal(book.size, 1, 'used-up scenarios leave the book')
  t.equal(book.bytes, Buffer.byteLength(JSON.stringify(FAIL)) + SCENARIO_OVERHEAD, 'and their bytes with them')
})

t.test('listing, removing and clearing, for every token or for one', async (t) => {
  const book = new ScenarioBook(ROOMY)
  const open = book.add(FAIL)
  const a = book.add({ match: { token: 'token-a' }, ...FAIL })
  const b = book.add({ match: { token: 'token-b' }, ...FAIL })
  t.same(book.list().map((scenario) => scenario.id), [open.id, a.id, b.id], 'without a token: all of them, token-bound ones too')
  t.same(book.list('token-a').map((scenario) => scenario.id), [a.id], 'with one: only its own')
  t.same(book.list('token-c'), [])
  t.equal(book.remove('scn_404'), false)
  t.equal(book.remove(a.id), true)
  t.equal(book.remove(a.id), false, 'gone already')
  t.equal(book.clear('token-c'), 0)
  t.equal(book.clear('token-b'), 1)
  t.same(book.list().map((scenario) => scenario.id), [open.id], 'the others stay')
  t.equal(book.size, 1)
  book.add({ match: { token: 'token-c' }, ...FAIL })
  t.equal(book.clear(), 2, 'without a token: all of them, token-bound ones too')
  t.equal(book.size, 0)
  t.equal(book.bytes, 0, 'the bytes are back where they started')
})

t.test('a scenario cannot set a header that frames the response, in any spelling', async (t) => {
  const book = new ScenarioBook(ROOMY)
  for (const name of ['content-length', 'Transfer-Encoding', 'connection', 'Keep-Alive', 'upgrade', 'TRAILER']) {
    t.same(refusal(book, { respond: { status: 200, headers: { 'x-ok': '1', [name]: '1' } } }),
      { status: 400, message: `a scenario cannot set ${name}: the server frames the response itself` }, name)
  }
  t.equal(refusal(book, { respond: { status: 200, headers: { 'retry-after': '30', 'content-type': 'text/plain' } } }), undefined, 'others are fine')
  t.equal(book.size, 1)
})

t.test('what a scenario must and must not be', async (t) => {
  const book = new ScenarioBook(ROOMY)
  for (const notAnObject of [null, undefined, 'fail', []]) {
    t.same(refusal(book, notAnObject), { status: 400, message: 'scenario: expected object' }, String(notAnObject))
  }
  t.same(refusal(book, {}), { status: 400, message: 'a scenario needs respond, drop or delayMs' })
  t.same(refusal(book, { drop: false }), { status: 400, message: 'a scenario needs respond, drop or delayMs' })
  t.same(refusal(book, { drop: true, respond: { status: 500 } }), { status: 400, message: 'a scenario either responds or drops the connection, not both' })
  t.same(refusal(book, { drop: true, delayMs: 10 }), undefined, 'a drop after a delay')
  t.same(refusal(book, { drop: false, delayMs: 10 }), undefined, 'a delay alone')
  t.same(refusal(book, { respond: { status: 200, body: nested(64) } }), undefined, '64 levels')
  t.same(refusal(book, { respond: { status: 200, body: nested(65) } }), { status: 400, message: 'a scenario\'s respond.body may nest at most 64 levels deep' })
  t.same(refusal(book, { times: 0, ...FAIL }), { status: 400, message: 'scenario: field times: expected integer to be greater or equal to 1' })
  t.equal(book.size, 3)
})

t.test('limits: how many, and how large, overall and per token; a refusal stores nothing', async (t) => {
  const bytes = Buffer.byteLength(JSON.stringify(FAIL)) + SCENARIO_OVERHEAD
  const tokenBytes = Buffer.byteLength(JSON.stringify({ match: { token: 'token-a' }, ...FAIL })) + SCENARIO_OVERHEAD

  const count = new ScenarioBook({ ...ROOMY, maxScenarios: 2 })
  count.add(FAIL)
  count.add({ match: { token: 'token-a' }, ...FAIL })
  t.same(refusal(count, { match: { token: 'token-b' }, ...FAIL }), { status: 409, message: 'one more scenario in this space would pass MAX_SCENARIOS (2); remove some first (DELETE /__admin/scenarios)' })
  count.take(request({ token: TokenDigest.of('token-b') }))
  count.clear('token-a')
  t.equal(refusal(count, FAIL), undefined, 'room again once one is cleared')

  const perToken = new ScenarioBook({ ...ROOMY, maxScenariosPerToken: 1 })
  perToken.add({ match: { token: 'token-a' }, ...FAIL })
  t.same(refusal(perToken, { match: { token: 'token-a' }, ...FAIL }), { status: 409, message: 'one more of this token\'s scenarios would pass MAX_SCENARIOS_PER_TOKEN (1); remove some first (DELETE /__admin/scenarios)' })
  t.equal(refusal(perToken, { match: { token: 'token-b' }, ...FAIL }), undefined, 'another token has its own count')
  perToken.add(FAIL)
  t.same(refusal(perToken, FAIL), { status: 409, message: 'one more of scenarios that name no token would pass MAX_SCENARIOS_PER_TOKEN (1); remove some first (DELETE /__admin/scenarios)' })

  const total = new ScenarioBook({ ...ROOMY, maxScenarioBytes: 2 * bytes })
  total.add(FAIL)
  total.add(FAIL)
  t.same(refusal(total, FAIL), { status: 409, message: `the total size of this space's scenarios would pass MAX_SCENARIO_BYTES (${2 * bytes}); remove some first (DELETE /__admin/scenarios)` })
  total.remove('scn_1')
  t.equal(refusal(total, FAIL), undefined, 'exactly at the limit is fine')

  const own = new ScenarioBook({ ...ROOMY, maxScenarioBytesPerToken: tokenBytes })
  t.equal(refusal(own, { match: { token: 'token-a' }, ...FAIL }), undefined, 'exactly at the limit is fine')
  t.same(refusal(own, { match: { token: 'token-a' }, ...FAIL }), { status: 409, message: `the total size of this token's scenarios would pass MAX_SCENARIO_BYTES_PER_TOKEN (${tokenBytes}); remove some first (DELETE /__admin/scenarios)` })
  t.same(refusal(own, { match: { token: 'token-a' }, respond: { status: 503, body: 'x' } }),
    { status: 413, message: `the scenario takes ${tokenBytes + 11} bytes (its JSON and ${SCENARIO_OVERHEAD} of bookkeeping), over MAX_SCENARIO_BYTES_PER_TOKEN (${tokenBytes})` }, 'one scenario too large on its own')
  t.same(own.list().length, 1)
})

t.test('each book has its own limits: a full one leaves another room', async (t) => {
  const shared = new ScenarioBook({ ...ROOMY, maxScenarios: 2 })
  const sandbox = new ScenarioBook({ ...ROOMY, maxScenarios: 2 })
  sandbox.add({ match: { token: 'invented-1' }, ...FAIL })
  sandbox.add({ match: { token: 'invented-2' }, ...FAIL })
  t.equal(refusal(sandbox, { match: { token: 'invented-3' }, ...FAIL })?.status, 409, 'the sandbox is full, whatever tokens it names')
  t.equal(refusal(shared, FAIL), undefined, 'the shared data is not')
})

t.test('a body is kept serialized and listed as it was given; the answer is what the request gets', async (t) => {
  const book = new ScenarioBook(ROOMY)
  const json = book.add({ match: { path: '/lead' }, respond: { status: 503, body: { message: 'mantenimiento', list: [1, 2] }, headers: { 'retry-after': '30' } } })
  const text = book.add({ respond: { status: 200, body: '<p>hola</p>' }, match: { path: '/oauth2/token' } })
  const none = book.add({ respond: { status: 500 }, match: { phone: EXAMPLE_PHONE } })
  t.same(book.list().map((scenario) => scenario.respond), [
    { status: 503, body: { message: 'mantenimiento', list: [1, 2] }, headers: { 'retry-after': '30' } },
    { status: 200, body: '<p>hola</p>' },
    { status: 500 }
  ])
  t.same(book.take(request())?.respond, { status: 503, headers: { 'retry-after': '30' }, payload: '{"message":"mantenimiento","list":[1,2]}', contentType: 'application/json; charset=utf-8' })
  t.same(book.take(request({ path: '/oauth2/token' }))?.respond, { status: 200, headers: {}, payload: '<p>hola</p>', contentType: 'text/plain; charset=utf-8' })
  t.same(book.take(request({ path: '/update-lead' }))?.respond, undefined, 'a path none names')
  book.remove(json.id)
  book.remove(text.id)
  t.same(book.take(request({ phone: EXAMPLE_PHONE }))?.respond, {
    status: 500, headers: {}, payload: `{"statusCode":500,"error":"Internal Server Error","message":"injected by scenario ${none.id}"}`, contentType: 'application/json; charset=utf-8'
  }, 'no body: an error body in Fastify\'s shape')
})

function nested (depth: number): unknown {
  let value: unknown = 1
  for (let i = 0; i < depth; i++) value = [value]
  return value
}
