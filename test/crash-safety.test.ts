// kill -9 in the middle of a large fixture load: the load happened entirely or not at all, the
// database is intact, and the server starts again on it.
import Database from 'better-sqlite3'
import { request } from 'node:http'
import { join } from 'node:path'
import t from 'tap'
import { generateLeads } from '../seed/generate.js'
import { serveCli, temporaryDirectory } from './helper.js'

const ADMIN = 'crash-admin'
const FIXTURE = 20_000

/** Sends the fixture and resolves once the whole body has left, without waiting for the answer. */
function upload (url: string, body: string): Promise<void> {
  return new Promise((resolve) => {
    const outgoing = request(`${url}/__admin/leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
    })
    outgoing.on('error', () => {})
    outgoing.end(body, () => resolve())
  })
}

function inspect (path: string): { leads: number, integrity: string } {
  const db = new Database(path, { readonly: true })
  const leads = db.prepare('SELECT count(*) FROM leads').pluck().get() as number
  const integrity = db.prepare('PRAGMA integrity_check').pluck().get() as string
  db.close()
  return { leads, integrity }
}

t.test(`kill -9 during a ${FIXTURE.toLocaleString('en')}-lead admin load leaves all of it or none of it`, async (t) => {
  const path = join(temporaryDirectory(t), 'leancore.db')
  const ecosystem = '3c1f9a20-5b7d-4e8f-a1b2-c3d4e5f60718'
  const fixture = JSON.stringify([...generateLeads([{ id: ecosystem, size: FIXTURE }], 5)])
  const removeFixture = (): void => {
    const db = new Database(path)
    db.prepare('DELETE FROM leads WHERE ecosystem = ?').run(ecosystem)
    db.close()
  }

  // How long a load takes here, from the end of the upload to its commit.
  const calibration = await serveCli(t, { DATABASE_PATH: path, ADMIN_TOKEN: ADMIN })
  const started = Date.now()
  const loaded = await fetch(`${calibration.url}/__admin/leads`, {
    method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: fixture
  })
  const loadMs = Date.now() - started
  t.equal(loaded.status, 201)
  calibration.child.kill('SIGTERM')
  await calibration.exited
  removeFixture()
  const seeded = inspect(path).leads

  const outcomes: string[] = []
  // Kill at moments spread over the load: parsing, validating, writing, around the commit, after it.
  for (const fraction of [0, 0.25, 0.5, 0.75, 0.9, 1, 1.5]) {
    const delayMs = Math.round(loadMs * fraction)
    const server = await serveCli(t, { DATABASE_PATH: path, ADMIN_TOKEN: ADMIN })
    await upload(server.url, fixture)
    await new Promise((resolve) => setTimeout(resolve, delayMs))
    server.child.kill('SIGKILL')
    await server.exited

    const { leads, integrity } = inspect(path)
    t.equal(integrity, 'ok', `integrity after a kill ${delayMs} ms into the load`)
    t.ok(leads === seeded || leads === seeded + FIXTURE, `all or nothing: ${leads} leads`)
    outcomes.push(`${delayMs} ms: ${leads === seeded ? 'none' : 'all'}`)
    if (leads !== seeded) removeFixture()
  }
  t.comment(`a load takes ${loadMs} ms; kill -9 that far into it left: ${outcomes.join('; ')}`)

  const restarted = await serveCli(t, { DATABASE_PATH: path })
  t.equal((await fetch(`${restarted.url}/health`)).status, 200, 'the server starts again on the database')
  restarted.child.kill('SIGTERM')
  t.equal(await restarted.exited, 0)
})
