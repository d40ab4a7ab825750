// The journal is bounded in bytes, not only in entries: the worst requests a client can send (the
// longest URL, the most parameters, the biggest headers), 10,000 of them spread over 50 sandboxes,
// grow the server's resident memory by less than 100 MB.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { ADMIN_TOKEN, serveCli } from '../helper.js'

const SANDBOXES = 50
const REQUESTS = 10_000

function rssMb (pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024
}

t.test(`${REQUESTS.toLocaleString('en')} of the worst requests to ${SANDBOXES} sandboxes: RSS grows by less than 100 MB`, async (t) => {
  // Run as npm start and the image run it (a 2 MB young generation).
  const server = await serveCli(t, { DATABASE_PATH: ':memory:', ADMIN_TOKEN, NODE_OPTIONS: '--max-semi-space-size=2' })
  const pid = server.child.pid as number
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }
  const tokens: string[] = []
  for (let i = 0; i < SANDBOXES; i++) {
    const response = await fetch(`${server.url}/__admin/sandboxes`, { method: 'POST', headers: admin, body: JSON.stringify({ seed: 'none' }) })
    tokens.push((await response.json() as { token: string }).token)
  }
  // The longest URL under the 8 KiB limit, as many parameters as fit; with the headers, just under
  // Node's 16 KiB for the whole head.
  const query = Array.from({ length: 1900 }, (_, i) => `p${i}=v`).join('&').slice(0, 8000 - 40)
  const url = `/lead?${query}`
  const headers = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`x-padding-${i}`, 'h'.repeat(450)]))
  const send = async (index: number): Promise<number> => {
    const token = tokens[index % SANDBOXES] as string
    const response = await fetch(`${server.url}${url}`, { headers: { ...headers, authorization: `Bearer ${token}` } })
    await response.arrayBuffer()
    return response.status
  }
  for (let i = 0; i < 200; i++) await send(i)
  const before = rssMb(pid)
  let sent = 0
  const statuses = new Set<number>()
  await Promise.all(Array.from({ length: 20 }, async (_, worker) => {
    for (let i = worker; i < REQUESTS; i += 20) {
      statuses.add(await send(i))
      sent++
    }
  }))
  const after = rssMb(pid)
  t.comment(`RSS ${before.toFixed(1)} MB before, ${after.toFixed(1)} MB after ${sent} requests: +${(after - before).toFixed(1)} MB`)
  t.equal(sent, REQUESTS)
  t.same([...statuses], [400], 'each refused for its missing lookup, and journaled')
  t.ok(after - before < 100, `RSS grew by ${(after - before).toFixed(1)} MB`)
  const journal = await (await fetch(`${server.url}/__admin/journal`, { headers: { authorization: `Bearer ${tokens[0] as string}` } })).json() as { dropped: number, entries: Array<{ query: object, headers: object }> }
  t.ok(journal.entries.length > 0 && journal.dropped > 0, `a sandbox's journal kept ${journal.entries.length} entries and dropped ${journal.dropped}`)
  t.equal(Object.keys(journal.entries[0]?.query ?? {}).length, 20, 'each entry cut to 20 parameters')
  t.equal(Object.keys(journal.entries[0]?.headers ?? {}).length, 20, 'and 20 headers')
})
