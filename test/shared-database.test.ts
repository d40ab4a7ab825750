// Two leancore-mock processes on one SQLite file: both start (even at the same moment, on a new
// file), both serve, and a write through either shows on the other's very next request.
import { join } from 'node:path'
import t from 'tap'
import { generateLeads } from '../seed/generate.js'
import { EXAMPLE_ECOSYSTEM } from '../src/core/leads/schema.js'
import { AUTH, serveCli, temporaryDirectory } from './helper.js'

const ADMIN = { authorization: 'Bearer shared-admin', 'content-type': 'application/json' }

t.test('two processes on one database file, with WAL and a busy timeout, both serve and see each other\'s writes', async (t) => {
  const path = join(temporaryDirectory(t), 'shared.db')
  const env = { DATABASE_PATH: path, ADMIN_TOKEN: 'shared-admin' }
  const [a, b] = await Promise.all([serveCli(t, env), serveCli(t, env)])
  const leadsOf = async (url: string, ecosystem = EXAMPLE_ECOSYSTEM): Promise<unknown[]> =>
    await (await fetch(`${url}/lead?ecosystem=${ecosystem}`, { headers: AUTH })).json() as unknown[]
  t.equal((await leadsOf(a.url)).length, 24, 'the first process serves the seed')
  t.equal((await leadsOf(b.url)).length, 24, 'the second one too, seeded once')

  const deleted = await fetch(`${a.url}/__admin/leads?ecosystem=${EXAMPLE_ECOSYSTEM}`, { method: 'DELETE', headers: { authorization: ADMIN.authorization } })
  t.same(await deleted.json(), { deleted: 24 })
  t.same(await leadsOf(b.url), [], "a delete through one shows on the other's next request")

  // Both load a large fixture at the same moment: the busy timeout queues one behind the other.
  const fixture = (ecosystem: string): string => JSON.stringify([...generateLeads([{ id: ecosystem, size: 3000 }], ecosystem.charCodeAt(0))])
  const [ecoA, ecoB] = ['a1111111-1111-4111-8111-111111111111', 'b2222222-2222-4222-8222-222222222222']
  const [loadA, loadB] = await Promise.all([
    fetch(`${a.url}/__admin/leads`, { method: 'POST', headers: ADMIN, body: fixture(ecoA) }),
    fetch(`${b.url}/__admin/leads`, { method: 'POST', headers: ADMIN, body: fixture(ecoB) })
  ])
  t.equal(loadA.status, 201)
  t.equal(loadB.status, 201)
  t.equal((await leadsOf(a.url, ecoB)).length, 3000, "each sees the other's load")
  t.equal((await leadsOf(b.url, ecoA)).length, 3000)

  a.child.kill('SIGTERM')
  b.child.kill('SIGTERM')
  t.same(await Promise.all([a.exited, b.exited]), [0, 0])
})
