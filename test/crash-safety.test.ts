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

/** Starts sending the fixture; resolves once `bytes` of it have left, with the request and its answer to come. */
function upload (url: string, body: string, bytes = Buffer.byteLength(body)): Promise<{ answer: Promise<number> }> {
  return new Promise((resolve) => {
    const outgoing = request(`${url}/__admin/leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
    })
    const answer = new Promise<number>((resolve) => {
      outgoing.on('response', (response) => { resolve(response.statusCode ?? 0); response.resume() })
      outgoing.on('error', () => resolve(0))
    })
    const sent = Buffer.from(body).subarray(0, bytes)
    const done = (): void => resolve({ answer })
    if (bytes === Buffer.byteLength(body)) outgoing.end(sent, done)
    else outgoing.write(sent, done)
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
  const kill = async (server: Awaited<ReturnType<typeof serveCli>>): Promise<{ leads: number, integrity: string }> => {
    server.child.kill('SIGKILL')
    await server.exited
    return inspect(path)
  }

  // Before the commit, for certain: half the body has left, so the server cannot have it all.
  const early = await serveCli(t, { DATABASE_PATH: path, ADMIN_TOKEN: ADMIN })
  await upload(early.url, fixture, Math.floor(fixture.length / 2))
  const beforeCommit = await kill(early)
  t.equal(beforeCommit.integrity, 'ok', 'integrity after a kill during the upload')
  t.equal(beforeCommit.leads, seeded, 'a kill before the commit leaves none of the load')

  // Around the commit, by time: parsing, validating, writing, committing. Either outcome is right, as
  // long as it is all or nothing.
  for (const fraction of [0, 0.25, 0.5, 0.75, 0.9, 1, 1.5]) {
    const delayMs = Math.round(loadMs * fraction)
    const server = await serveCli(t, { DATABASE_PATH: path, ADMIN_TOKEN: ADMIN })
    await upload(server.url, fixture)
    await new Promise((resolve) => setTimeout(resolve, delayMs))
    const { leads, integrity } = await kill(server)
    t.equal(integrity, 'ok', `integrity after a kill ${delayMs} ms into the load`)
    t.ok(leads === seeded || leads === seeded + FIXTURE, `all or nothing: ${leads} leads`)
    outcomes.push(`${delayMs} ms: ${leads === seeded ? 'none' : 'all'}`)
    if (leads !== seeded) removeFixture()
  }
  t.comment(`a load takes ${loadMs} ms; kill -9 that far into it left: ${outcomes.join('; ')}`)

  // After the commit, for certain: the server answered 201.
  const late = await serveCli(t, { DATABASE_PATH: path, ADMIN_TOKEN: ADMIN })
  const { answer } = await upload(late.url, fixture)
  t.equal(await answer, 201)
  const afterCommit = await kill(late)
  t.equal(afterCommit.integrity, 'ok', 'integrity after a kill once the load was answered')
  t.equal(afterCommit.leads, seeded + FIXTURE, 'a kill after the commit finds all of the load')

  const restarted = await serveCli(t, { DATABASE_PATH: path })
  t.equal((await fetch(`${restarted.url}/health`)).status, 200, 'the server starts again on the database')
  restarted.child.kill('SIGTERM')
  t.equal(await restarted.exited, 0)
})
