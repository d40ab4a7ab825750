// The lead's lifecycle after the read, over real sockets, as a team's integration walks it: create,
// update, assign to a fintech, turn into a client, then the user. Twice at once, in two sandboxes,
// with no cross-talk.
import t, { type Test } from 'tap'
import { startServer, type MockServer } from '../../src/index.js'
import { ADMIN_TOKEN } from '../helper.js'

const ECOSYSTEM = 'fd3705e1-3149-4c41-bfe7-cf0bee79cfad'
type Json = Record<string, any>

async function call (mock: MockServer, token: string, method: string, path: string, body?: unknown): Promise<{ status: number, body: Json }> {
  const response = await fetch(`${mock.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  return { status: response.status, body: await response.json() as Json }
}

/** The whole path in one sandbox; `suffix` makes its person its own. */
async function walk (t: Test, mock: MockServer, token: string, suffix: string): Promise<void> {
  const [entity] = (await call(mock, token, 'GET', `/__admin/financial-entities?ecosystem=${ECOSYSTEM}`)).body.financialEntities as Json[]
  const uid = entity?.uid as string
  const person = { name: `Ana ${suffix}`, nit: `10941234${suffix}`, phone: `5730012345${suffix}`, email: `ana${suffix}@example.co`, ecosystem: ECOSYSTEM }
  const created = await call(mock, token, 'POST', '/create-lead', person)
  t.equal(created.status, 200, 'created')
  const leadId = created.body.id as string
  const updated = await call(mock, token, 'POST', '/update-lead', { id: leadId, lead_status: 'pre_approved' })
  t.equal(updated.body.status, 'pre_approved', 'lead_status in, status out')
  const assigned = await call(mock, token, 'POST', '/assign-lead-to-financial-entity', { lead_id: leadId, financial_entity_id: uid })
  t.equal(assigned.status, 200)
  t.same(Object.keys(assigned.body).length, 18, 'the assignment answers the lead, 18 keys')
  t.equal(assigned.body.status, 'pre_approved', 'and does not change its status')
  const converted = await call(mock, token, 'POST', '/turn-lead-into-client', { lead_id: leadId, financial_entity_id: uid })
  t.equal(converted.status, 200)
  t.equal(converted.body._id, leadId, '_id is the lead\'s id')
  t.notOk('id' in converted.body, '_id, not id')
  t.same(Object.keys(converted.body).sort(), ['_id', 'additional_data', 'address', 'apn_token', 'business_entity', 'business_name', 'ecosystem', 'email', 'history',
    'image', 'lastname', 'name', 'nit', 'payment_data', 'phone', 'quota', 'score', 'status'], 'the documented keys')

  t.equal((await call(mock, token, 'GET', `/lead?id=${leadId}`)).status, 404, 'the lead is gone by id')
  t.equal((await call(mock, token, 'GET', `/lead?nit=${person.nit}`)).status, 404, 'by NIT')
  t.equal((await call(mock, token, 'GET', `/lead?phone=${person.phone}`)).status, 404, 'by phone')
  t.notOk(((await call(mock, token, 'GET', `/lead?ecosystem=${ECOSYSTEM}`)).body as unknown as Json[]).some((lead) => lead.id === leadId), 'and from its ecosystem')
  t.equal((await call(mock, token, 'POST', '/turn-lead-into-client', { lead_id: leadId, financial_entity_id: uid })).status, 404, 'converting it again: no such lead')

  const byId = await call(mock, token, 'GET', `/user?id=${leadId}`)
  t.equal(byId.status, 200)
  t.match(byId.body, { id: leadId, name: person.name, status: 'pre_approved', available_quota: Number })
  t.equal(byId.body.available_quota, byId.body.quota, 'available_quota is the quota: no loans in the mock')
  t.same((await call(mock, token, 'GET', `/user?nit=${person.nit}`)).body, byId.body, 'by NIT: the same user')

  const everyone = await call(mock, token, 'GET', `/financial-entity-users?id=${uid}&limit=100`)
  t.equal(everyone.status, 200)
  const size = everyone.body.size as number
  t.equal((everyone.body.data as Json[]).length, size, 'size counts them all')
  t.same((everyone.body.data as Json[]).at(-1), { uid: leadId, name: person.name, nit: person.nit, email: person.email, phone: person.phone, address: '' }, 'the new user, last')
  const pages = []
  for (let offset = 0; offset < size; offset += 1) pages.push(...(await call(mock, token, 'GET', `/financial-entity-users?id=${uid}&limit=1&offset=${offset}`)).body.data as Json[])
  t.same(pages, everyone.body.data, 'a page of one at a time gives the same users, in order')

  const renamed = await call(mock, token, 'POST', '/update-user', { id: leadId, name: `Ana María ${suffix}`, status: 'active' })
  t.equal(renamed.status, 200)
  t.match(renamed.body, { id: leadId, name: `Ana María ${suffix}`, status: 'active', available_quota: byId.body.available_quota })
  t.equal((await call(mock, token, 'GET', `/user?id=${leadId}`)).body.name, `Ana María ${suffix}`, 'and the read sees it')
}

t.test('the whole path, twice at once in two sandboxes, with no cross-talk', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())
  const [one, other] = await Promise.all([mock.sandbox(), mock.sandbox()])
  // Interleaved on purpose: each request of one walk may land between two of the other's.
  await Promise.all([walk(t, mock, (one as { token: string }).token, '01'), walk(t, mock, (other as { token: string }).token, '02')])
  const users = (box: typeof one): string[] => box?.users.list({ limit: 100 }).users.map((user) => user.name) ?? []
  t.ok(users(one).includes('Ana María 01') && !users(one).includes('Ana María 02'), 'each sandbox has its own user only')
  t.ok(users(other).includes('Ana María 02') && !users(other).includes('Ana María 01'))
  t.notOk(mock.users.list({ limit: 100 }).users.some((user) => user.name.startsWith('Ana María')), 'and the shared data neither')
})
