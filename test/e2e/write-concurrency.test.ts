// One winner, no lost or mixed update: LeanCore's write routes under parallel requests, in one
// server and in two servers (processes) on one SQLite file.
import { join } from 'node:path'
import t from 'tap'
import { DEV_TOKEN } from '../../src/core/config.js'
import { startServer } from '../../src/index.js'
import { serveCli, temporaryDirectory } from '../helper.js'

const ECOSYSTEM = '5d1e7b2a-8c3f-4e6d-9a0b-1c2d3e4f5a6b'
const HEADERS = { authorization: `Bearer ${DEV_TOKEN}`, 'content-type': 'application/json' }
const PARALLEL = 50

async function post (url: string, path: string, body: unknown): Promise<{ status: number, body: any }> {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: HEADERS, body: JSON.stringify(body) })
  return { status: response.status, body: await response.json() }
}

/** The create-lead bodies of 50 people who all give the same NIT, each with a phone of their own */
const sameNit = Array.from({ length: PARALLEL }, (_, index) => ({
  name: `Persona ${index}`, nit: '1094123456', phone: `5730000${String(index).padStart(5, '0')}`, email: `p${index}@example.co`, ecosystem: ECOSYSTEM
}))
/** 50 updates of one lead, each changing four fields to values that say which update they came from */
const updates = (id: string): object[] => Array.from({ length: PARALLEL }, (_, index) => ({
  id, name: `Nombre ${index}`, lastname: `Apellido ${index}`, email: `u${index}@example.co`, address: `Calle ${index}`, lead_status: `status-${index}`
}))

/** The lead equals exactly one of the updates in every field it changes: none was mixed with another. */
function fromOneUpdate (lead: Record<string, unknown>): number | undefined {
  const index = /^Nombre (\d+)$/.exec(String(lead.name))?.[1]
  if (index === undefined) return undefined
  const expected = { name: `Nombre ${index}`, lastname: `Apellido ${index}`, email: `u${index}@example.co`, address: `Calle ${index}`, status: `status-${index}` }
  return Object.entries(expected).every(([field, value]) => lead[field] === value) ? Number(index) : undefined
}

t.test(`${PARALLEL} parallel create-lead with one NIT create exactly one lead`, async (t) => {
  const mock = await startServer({ seed: 'none' })
  t.after(() => mock.close())
  const answers = await Promise.all(sameNit.map(async (body) => await post(mock.url, '/create-lead', body)))
  t.equal(answers.filter((answer) => answer.status === 200).length, 1, 'one winner')
  t.ok(answers.filter((answer) => answer.status !== 200).every((answer) => answer.status === 400 && /^User with nit: 1094123456 already exists/.test(answer.body.message)), 'the rest refused, saying why')
  t.equal(mock.leads.list({ ecosystem: ECOSYSTEM }).total, 1)
})

t.test(`${PARALLEL} parallel update-lead of one lead leave it equal to one of them, never a mix`, async (t) => {
  const mock = await startServer({ seed: 'none' })
  t.after(() => mock.close())
  const { body: lead } = await post(mock.url, '/create-lead', sameNit[0])
  const answers = await Promise.all(updates(lead.id).map(async (body) => await post(mock.url, '/update-lead', body)))
  t.ok(answers.every((answer) => answer.status === 200), 'every update answered 200')
  t.ok(answers.every((answer) => fromOneUpdate(answer.body) !== undefined), 'every answer is one whole update')
  const [stored] = mock.leads.list({ ecosystem: ECOSYSTEM }).leads
  t.not(fromOneUpdate(stored as unknown as Record<string, unknown>), undefined, 'the stored lead is one whole update')
})

t.test('two servers on one file: one NIT still makes one lead, and parallel updates never mix', async (t) => {
  const path = join(temporaryDirectory(t), 'shared.db')
  const env = { DATABASE_PATH: path, SEED: 'none' }
  const first = await serveCli(t, env)
  const second = await serveCli(t, env)
  const servers = [first.url, second.url]
  const created = await Promise.all(sameNit.map(async (body, index) => await post(servers[index % 2] as string, '/create-lead', body)))
  t.equal(created.filter((answer) => answer.status === 200).length, 1, 'one winner across both processes')
  t.ok(created.every((answer) => answer.status === 200 || answer.status === 400), 'no 5xx: each waited for the other\'s write lock')
  const winner = created.find((answer) => answer.status === 200)?.body
  for (const url of servers) {
    const list = await (await fetch(`${url}/lead?ecosystem=${ECOSYSTEM}`, { headers: HEADERS })).json() as unknown[]
    t.equal(list.length, 1, `${url} sees the one lead`)
  }
  const updated = await Promise.all(updates(winner.id).map(async (body, index) => await post(servers[index % 2] as string, '/update-lead', body)))
  t.ok(updated.every((answer) => answer.status === 200), 'every update answered 200')
  const [seenByFirst, seenBySecond] = await Promise.all(servers.map(async (url) => await (await fetch(`${url}/lead?id=${winner.id as string}`, { headers: HEADERS })).json() as Record<string, unknown>))
  t.not(fromOneUpdate(seenByFirst as Record<string, unknown>), undefined, 'one whole update')
  t.same(seenBySecond, seenByFirst, 'and both servers read the same lead')
})
