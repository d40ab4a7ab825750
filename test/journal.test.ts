import t from 'tap'
import { TokenDigest } from '../src/core/tokens/token.js'

const fingerprint = (token: string): string => TokenDigest.of(token).fingerprint
import { DEV_CLIENT, DEV_TOKEN } from '../src/core/config.js'
import { Journal, JournalBudget, type JournalEntry, type JournalRecord } from '../src/core/journal/journal.js'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE } from '../src/core/leads/schema.js'
import { ADMIN, ADMIN_TOKEN, AUTH, build } from './helper.js'

interface JournalPage { capacity: number, dropped: number, entries: JournalEntry[] }

t.test('every request to the LeanCore routes is recorded, with the token as a fingerprint only', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  const before = Date.now()
  await app.inject({ method: 'GET', url: `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}&extra=1`, headers: AUTH })
  await app.inject({ method: 'GET', url: '/lead?phone=573000000000', headers: { authorization: 'Bearer wrong-token' } })
  await app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: { authorization: `Basic ${Buffer.from(`${DEV_CLIENT.id}:${DEV_CLIENT.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=client_credentials'
  })
  await app.inject({ method: 'GET', url: '/health' })
  await app.inject({ method: 'GET', url: '/__admin/leads', headers: ADMIN })
  const response = await app.inject({ method: 'GET', url: '/__admin/journal', headers: ADMIN })
  const page = response.json<JournalPage>()
  t.equal(page.capacity, 1000)
  t.equal(page.dropped, 0)
  t.equal(page.entries.length, 3, 'health and admin requests are not LeanCore routes')
  t.match(page.entries[0], {
    seq: 1,
    method: 'GET',
    path: '/lead',
    query: { ecosystem: EXAMPLE_ECOSYSTEM, extra: '1' },
    status: 200,
    durationMs: Number,
    token: fingerprint(DEV_TOKEN),
    client: null,
    scenario: null
  })
  t.ok(Date.parse(page.entries[0]?.time as string) >= before - 5)
  t.match(page.entries[1], { path: '/lead', status: 401, token: fingerprint('wrong-token') })
  t.match(page.entries[2], { method: 'POST', path: '/oauth2/token', status: 200, token: null, client: DEV_CLIENT.id })
  t.notMatch(response.body, DEV_TOKEN)
  t.notMatch(response.body, 'wrong-token')
})

t.test('an entry is timed from when the request arrived, and lasts as long as it took', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  app.fixture.scenarios.add({ match: { ecosystem: EXAMPLE_ECOSYSTEM }, delayMs: 150, times: 1 })
  const sent = Date.now()
  await app.inject({ method: 'GET', url: `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, headers: AUTH })
  const answered = Date.now()
  const [entry] = (await app.inject({ method: 'GET', url: '/__admin/journal', headers: ADMIN })).json<JournalPage>().entries
  const arrived = Date.parse(entry?.time as string)
  t.ok((entry?.durationMs as number) >= 150, `it took the scenario's delay: ${entry?.durationMs} ms`)
  t.ok(arrived >= sent - 1 && arrived + (entry?.durationMs as number) <= answered + 1, `arrived ${arrived - sent} ms after sending`)
})

t.test('the journal filters by path, status and token, and keeps the newest with limit', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN, tokens: ['token-a', 'token-b'] })
  for (const token of ['token-a', 'token-b', 'token-a']) {
    await app.inject({ method: 'GET', url: `/lead?phone=${EXAMPLE_PHONE}`, headers: { authorization: `Bearer ${token}` } })
  }
  await app.inject({ method: 'GET', url: '/lead?phone=bad', headers: { authorization: 'Bearer token-a' } })
  await app.inject({ method: 'POST', url: '/oauth2/token' })
  const query = async (filter: string): Promise<number[]> =>
    (await app.inject({ method: 'GET', url: `/__admin/journal?${filter}`, headers: ADMIN })).json<JournalPage>().entries.map((entry) => entry.seq)
  t.same(await query('token=token-a'), [1, 3, 4])
  t.same(await query(`token=${fingerprint('token-b')}`), [2])
  t.same(await query('status=400'), [4])
  t.same(await query('path=/oauth2/token'), [5])
  t.same(await query('path=/lead&status=200&limit=2'), [2, 3])
  t.same(await query('token=token-c'), [])
})

t.test('DELETE /__admin/journal empties it', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  await app.inject({ method: 'GET', url: `/lead?phone=${EXAMPLE_PHONE}`, headers: AUTH })
  t.equal((await app.inject({ method: 'DELETE', url: '/__admin/journal', headers: ADMIN })).statusCode, 204)
  t.same((await app.inject({ method: 'GET', url: '/__admin/journal', headers: ADMIN })).json<JournalPage>().entries, [])
})

t.test('the journal is capped: past JOURNAL_SIZE the oldest entries go first', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN, journalSize: 3 })
  for (let i = 0; i < 5; i++) await app.inject({ method: 'GET', url: `/lead?phone=57300000000${i}`, headers: AUTH })
  const page = (await app.inject({ method: 'GET', url: '/__admin/journal', headers: ADMIN })).json<JournalPage>()
  t.equal(page.capacity, 3)
  t.equal(page.dropped, 2)
  t.same(page.entries.map((entry) => [entry.seq, entry.query.phone]), [[3, '573000000002'], [4, '573000000003'], [5, '573000000004']])
})

t.test('JOURNAL_SIZE=0 turns the journal off', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN, journalSize: 0 })
  await app.inject({ method: 'GET', url: `/lead?phone=${EXAMPLE_PHONE}`, headers: AUTH })
  t.same((await app.inject({ method: 'GET', url: '/__admin/journal', headers: ADMIN })).json(), { capacity: 0, dropped: 0, entries: [] })
})

t.test('entries are bounded in size, and secrets a client puts in the query are scrubbed', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  const many = Array.from({ length: 30 }, (_, i) => `k${i}=v`).join('&')
  await app.inject({ method: 'GET', url: `/lead?access_token=${DEV_TOKEN}&long=${'x'.repeat(1000)}&list=a&list=b&${many}`, headers: AUTH })
  const [entry] = (await app.inject({ method: 'GET', url: '/__admin/journal', headers: ADMIN })).json<JournalPage>().entries
  t.equal(entry?.query.access_token, '[redacted]')
  t.equal((entry?.query.long as string).length, 256)
  t.same(entry?.query.list, ['a', 'b'])
  t.equal(Object.keys(entry?.query ?? {}).length, 20)
})

const scrub = (text: string): string => text.replaceAll('s3cret', '[redacted]')
const record = (overrides: Partial<JournalRecord>): JournalRecord => ({
  at: Date.UTC(2026, 0, 2, 3, 4, 5, 6),
  method: 'GET',
  path: '/lead',
  query: {},
  status: 200,
  durationMs: 1,
  token: undefined,
  client: undefined,
  scenario: undefined,
  ...overrides
})

t.test('an entry as the Journal keeps it: durations to a hundredth of a millisecond, arrays and client ids cut', async (t) => {
  const journal = new Journal({ capacity: 2, maxBytes: 1_000_000 }, scrub)
  journal.record(record({ durationMs: 12.3456, query: { list: Array.from({ length: 30 }, (_, i) => `v${i}`) } }))
  journal.record(record({ durationMs: 0.004, client: `s3cret${'c'.repeat(300)}`, status: null, scenario: 'scn_1' }))
  const [first, second] = journal.list()
  t.same(first, {
    seq: 1,
    time: '2026-01-02T03:04:05.006Z',
    method: 'GET',
    path: '/lead',
    query: { list: Array.from({ length: 20 }, (_, i) => `v${i}`) },
    status: 200,
    durationMs: 12.35,
    token: null,
    client: null,
    scenario: null,
    headers: {},
    body: null,
    reason: null
  }, 'the first 20 values of a repeated parameter, the duration rounded')
  t.equal(second?.durationMs, 0, 'under half a hundredth rounds to 0')
  t.equal(second?.client, `[redacted]${'c'.repeat(246)}`, 'scrubbed, then cut to 256 characters')
  t.equal(second?.status, null)
  t.equal(second?.scenario, 'scn_1')
  t.equal(journal.dropped, 0)
  journal.record(record({ path: '/oauth2/token' }))
  t.equal(journal.dropped, 1, 'one pushed out by a third entry')
  t.same(journal.list().map((entry) => [entry.seq, entry.path]), [[2, '/lead'], [3, '/oauth2/token']], 'oldest first, the ring wrapped')
  t.same(journal.list({ limit: 1 }).map((entry) => entry.seq), [3])
  journal.clear()
  t.same(journal.list(), [])
  t.equal(journal.dropped, 0)
  journal.record(record({}))
  t.equal(journal.list()[0]?.seq, 1, 'numbered from 1 again after a clear')
})

t.test('headers, body and reason are kept cut and scrubbed; a bearer token only as its fingerprint', async (t) => {
  const journal = new Journal({ capacity: 10, maxBytes: 1_000_000 }, scrub)
  const headers = ['Host', 'localhost', 'Authorization', 'Bearer s3cret-token', 'Cookie', 'session=abc', 'X-Api-Key', 'k', 'X-Note', `s3cret ${'n'.repeat(300)}`,
    'Accept', 'a', 'Accept', 'b', ...Array.from({ length: 30 }, (_, i) => [`x-${i}`, String(i)]).flat()]
  journal.record(record({ token: TokenDigest.of('s3cret-token'), headers, body: `{"password":"s3cret"}${' '.repeat(3000)}`, reason: `bad ${'r'.repeat(600)}`, status: 400 }))
  journal.record(record({ headers: ['authorization', 'Basic czNjcmV0Og=='] }))
  const [first, second] = journal.list()
  t.same(Object.keys(first?.headers ?? {}).length, 20 - 1, 'the first 20 headers, a repeated one joined')
  t.equal(first?.headers.host, 'localhost')
  t.equal(first?.headers.authorization, `Bearer ${fingerprint('s3cret-token')}`)
  t.equal(first?.headers.cookie, '[redacted]')
  t.equal(first?.headers['x-api-key'], '[redacted]')
  t.equal(first?.headers['x-note'], `[redacted] ${'n'.repeat(245)}`, 'scrubbed, then cut to 256')
  t.equal(first?.headers.accept, 'a, b')
  t.equal(first?.body, `{"password":"[redacted]"}${' '.repeat(2048 - 25)}`, 'the body scrubbed, then cut to 2,048')
  t.equal(first?.reason?.length, 512)
  t.equal(second?.headers.authorization, 'Basic [redacted]', 'other schemes keep only their name')
  t.equal(second?.body, null)
  t.equal(second?.reason, null)
})

t.test('JOURNAL_BYTES: past its bytes the oldest entries go; an entry larger than all of it is not kept', async (t) => {
  const one = (new Journal({ capacity: 100, maxBytes: 1_000_000 }, scrub))
  one.record(record({ body: 'x'.repeat(1000), scenario: 'xx' }))
  const size = one.bytes
  t.ok(size > 2000 && size < 3000, `an entry with a 1,000-character body costs its text twice over and its overhead (${size})`)
  const journal = new Journal({ capacity: 100, maxBytes: size * 3 }, scrub)
  for (let i = 0; i < 5; i++) journal.record(record({ body: 'x'.repeat(1000), scenario: `s${i}` }))
  t.same(journal.list().map((entry) => entry.scenario), ['s2', 's3', 's4'], 'three fit; the oldest went')
  t.equal(journal.dropped, 2)
  t.ok(journal.bytes <= size * 3)
  const tiny = new Journal({ capacity: 100, maxBytes: 1000 }, scrub)
  tiny.record(record({ body: 'y'.repeat(1000) }))
  t.same(tiny.list(), [], 'too large for the journal at all')
})

t.test('JOURNAL_TOTAL_BYTES: past it, the journal that holds the most gives up its oldest', async (t) => {
  const probe = new Journal({ capacity: 100, maxBytes: 1_000_000 }, scrub)
  probe.record(record({ body: 'x'.repeat(1000), scenario: 'xx' }))
  const size = probe.bytes
  const budget = new JournalBudget(size * 4)
  const busy = new Journal({ capacity: 100, maxBytes: 1_000_000 }, scrub, budget)
  const quiet = new Journal({ capacity: 100, maxBytes: 1_000_000 }, scrub, budget)
  quiet.record(record({ body: 'x'.repeat(1000), scenario: 'qq' }))
  for (let i = 0; i < 10; i++) busy.record(record({ body: 'x'.repeat(1000), scenario: `b${i}` }))
  t.same(quiet.list().map((entry) => entry.scenario), ['qq'], 'the quiet journal keeps its entry')
  t.same(busy.list().map((entry) => entry.scenario), ['b7', 'b8', 'b9'], 'the busy one keeps its newest')
  t.equal(budget.bytes, size * 4)
  busy.release()
  t.equal(budget.bytes, size, 'a released journal gives its bytes back')
  t.notOk(budget.journals.has(busy))
  busy.dropOldest()
  t.equal(budget.bytes, size, 'dropping from an empty journal changes nothing')
})

t.test('a journal that has dropped thousands of entries still lists exactly its newest, in order', async (t) => {
  const journal = new Journal({ capacity: 3, maxBytes: 1_000_000 }, scrub)
  for (let i = 0; i < 5000; i++) journal.record(record({ scenario: `s${i}` }))
  t.same(journal.list().map((entry) => [entry.seq, entry.scenario]), [[4998, 's4997'], [4999, 's4998'], [5000, 's4999']])
  t.equal(journal.dropped, 4997)
  t.equal(journal.size, 3)
})

t.test('why a request failed: the message of its error answer, OAuth\'s description, or the body a scenario gave', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  const fail = async (respond: { status: number, body: unknown }): Promise<void> => {
    app.fixture.scenarios.add({ respond, times: 1 })
    await app.inject({ method: 'GET', url: `/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, headers: AUTH })
  }
  await fail({ status: 503, body: 'mantenimiento programado' })
  await fail({ status: 502, body: { detail: 'gateway' } })
  await fail({ status: 500, body: { message: 42 } })
  await app.inject({ method: 'GET', url: '/lead?ecosystem=nope', headers: AUTH })
  await app.inject({ method: 'POST', url: '/oauth2/token', headers: { authorization: 'Basic bm86bm8=', 'content-type': 'application/x-www-form-urlencoded' }, payload: 'grant_type=client_credentials' })
  t.same(app.fixture.journal.entries().map((entry) => entry.reason), [
    'mantenimiento programado',
    '{"detail":"gateway"}',
    '{"message":42}',
    `querystring/ecosystem must be a UUID, like ${EXAMPLE_ECOSYSTEM}`,
    'The client credentials are invalid.'
  ])
})

t.test('a refused bearer token is journaled with which way it was wrong; an answer a scenario gives keeps its message', async (t) => {
  let now = Date.UTC(2026, 0, 1)
  const app = await build(t, { tokenTtl: 60, adminToken: ADMIN_TOKEN }, { now: () => now })
  const issued = app.fixture.issueToken().access_token
  now += 60_000
  const cases: Array<[string | undefined, string]> = [
    [undefined, '401: no Authorization header'],
    ['Basic YTpi', '401: the Authorization scheme is Basic, not Bearer'],
    [issued, '401: the Authorization header does not start with "Bearer " (a token without its scheme?)'],
    [`${issued.slice(0, 30)} x`, '401: the Authorization header does not start with "Bearer " (a token without its scheme?)'],
    ['Bearerx never-issued', '401: the Authorization header does not start with "Bearer " (a token without its scheme?)'],
    ['xBearer never-issued', '401: the Authorization header does not start with "Bearer " (a token without its scheme?)'],
    ['Bearer', '401: Bearer without a token'],
    [`Bearer ${issued}`, '401: the token expired'],
    ['Bearer never-issued', '401: a token this server does not know (never issued, revoked with its sandbox, or expired a while ago), or one for another role'],
    [`Bearer ${ADMIN_TOKEN}`, '401: a token this server does not know (never issued, revoked with its sandbox, or expired a while ago), or one for another role']
  ]
  for (const [authorization, reason] of cases) {
    const response = await app.inject({ method: 'GET', url: '/lead?phone=573136434030', headers: authorization === undefined ? {} : { authorization } })
    t.equal(response.statusCode, 401)
    t.equal(app.fixture.journal.entries().at(-1)?.reason, reason, authorization ?? 'no header')
  }
  t.notMatch(JSON.stringify(app.fixture.journal.entries()), issued.slice(4, 20), 'no part of a token is repeated')
  t.equal((await app.inject({ method: 'GET', url: '/lead?phone=573136434030', headers: AUTH })).statusCode, 200)
  t.equal(app.fixture.journal.entries().at(-1)?.reason, null, 'a success has no reason')
  t.equal((await app.inject({ method: 'GET', url: '/lead?ecosystem=nope', headers: AUTH })).statusCode, 400)
  t.match(app.fixture.journal.entries().at(-1)?.reason, /^querystring\/ecosystem must be a UUID/, 'a 400 keeps its message')
  t.equal((await app.inject({ method: 'GET', url: '/__admin/journal', headers: AUTH })).statusCode, 401, 'an API token on the admin API')
  app.fixture.scenarios.add({ respond: { status: 401, body: { message: 'as the scenario says' } }, times: 1 })
  t.equal((await app.inject({ method: 'GET', url: '/lead?phone=573136434030', headers: AUTH })).statusCode, 401)
  t.equal(app.fixture.journal.entries().at(-1)?.reason, 'as the scenario says')
  const token = await app.inject({ method: 'POST', url: '/oauth2/token', headers: { authorization: 'Basic bm86bm8=', 'content-type': 'application/x-www-form-urlencoded' }, payload: 'grant_type=client_credentials' })
  t.equal(token.statusCode, 401)
  t.equal(app.fixture.journal.entries().at(-1)?.reason, 'The client credentials are invalid.', 'the token endpoint keeps LeanCore\'s description')
})
