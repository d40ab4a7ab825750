// Two servers (processes) on one database file, as the README's replica setup has them: sandboxes
// made, used, deleted and expired by one are seen by the other, no new sandbox ever inherits an old
// one's journal or scenarios, and MAX_SANDBOXES holds across both.
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { DEV_TOKEN } from '../../src/core/config.js'
import { ADMIN_TOKEN, serveCli, temporaryDirectory } from '../helper.js'

const ECOSYSTEM = 'fd3705e1-3149-4c41-bfe7-cf0bee79cfad'
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }
interface Created { id: string, token: string }

async function twoServers (t: Test, env: Record<string, string> = {}): Promise<[string, string]> {
  const path = join(temporaryDirectory(t), 'shared.db')
  const settings = { DATABASE_PATH: path, ADMIN_TOKEN, ...env }
  const first = await serveCli(t, settings)
  const second = await serveCli(t, settings)
  return [first.url, second.url]
}

async function create (url: string, body: object = { seed: 'none' }): Promise<Response> {
  return await fetch(`${url}/__admin/sandboxes`, { method: 'POST', headers: ADMIN, body: JSON.stringify(body) })
}

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` })

t.test('a new sandbox never inherits the journal or the scenarios another server holds for a deleted one', async (t) => {
  const [a, b] = await twoServers(t)
  const old = await (await create(a)).json() as Created
  t.equal((await fetch(`${a}/lead?ecosystem=${ECOSYSTEM}&note=old-sandbox`, { headers: bearer(old.token) })).status, 200)
  const scenario = await fetch(`${a}/__admin/scenarios`, { method: 'POST', headers: { ...bearer(old.token), 'content-type': 'application/json' }, body: JSON.stringify({ respond: { status: 503 } }) })
  t.equal(scenario.status, 201, 'server A holds a journal entry and a scenario for the old sandbox')
  t.equal((await fetch(`${b}/__admin/sandboxes/${old.id}`, { method: 'DELETE', headers: bearer(ADMIN_TOKEN) })).status, 204, 'server B deletes it')
  const young = await (await create(b)).json() as Created
  const journal = await (await fetch(`${a}/__admin/journal`, { headers: bearer(young.token) })).json() as { entries: unknown[] }
  t.same(journal.entries, [], 'on server A, the new sandbox\'s journal is its own: empty')
  t.same(await (await fetch(`${a}/__admin/scenarios`, { headers: bearer(young.token) })).json(), [], 'and it has no scenario')
  t.equal((await fetch(`${a}/lead?ecosystem=${ECOSYSTEM}`, { headers: bearer(young.token) })).status, 200, 'so its requests are not failed by the old one\'s scenario')
  t.equal((await fetch(`${a}/lead?ecosystem=${ECOSYSTEM}`, { headers: bearer(old.token) })).status, 401, 'and the old token opens nothing on A either')
})

t.test('made on one server, used and deleted on the other; an expiry seen by both', async (t) => {
  const [a, b] = await twoServers(t)
  const box = await (await create(a, { seed: 'demo' })).json() as Created
  const leads = await (await fetch(`${b}/lead?ecosystem=${ECOSYSTEM}`, { headers: bearer(box.token) })).json() as unknown[]
  t.equal(leads.length, 24, 'server B serves a sandbox server A made')
  const listed = await (await fetch(`${b}/__admin/sandboxes`, { headers: bearer(ADMIN_TOKEN) })).json() as Array<{ id: string, leads: number }>
  t.match(listed, [{ id: box.id, leads: 172, financialEntities: 12, users: 9 }], 'and lists it, with its leads, fintechs and users')
  t.equal((await fetch(`${b}/__admin/sandboxes/${box.id}`, { method: 'DELETE', headers: bearer(ADMIN_TOKEN) })).status, 204)
  t.equal((await fetch(`${a}/lead?ecosystem=${ECOSYSTEM}`, { headers: bearer(box.token) })).status, 401, 'deleted on B: closed on A')

  const brief = await (await create(a, { seed: 'none', ttlSeconds: 1 })).json() as Created
  t.equal((await fetch(`${b}/lead?ecosystem=${ECOSYSTEM}`, { headers: bearer(brief.token) })).status, 200)
  await new Promise((resolve) => setTimeout(resolve, 1200))
  t.equal((await fetch(`${b}/lead?ecosystem=${ECOSYSTEM}`, { headers: bearer(brief.token) })).status, 401, 'expired: closed on B')
  t.equal((await fetch(`${a}/lead?ecosystem=${ECOSYSTEM}`, { headers: bearer(brief.token) })).status, 401, 'and on A')
  t.same(await (await fetch(`${a}/__admin/sandboxes`, { headers: bearer(ADMIN_TOKEN) })).json(), [], 'and listed by neither')
  t.equal((await fetch(`${a}/lead?ecosystem=${ECOSYSTEM}`, { headers: bearer(DEV_TOKEN) })).status, 200, 'the shared data is untouched')
})

t.test('MAX_SANDBOXES holds across two servers creating at once', async (t) => {
  const [a, b] = await twoServers(t, { MAX_SANDBOXES: '20' })
  const answers = await Promise.all(Array.from({ length: 40 }, async (_, index) => (await create(index % 2 === 0 ? a : b)).status))
  t.equal(answers.filter((status) => status === 201).length, 20, 'exactly 20 made')
  t.equal(answers.filter((status) => status === 409).length, 20, 'the rest refused')
  for (const url of [a, b]) {
    t.equal((await (await fetch(`${url}/__admin/sandboxes`, { headers: bearer(ADMIN_TOKEN) })).json() as unknown[]).length, 20, `${url} lists 20`)
  }
})
