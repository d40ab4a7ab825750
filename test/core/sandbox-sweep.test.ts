// What a server finds on a database file another server shares, or one a deletion was cut short
// on: sandboxes gone are forgotten, and leads left behind are purged.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import t from 'tap'
import { ADMIN, ADMIN_TOKEN, build, temporaryDirectory } from '../helper.js'

const ECOSYSTEM = 'fd3705e1-3149-4c41-bfe7-cf0bee79cfad'

t.test('a sandbox another server deleted is forgotten here at the next list, and its token opens nothing', async (t) => {
  const path = join(temporaryDirectory(t), 'shared.db')
  const one = await build(t, { databasePath: path, adminToken: ADMIN_TOKEN })
  const other = await build(t, { databasePath: path, adminToken: ADMIN_TOKEN })
  const created = (await one.inject({ method: 'POST', url: '/__admin/sandboxes', headers: ADMIN })).json<{ id: string, token: string }>()
  const sandbox = { authorization: `Bearer ${created.token}` }
  t.equal((await one.inject({ method: 'GET', url: `/lead?ecosystem=${ECOSYSTEM}`, headers: sandbox })).statusCode, 200, 'in use here')
  t.equal((await other.inject({ method: 'DELETE', url: `/__admin/sandboxes/${created.id}`, headers: ADMIN })).statusCode, 204, 'deleted there')
  t.same((await one.inject({ method: 'GET', url: '/__admin/sandboxes', headers: ADMIN })).json(), [], 'not listed here')
  t.equal((await one.inject({ method: 'GET', url: `/lead?ecosystem=${ECOSYSTEM}`, headers: sandbox })).statusCode, 401)
})

t.test('leads a cut-short deletion left behind are purged at the next start', async (t) => {
  const path = join(temporaryDirectory(t), 'cut.db')
  const first = await build(t, { databasePath: path, adminToken: ADMIN_TOKEN })
  const created = (await first.inject({ method: 'POST', url: '/__admin/sandboxes', headers: ADMIN })).json<{ id: string }>()
  await first.close()
  // The first step of a deletion only: the row gone, the leads and their count still there.
  const db = new Database(path)
  db.prepare('DELETE FROM sandboxes WHERE id = ?').run(created.id)
  const left = db.prepare('SELECT count(*) FROM leads WHERE sandbox <> 0').pluck().get() as number
  db.close()
  t.equal(left, 172, 'the demo seed\'s leads were left behind')
  const second = await build(t, { databasePath: path, adminToken: ADMIN_TOKEN })
  // The purge runs as a job: the next write through the runner comes after it.
  await second.inject({ method: 'DELETE', url: `/__admin/leads?ecosystem=${ECOSYSTEM}`, headers: ADMIN })
  await second.close()
  const check = new Database(path, { readonly: true })
  t.after(() => check.close())
  t.equal(check.prepare('SELECT count(*) FROM leads WHERE sandbox <> 0').pluck().get(), 0, 'purged')
  t.equal(check.prepare('SELECT count(*) FROM space_usage WHERE space <> 0').pluck().get(), 0, 'and their count with them')
})
