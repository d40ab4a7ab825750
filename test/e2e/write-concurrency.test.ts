// One winner, no lost or mixed update: LeanCore's write routes under parallel requests, in one
// server and in two servers (processes) on one SQLite file; the same for turning a lead into a client.
import { join } from 'node:path'
import t from 'tap'
import { DEV_TOKEN } from '../../src/core/config.js'
import { demoFinancialEntities } from '../../seed/demo.js'
import { EXAMPLE_ECOSYSTEM, startServer } from '../../src/index.js'
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

/** A demo fintech of the docs' ecosystem: what the conversions assign the lead to */
const FINTECH = demoFinancialEntities().find((entity) => entity.ecosystem === EXAMPLE_ECOSYSTEM)?.uid as string
const CONVERSIONS = 20

/** 20 conversions of the first demo lead of the docs' ecosystem, spread over the servers; the lead's id and the statuses */
async function convertAtOnce (servers: string[]): Promise<{ id: string, statuses: number[], messages: string[] }> {
  const [lead] = await (await fetch(`${servers[0] as string}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, { headers: HEADERS })).json() as Array<{ id: string }>
  const id = lead?.id as string
  const answers = await Promise.all(Array.from({ length: CONVERSIONS }, async (_, index) =>
    await post(servers[index % servers.length] as string, '/turn-lead-into-client', { lead_id: id, financial_entity_id: FINTECH })))
  return { id, statuses: answers.map((answer) => answer.status), messages: answers.filter((answer) => answer.status !== 200).map((answer) => answer.body.message) }
}

t.test(`${CONVERSIONS} parallel conversions of one lead: one 200, the others 404 naming the lead, one user, no lead left`, async (t) => {
  const mock = await startServer()
  t.after(() => mock.close())
  const { id, statuses, messages } = await convertAtOnce([mock.url])
  t.equal(statuses.filter((status) => status === 200).length, 1, 'one winner')
  t.equal(statuses.filter((status) => status === 404).length, CONVERSIONS - 1, 'the rest 404')
  t.ok(messages.every((message) => message === `Lead with id ${id} not found`), 'saying the lead is not there')
  t.equal(mock.users.list({ limit: 1000 }).users.filter((user) => user.id === id).length, 1, 'one user')
  t.equal((await fetch(`${mock.url}/lead?id=${id}`, { headers: HEADERS })).status, 404, 'and the lead is gone')
})

t.test('two servers on one file: parallel conversions of one lead still make one user', async (t) => {
  const path = join(temporaryDirectory(t), 'lifecycle.db')
  const first = await serveCli(t, { DATABASE_PATH: path })
  const second = await serveCli(t, { DATABASE_PATH: path })
  const servers = [first.url, second.url]
  const { id, statuses } = await convertAtOnce(servers)
  t.equal(statuses.filter((status) => status === 200).length, 1, 'one winner across both processes')
  t.equal(statuses.filter((status) => status === 404).length, CONVERSIONS - 1, 'the rest 404: no 5xx, each waited for the other\'s write lock')
  for (const url of servers) {
    t.equal((await fetch(`${url}/user?id=${id}`, { headers: HEADERS })).status, 200, `${url} finds the user`)
    t.equal((await fetch(`${url}/lead?id=${id}`, { headers: HEADERS })).status, 404, `${url} finds no lead`)
  }
})
