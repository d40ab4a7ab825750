// GET /__admin/journal/stream, over real sockets: every request to a LeanCore route arrives as a
// server-sent event as it happens, the admin token sees every space, a sandbox's token its own, the
// streams are counted, a reader that does not read is cut off, and a shutdown ends them.
import { request as httpRequest, type IncomingMessage } from 'node:http'
import t, { type Test } from 'tap'
import { DEV_TOKEN } from '../../src/core/config.js'
import { MAX_JOURNAL_STREAMS, MAX_JOURNAL_STREAMS_PER_SPACE } from '../../src/core/fixture.js'
import { EXAMPLE_ECOSYSTEM } from '../../src/core/leads/schema.js'
import { startServer, type MockServer } from '../../src/index.js'
import { ADMIN_TOKEN } from '../helper.js'

interface Watched { method: string, path: string, status: number | null, reason: string | null, token: string | null, sandbox: string | null, headers: Record<string, string> }

/** A stream reader: the raw text so far, and the events parsed from it. */
async function openStream (t: Test, url: string, token: string): Promise<{ response: IncomingMessage, text: () => string, events: () => Watched[], next: (count?: number) => Promise<Watched[]>, close: () => void }> {
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    httpRequest(`${url}/__admin/journal/stream`, { headers: { authorization: `Bearer ${token}` } }, resolve).on('error', reject).end()
  })
  let text = ''
  const waiting = new Set<() => void>()
  response.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk
    for (const wake of waiting) wake()
  })
  response.on('error', () => {})
  const events = (): Watched[] => text.split('\n\n').filter((block) => block.startsWith('event: request\n'))
    .map((block) => JSON.parse(block.slice('event: request\ndata: '.length)) as Watched)
  const next = async (count = 1): Promise<Watched[]> => {
    const before = events().length
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${count} new events within 5 s; got:\n${text}`)), 5000)
      const wake = (): void => {
        if (events().length < before + count) return
        clearTimeout(timer)
        waiting.delete(wake)
        resolve()
      }
      waiting.add(wake)
      wake()
    })
    return events().slice(before)
  }
  const close = (): void => { response.destroy() }
  t.after(close)
  // The first bytes say the stream is open; a refusal is a whole JSON body.
  await new Promise<void>((resolve) => {
    const wake = (): void => { if (text.startsWith('retry: 2000\n\n')) { waiting.delete(wake); resolve() } }
    if (response.statusCode === 200) waiting.add(wake)
    else response.on('end', resolve)
    wake()
  })
  return { response, text: () => text, events, next, close }
}

async function started (t: Test): Promise<MockServer> {
  const mock = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())
  return mock
}

const lead = async (url: string, token: string, query = `ecosystem=${EXAMPLE_ECOSYSTEM}`): Promise<number> =>
  (await fetch(`${url}/lead?${query}`, { headers: { authorization: `Bearer ${token}` } })).status

t.test('the admin token sees every request as it happens: the shared data\'s and every sandbox\'s, failures with their reason', async (t) => {
  const mock = await started(t)
  const stream = await openStream(t, mock.url, ADMIN_TOKEN)
  t.equal(stream.response.statusCode, 200)
  t.match(stream.response.headers['content-type'], /^text\/event-stream/)
  t.equal(stream.response.headers['cache-control'], 'no-store')
  const sandbox = await mock.sandbox()
  t.equal(await lead(mock.url, DEV_TOKEN), 200)
  t.same((await stream.next()).map(({ path, status, sandbox }) => ({ path, status, sandbox })), [{ path: '/lead', status: 200, sandbox: null }])
  t.equal(await lead(mock.url, sandbox.token, 'ecosystem=nope'), 400)
  const [failed] = await stream.next()
  t.match(failed, { method: 'GET', path: '/lead', status: 400, sandbox: sandbox.id, reason: /ecosystem must be a UUID|querystring\/ecosystem/ })
  t.match(failed?.token, /^sha256:/, 'the token as its fingerprint')
  t.equal(await lead(mock.url, 'an-unknown-token'), 401)
  t.match((await stream.next())[0], { status: 401, sandbox: null, reason: /^401: a token this server does not know/ })
  t.notMatch(stream.text(), sandbox.token, 'no token is ever in the stream')
  t.notMatch(stream.text(), 'an-unknown-token')
  t.notMatch(stream.text(), DEV_TOKEN)
  t.notMatch(stream.text(), /\/__admin/, 'the admin API is not journaled')
})

t.test('a sandbox\'s token sees its own requests only', async (t) => {
  const mock = await started(t)
  const [mine, other] = [await mock.sandbox(), await mock.sandbox()]
  const stream = await openStream(t, mock.url, mine.token)
  await lead(mock.url, DEV_TOKEN)
  await lead(mock.url, other.token)
  await lead(mock.url, mine.token)
  const [seen] = await stream.next()
  t.match(seen, { sandbox: mine.id, status: 200 })
  await lead(mock.url, mine.token, 'phone=0')
  t.same((await stream.next()).map(({ sandbox }) => sandbox), [mine.id])
  t.same(stream.events().map(({ sandbox }) => sandbox), [mine.id, mine.id], 'nothing of the shared data or the other sandbox')
  t.equal((await fetch(`${mock.url}/__admin/journal/stream`, { headers: { authorization: `Bearer ${DEV_TOKEN}` } })).status, 401, 'an API token opens no stream')
})

t.test('the streams are counted, per token and in all, and a closed one is given back', async (t) => {
  const mock = await started(t)
  const refused = async (token: string): Promise<{ status: number | undefined, message: string }> => {
    const stream = await openStream(t, mock.url, token)
    return { status: stream.response.statusCode, message: (JSON.parse(stream.text()) as { message: string }).message }
  }
  const admin = []
  for (let i = 0; i < MAX_JOURNAL_STREAMS_PER_SPACE; i++) admin.push(await openStream(t, mock.url, ADMIN_TOKEN))
  t.same(await refused(ADMIN_TOKEN), { status: 429, message: `the data this token opens (the shared data, or its sandbox) has ${MAX_JOURNAL_STREAMS_PER_SPACE} journal streams open, the most it may; close one first` })
  admin[0]?.close()
  // The server learns of the hang-up from its socket; ask until it has.
  let reopened = await openStream(t, mock.url, ADMIN_TOKEN)
  for (let attempt = 0; reopened.response.statusCode !== 200 && attempt < 100; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    reopened = await openStream(t, mock.url, ADMIN_TOKEN)
  }
  t.equal(reopened.response.statusCode, 200, 'a closed stream frees its place')
  for (let opened = MAX_JOURNAL_STREAMS_PER_SPACE; opened < MAX_JOURNAL_STREAMS;) {
    const sandbox = await mock.sandbox()
    for (let i = 0; i < MAX_JOURNAL_STREAMS_PER_SPACE && opened < MAX_JOURNAL_STREAMS; i++, opened++) await openStream(t, mock.url, sandbox.token)
  }
  const late = await mock.sandbox()
  t.same(await refused(late.token), { status: 429, message: `the server has ${MAX_JOURNAL_STREAMS} journal streams open, the most it keeps; try again later` })
})

t.test('a HEAD opens no stream, and a sandbox that goes away ends its streams and gives their places back', async (t) => {
  const mock = await started(t)
  for (let i = 0; i < MAX_JOURNAL_STREAMS_PER_SPACE + 1; i++) {
    const head = await fetch(`${mock.url}/__admin/journal/stream`, { method: 'HEAD', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    t.equal(head.status, 404, 'HEAD is not a route of the stream')
  }
  const sandbox = await mock.sandbox()
  const streams = []
  for (let i = 0; i < MAX_JOURNAL_STREAMS_PER_SPACE; i++) streams.push(await openStream(t, mock.url, sandbox.token))
  const admin = await openStream(t, mock.url, ADMIN_TOKEN)
  t.equal(admin.response.statusCode, 200, 'the HEADs took no place')
  const ended = streams.map(async (stream) => await new Promise((resolve) => stream.response.on('end', resolve)))
  await sandbox.close()
  await Promise.all(ended)
  t.pass('its open streams ended')
  for (let i = 0; i < MAX_JOURNAL_STREAMS - 1; i++) {
    const other = await mock.sandbox()
    const stream = await openStream(t, mock.url, other.token)
    t.equal(stream.response.statusCode, 200)
    stream.close()
    await other.close()
  }
})

t.test('a reader that stops reading is cut off, and the server\'s memory stays bounded', async (t) => {
  const mock = await started(t)
  const stream = await openStream(t, mock.url, ADMIN_TOKEN)
  stream.response.pause()
  // Entries of about 6 KB each (19 headers of 250 characters): megabytes of them, more than the
  // socket buffers and the 1 MiB the server holds for a reader.
  const headers: Record<string, string> = { authorization: `Bearer ${DEV_TOKEN}` }
  for (let i = 0; i < 18; i++) headers[`x-filler-${i}`] = 'x'.repeat(250)
  const state = { ended: false }
  stream.response.on('close', () => { state.ended = true })
  for (let round = 0; round < 400 && !state.ended; round++) {
    await Promise.all(Array.from({ length: 10 }, async () => await fetch(`${mock.url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, { headers }).then(async (response) => await response.arrayBuffer())))
  }
  stream.response.resume()
  for (let i = 0; i < 200 && !state.ended; i++) await new Promise((resolve) => setTimeout(resolve, 10))
  t.ok(state.ended, 'the server ended the stream')
  t.equal((await fetch(`${mock.url}/health`)).status, 200, 'and serves on')
  const again = await openStream(t, mock.url, ADMIN_TOKEN)
  t.equal(again.response.statusCode, 200, 'its place is free again')
})

t.test('closing the server ends its streams instead of waiting for their readers', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN })
  const stream = await openStream(t, mock.url, ADMIN_TOKEN)
  const ended = new Promise((resolve) => stream.response.on('end', resolve))
  const started = Date.now()
  await mock.close()
  await ended
  t.ok(Date.now() - started < 5000, 'closed at once')
})
