// A database as release 0.1.0 wrote it (test/fixtures/README.md) opens with the current code: it is
// migrated in place, and every lead, shared and in the sandbox, comes back as that release read it.
import Database from 'better-sqlite3'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import type { Lead } from '../../src/core/leads/schema.js'
import { ADMIN, ADMIN_TOKEN, AUTH, build, LATEST_SCHEMA, temporaryDirectory } from '../helper.js'

const dump = readFileSync(new URL('../fixtures/release-0.1.0.sql', import.meta.url), 'utf8')
const expected = JSON.parse(readFileSync(new URL('../fixtures/release-0.1.0.leads.json', import.meta.url), 'utf8')) as {
  shared: Lead[]
  sandbox: { id: string, token: string, leads: Lead[] }
}
// Before the sandbox made on 2026-12-05 expires (30 days later).
const BEFORE_EXPIRY = Date.parse('2026-12-06T00:00:00Z')

t.test('a release-0.1.0 database upgrades in place: every lead kept, in order, field for field', async (t) => {
  const path = join(temporaryDirectory(t), 'release-0.1.0.db')
  const old = new Database(path)
  old.exec(dump)
  t.equal(old.pragma('user_version', { simple: true }), 2, 'the fixture is at the released schema')
  old.close()

  const app = await build(t, { databasePath: path, adminToken: ADMIN_TOKEN, seed: 'demo' }, { now: () => BEFORE_EXPIRY })
  const shared = (await app.inject({ method: 'GET', url: '/__admin/leads?limit=10000', headers: ADMIN })).json<{ total: number, leads: Lead[] }>()
  t.equal(shared.total, expected.shared.length, 'no lead lost, and no seed written on top')
  t.same(shared.leads, expected.shared, 'the shared leads, in order, field for field')
  const sandbox = { authorization: `Bearer ${expected.sandbox.token}` }
  const own = (await app.inject({ method: 'GET', url: '/__admin/leads?limit=10000', headers: sandbox })).json<{ leads: Lead[] }>()
  t.same(own.leads, expected.sandbox.leads, 'the sandbox\'s leads too, opened by its token')

  const check = new Database(path, { readonly: true })
  t.after(() => check.close())
  t.equal(check.pragma('user_version', { simple: true }), LATEST_SCHEMA)
  t.equal(check.pragma('integrity_check', { simple: true }), 'ok')
  t.ok(check.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'leads_by_nit'").get(), 'the NIT lookup has its index')
  const plan = check.prepare('EXPLAIN QUERY PLAN SELECT id FROM leads WHERE sandbox = 0 AND nit = ? ORDER BY seq LIMIT 1').all('x') as Array<{ detail: string }>
  t.match(plan.map((row) => row.detail).join(' '), /USING INDEX leads_by_nit/)

  // The upgraded file takes the new writes, in both spaces.
  const [first] = expected.sandbox.leads as [Lead]
  const byNit = await app.inject({ method: 'GET', url: `/lead?nit=${encodeURIComponent(first.nit)}`, headers: sandbox })
  t.same(byNit.json(), { ...first, lead_status: first.status })
  const updated = await app.inject({ method: 'POST', url: '/update-lead', headers: { ...sandbox, 'content-type': 'application/json' }, payload: { id: first.id, lead_status: 'approved', records: ['x'] } })
  t.equal(updated.statusCode, 200)
  t.same(updated.json(), { ...first, status: 'approved' })
  const created = await app.inject({
    method: 'POST',
    url: '/create-lead',
    headers: { ...AUTH, 'content-type': 'application/json' },
    payload: { name: 'Nueva', nit: '1094000123', phone: '573001119999', email: 'nueva@example.co', ecosystem: expected.shared[0]?.ecosystem }
  })
  t.equal(created.statusCode, 200)

  // The lifecycle (migration 5): a demo database gains the demo's fintechs and users, its leads as they were.
  t.equal(app.fixture.shared.financialEntities.list().total, 12, 'the demo fintechs')
  t.equal(app.fixture.shared.users.list().total, 9, 'and users')
  const listed = (await app.inject({ method: 'GET', url: '/__admin/sandboxes', headers: ADMIN })).json<Array<{ id: string, leads: number, financialEntities: number, users: number }>>()
  t.match(listed, [{ id: expected.sandbox.id, leads: expected.sandbox.leads.length, financialEntities: 0, users: 0 }], 'the sandbox counts only its leads')
  const [lead] = expected.shared as [Lead]
  const entity = app.fixture.shared.financialEntities.list({ ecosystem: lead.ecosystem }).financialEntities[0]
  const converted = await app.inject({ method: 'POST', url: '/turn-lead-into-client', headers: { ...AUTH, 'content-type': 'application/json' }, payload: { lead_id: lead.id, financial_entity_id: entity?.uid } })
  t.equal(converted.statusCode, 200, 'and a lead of the old file becomes a user')
  t.equal(converted.json<{ _id: string }>()._id, lead.id)
})
