// The conformance kit's HTTP client against a scripted local server: what it sends and returns, the
// timeout, the pacing of another machine, the retry of a 429 after its Retry-After, no redirects.
import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { Client, TargetUnreachable, type ClientOptions, type Exchange, type Request } from '../src/conformance/client.js'
import { closedPort } from './helper.js'

/** One request as the scripted server received it. */
interface Received {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
  /** performance.now() when it arrived */
  at: number
}

/** Answers the `index`th request (0 for the first) the server received. */
type Handler = (response: ServerResponse, received: Received, index: number) => void

interface Scripted {
  port: number
  /** http://127.0.0.1:<port> */
  origin: string
  received: Received[]
}

/** A server on 127.0.0.1 that answers as `handler` says, closed (lingering sockets too) when the test ends. */
async function serve (t: Test, handler: Handler): Promise<Scripted> {
  const received: Received[] = []
  const server = createServer((request, response) => {
    const at = performance.now()
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const entry = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString(), at }
      received.push(entry)
      response.sendDate = false
      handler(response, entry, received.length - 1)
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  const { port } = server.address() as AddressInfo
  return { port, origin: `http://127.0.0.1:${port}`, received }
}

/** A client with these options, and the progress lines it wrote. */
function client (options: Partial<ClientOptions> = {}): { client: Client, lines: string[] } {
  const lines: string[] = []
  return { client: new Client({ rate: undefined, timeoutMs: 2000, maxBodyBytes: 16 * 1024 * 1024, deadlineAt: Date.now() + 300_000, deadlineMs: 300_000, progress: (line) => lines.push(line), ...options }), lines }
}

const get = (url: string): Request => ({ method: 'GET', url, headers: {} })

/** The error `promise` rejected with; if it resolved, an Error saying so (and no TargetUnreachable). */
async function rejection (promise: Promise<unknown>): Promise<Error> {
  return await promise.then((value) => new Error(`resolved with ${JSON.stringify(value)}`), (error: unknown) => error as Error)
}

/** The error is a TargetUnreachable for this url, with this message. */
function unreachable (t: Test, error: Error, url: string, message: string): void {
  t.type(error, TargetUnreachable)
  t.equal(error.name, 'TargetUnreachable')
  t.equal((error as TargetUnreachable).url, url)
  t.equal(error.message, message)
}

/** Answers with this status, these headers and this body (so with a content-length, not chunked). */
function reply (response: ServerResponse, status: number, headers: Record<string, string>, body = ''): void {
  response.statusCode = status
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value)
  response.end(body)
}

/** Answers 429 with this Retry-After (none if undefined), an empty body. */
function tooMany (response: ServerResponse, retryAfter: string | undefined): void {
  response.statusCode = 429
  if (retryAfter !== undefined) response.setHeader('Retry-After', retryAfter)
  response.end()
}

/** What the client makes of a 429 with this Retry-After: the progress line, or no retry. */
class Stopped extends Error {}
type RetryAfter = string | undefined | (() => Promise<string>)
async function retryLine (t: Test, retryAfter: RetryAfter): Promise<string> {
  const server = await serve(t, (response) => {
    if (typeof retryAfter === 'function') retryAfter().then((header) => tooMany(response, header), (error: unknown) => t.error(error))
    else tooMany(response, retryAfter)
  })
  const lines: string[] = []
  // The line is written before the wait: stopping there asks for no waiting.
  const { client: stopping } = client({ progress: (line) => { lines.push(line); throw new Stopped() } })
  const outcome = await stopping.send(get(`${server.origin}/lead?phone=573136434030`)).catch((error: unknown) => error)
  if (outcome instanceof Stopped) return lines.join('\n')
  if (outcome instanceof Error) return `${outcome.name}: ${outcome.message}`
  return `${(outcome as Exchange).status} returned, no retry, ${server.received.length} request(s), ${lines.length} line(s)`
}

const retrying = (seconds: number | string): string =>
  `429 from http://127.0.0.1:<port>/lead: retrying in ${seconds} s, as its Retry-After asks`
const NO_RETRY = '429 returned, no retry, 1 request(s), 0 line(s)'

/** retryLine for each header, with the server's port as <port> */
async function retryLines (t: Test, headers: Record<string, RetryAfter>): Promise<Record<string, string>> {
  const lines: Record<string, string> = {}
  for (const [name, header] of Object.entries(headers)) {
    lines[name] = (await retryLine(t, header)).replace(/127\.0\.0\.1:\d+/, '127.0.0.1:<port>')
  }
  return lines
}

/** An HTTP date (IMF-fixdate) `seconds` from now */
const httpDate = (seconds: number): string => new Date(Date.now() + seconds * 1000).toUTCString()

t.test('an answer is returned as it came: status, headers with lower-case names, body as text', async (t) => {
  const server = await serve(t, (response) => {
    reply(response, 201, { 'Content-Type': 'application/json; charset=utf-8', 'X-Request-Id': 'abc-123' }, '{"id":"lead-1","name":"Pérez"}')
  })
  const { client: kit, lines } = client()
  const exchange = await kit.send({
    method: 'POST',
    url: `${server.origin}/lead?ecosystem=e-1`,
    headers: { Authorization: 'Bearer a-token', 'Content-Type': 'application/json', 'X-Kit': 'conformance' },
    body: '{"name":"Pérez"}'
  })
  t.same(exchange, {
    status: 201,
    headers: {
      connection: 'keep-alive',
      'content-length': '31',
      'content-type': 'application/json; charset=utf-8',
      'keep-alive': 'timeout=5',
      'x-request-id': 'abc-123'
    },
    body: '{"id":"lead-1","name":"Pérez"}'
  })
  t.equal(server.received.length, 1)
  const [received] = server.received
  t.equal(received?.method, 'POST')
  t.equal(received?.url, '/lead?ecosystem=e-1')
  t.equal(received?.body, '{"name":"Pérez"}')
  t.match(received?.headers, { authorization: 'Bearer a-token', 'content-type': 'application/json', 'x-kit': 'conformance', 'content-length': '17' })
  t.same(lines, [], 'no progress line')
})

t.test('a GET is sent without a body, and an empty answer has an empty body', async (t) => {
  const server = await serve(t, (response) => {
    response.statusCode = 204
    response.end()
  })
  const exchange = await client().client.send({ method: 'GET', url: `${server.origin}/lead/lead-1`, headers: { Accept: 'application/json' } })
  t.same(exchange, { status: 204, headers: { connection: 'keep-alive', 'keep-alive': 'timeout=5' }, body: '' })
  t.equal(server.received[0]?.method, 'GET')
  t.equal(server.received[0]?.body, '')
  t.equal(server.received[0]?.headers.accept, 'application/json')
  t.equal(server.received[0]?.headers['content-length'], undefined)
})

t.test('a redirect is returned, not followed', async (t) => {
  const server = await serve(t, (response, { url }) => {
    if (url === '/lead') reply(response, 302, { Location: '/elsewhere', 'Content-Type': 'text/plain' }, 'see /elsewhere')
    else response.end('followed')
  })
  const exchange = await client().client.send(get(`${server.origin}/lead`))
  t.same(exchange, {
    status: 302,
    headers: { connection: 'keep-alive', 'content-length': '14', 'content-type': 'text/plain', 'keep-alive': 'timeout=5', location: '/elsewhere' },
    body: 'see /elsewhere'
  })
  t.same(server.received.map(({ url }) => url), ['/lead'], 'the server saw one request')
})

t.test('an error status other than 429 is returned at once, even with a Retry-After', async (t) => {
  const server = await serve(t, (response) => {
    reply(response, 503, { 'Retry-After': '0' }, 'down')
  })
  const { client: kit, lines } = client()
  const exchange = await kit.send(get(`${server.origin}/lead`))
  t.equal(exchange.status, 503)
  t.equal(exchange.body, 'down')
  t.equal(server.received.length, 1)
  t.same(lines, [])
})

t.test('a 429 is retried after its Retry-After, the same request again, with a progress line each time', async (t) => {
  const server = await serve(t, (response, _received, index) => {
    if (index < 2) return tooMany(response, '0')
    reply(response, 200, { 'Content-Type': 'application/json' }, '[]')
  })
  const { client: kit, lines } = client()
  const exchange = await kit.send({
    method: 'POST',
    url: `${server.origin}/lead?phone=573136434030`,
    headers: { Authorization: 'Bearer a-token' },
    body: 'phone=573136434030'
  })
  t.same(exchange, { status: 200, headers: { connection: 'keep-alive', 'content-length': '2', 'content-type': 'application/json', 'keep-alive': 'timeout=5' }, body: '[]' })
  t.equal(server.received.length, 3)
  for (const received of server.received) {
    t.same([received.method, received.url, received.headers.authorization, received.body], ['POST', '/lead?phone=573136434030', 'Bearer a-token', 'phone=573136434030'])
  }
  const line = `429 from ${server.origin}/lead: retrying in 0 s, as its Retry-After asks`
  t.same(lines, [line, line], 'the line names the URL without its query')
})

t.test('a 429 is asked at most 4 times in all, then the last 429 is returned', async (t) => {
  // A fifth request would get a 200: the client must not get there.
  const server = await serve(t, (response, _received, index) => {
    if (index < 5) reply(response, 429, { 'Retry-After': '0', 'Content-Type': 'text/plain' }, `busy ${index + 1}`)
    else response.end('too far')
  })
  const { client: kit, lines } = client()
  const exchange = await kit.send(get(`${server.origin}/lead`))
  t.same(exchange, {
    status: 429,
    headers: { connection: 'keep-alive', 'content-length': '6', 'content-type': 'text/plain', 'keep-alive': 'timeout=5', 'retry-after': '0' },
    body: 'busy 4'
  })
  t.equal(server.received.length, 4)
  t.same(lines, Array(3).fill(`429 from ${server.origin}/lead: retrying in 0 s, as its Retry-After asks`))
})

t.test('a Retry-After in seconds is waited for up to 60 seconds; more, and the 429 is the answer', async (t) => {
  t.same(await retryLines(t, {
    zero: '0',
    sixty: '60',
    'sixty-one': '61',
    'a day': '86400',
    // Not HTTP whitespace, so the server sends it, but JavaScript whitespace: read as 60.
    'no-break space': '\u00A060',
    'no-break space, 61': '61\u00A0'
  }), {
    zero: retrying(0),
    sixty: retrying(60),
    'sixty-one': NO_RETRY,
    'a day': NO_RETRY,
    'no-break space': retrying(60),
    'no-break space, 61': NO_RETRY
  })
})

t.test('a Retry-After date is waited for until then, in whole seconds rounded up; a past date not at all', async (t) => {
  t.same(await retryLines(t, {
    'IMF-fixdate, past': 'Sun, 06 Nov 1994 08:49:37 GMT',
    'RFC 850, past': 'Sunday, 06-Nov-94 08:49:37 GMT',
    'asctime, past': 'Sun Nov  6 08:49:37 1994',
    'just past': async () => httpDate(-2),
    'two minutes ahead': async () => httpDate(120),
    'within the next second': async () => {
      // A date is a whole second: answered early in a second, the next one is 0.7 to 1 s away.
      if (Date.now() % 1000 > 300) await sleep(1050 - Date.now() % 1000)
      return new Date(Math.floor(Date.now() / 1000) * 1000 + 1000).toUTCString()
    }
  }), {
    'IMF-fixdate, past': retrying(0),
    'RFC 850, past': retrying(0),
    'asctime, past': retrying(0),
    'just past': retrying(0),
    'two minutes ahead': NO_RETRY,
    'within the next second': retrying(1)
  })
})

t.test('a 429 without a Retry-After, or with one that is neither seconds nor a date, is retried after 1 second', async (t) => {
  t.same(await retryLines(t, {
    missing: undefined,
    empty: '',
    word: 'soon',
    'seconds with a unit': '5 seconds',
    negative: '-5 x',
    decimal: '1.5 s'
  }), {
    missing: retrying(1),
    empty: retrying(1),
    word: retrying(1),
    'seconds with a unit': retrying(1),
    negative: retrying(1),
    decimal: retrying(1)
  })
})

t.test('the wait before a retry is real: 1 second for a 429 without Retry-After', async (t) => {
  const server = await serve(t, (response, _received, index) => index === 0 ? tooMany(response, undefined) : response.end('ok'))
  const { client: kit, lines } = client()
  const exchange = await kit.send(get(`${server.origin}/lead`))
  t.equal(exchange.body, 'ok')
  t.same(lines, [`429 from ${server.origin}/lead: retrying in 1 s, as its Retry-After asks`])
  const [first, second] = server.received
  const gap = (second?.at ?? 0) - (first?.at ?? 0)
  t.ok(gap >= 990, `the retry came ${Math.round(gap)} ms after the 429`)
})

t.test('a target that refuses the connection is unreachable, named without the query', async (t) => {
  const port = await closedPort()
  const error = await rejection(client().client.send(get(`http://127.0.0.1:${port}/lead?phone=573136434030`)))
  unreachable(t, error, `http://127.0.0.1:${port}/lead`, `cannot reach http://127.0.0.1:${port}/lead: connect ECONNREFUSED 127.0.0.1:${port}`)
})

t.test('a request fetch refuses to make is unreachable too, without quoting the request', async (t) => {
  const error = await rejection(client().client.send(get('http://kit:s3cret@127.0.0.1:65535/lead?phone=573136434030')))
  unreachable(t, error, 'http://127.0.0.1:65535/lead', 'cannot reach http://127.0.0.1:65535/lead: the request could not be made: a header or the URL holds what HTTP does not allow')
  const header = await rejection(client().client.send({ method: 'GET', url: 'http://127.0.0.1:65535/lead', headers: { authorization: 'Bearer s3\ncret' } }))
  unreachable(t, header, 'http://127.0.0.1:65535/lead', 'cannot reach http://127.0.0.1:65535/lead: the request could not be made: a header or the URL holds what HTTP does not allow')
})

t.test('a name that does not resolve is unreachable, named without the query', async (t) => {
  const error = await rejection(client().client.send(get('http://leancore.invalid/lead?phone=573136434030')))
  t.equal((error as TargetUnreachable).url, 'http://leancore.invalid/lead')
  t.match(error.message, /^cannot reach http:\/\/leancore\.invalid\/lead: \S/)
  t.notMatch(error.message, /573136434030/)
})

t.test('a target that does not answer within the timeout is unreachable', { timeout: 10_000 }, async (t) => {
  const server = await serve(t, (response, { url }) => {
    // /silent never answers; /stalled sends its headers and part of its body, then stops.
    if (url.startsWith('/stalled')) {
      response.writeHead(200, { 'Content-Type': 'text/plain' })
      response.write('part')
    }
  })
  const { client: kit } = client({ timeoutMs: 200 })
  const started = performance.now()
  const silent = await rejection(kit.send(get(`${server.origin}/silent?phone=573136434030`)))
  const elapsed = performance.now() - started
  unreachable(t, silent, `${server.origin}/silent`, `cannot reach ${server.origin}/silent: no answer within 0.2 s`)
  t.ok(elapsed >= 190, `gave up after ${Math.round(elapsed)} ms`)
  const stalled = await rejection(client({ timeoutMs: 250 }).client.send(get(`${server.origin}/stalled`)))
  unreachable(t, stalled, `${server.origin}/stalled`, `cannot reach ${server.origin}/stalled: no answer within 0.25 s`)
})

t.test('requests are paced at the rate asked for, even on this machine', async (t) => {
  const server = await serve(t, (response) => response.end('ok'))
  const { client: kit } = client({ rate: 5 })
  const started = performance.now()
  for (let i = 0; i < 3; i++) await kit.send(get(`${server.origin}/lead`))
  // When each request reached the server, counted from the first send: the pace is of sends.
  const [, second, third] = server.received.map(({ at }) => Math.round(at - started))
  t.ok((second ?? 0) >= 190 && (third ?? 0) >= 390, `5 a second: the 2nd after ${second} ms, the 3rd after ${third} ms`)
  // Wide: 0.4 s must not be 10 s (1000 * rate instead of 1000 / rate), however busy the machine.
  t.ok((third ?? 0) < 3000, `the 3rd after ${third} ms, not seconds`)
})

t.test('requests to another machine are paced at 2 a second by default', async (t) => {
  const server = await serve(t, (response) => response.end('ok'))
  // The same server through an IPv4-mapped IPv6 address: not a name this machine is known by.
  const mapped = `http://[::ffff:127.0.0.1]:${server.port}/lead`
  const others = ['http://lead-api.invalid/', 'http://a127.invalid/', 'http://127a.invalid/', 'http://localhost.invalid/']
  const started = performance.now()
  const paced = async (url: string): Promise<number> => {
    const { client: kit } = client()
    for (let i = 0; i < 2; i++) await kit.send(get(url)).catch((error: unknown) => t.type(error, TargetUnreachable))
    return performance.now() - started
  }
  const [, ...elapsed] = await Promise.all([paced(mapped), ...others.map(paced)])
  const second = Math.round((server.received[1]?.at ?? 0) - started)
  t.equal(server.received.length, 2)
  t.ok(second >= 490, `${mapped}: the 2nd request reached the server ${second} ms after the 1st was sent`)
  others.forEach((url, i) => t.ok((elapsed[i] ?? 0) >= 490, `${url}: two requests took ${Math.round(elapsed[i] ?? 0)} ms`))
})

t.test('requests to this machine are not paced', async (t) => {
  const server = await serve(t, (response) => response.end('ok'))
  const port = await closedPort()
  const local = [`${server.origin}/`, `http://localhost:${server.port}/`, `http://127.0.0.2:${port}/`, `http://[::1]:${port}/`, 'http://conformance.localhost/']
  const timed = async (send: () => Promise<unknown>): Promise<number> => {
    const started = performance.now()
    await send().catch((error: unknown) => t.type(error, TargetUnreachable))
    return performance.now() - started
  }
  // The first request is never paced: it shows what one costs here (a slow name lookup, say).
  const unpaced = async (url: string): Promise<{ one: number, eight: number }> => {
    const { client: kit } = client()
    const one = await timed(async () => await kit.send(get(url)))
    const eight = await timed(async () => { for (let i = 0; i < 8; i++) await kit.send(get(url)) })
    return { one, eight }
  }
  const elapsed = await Promise.all(local.map(unpaced))
  // Wide: paced at 2 a second, 8 more requests take at least 4 s; unpaced, 8 times one, tens of milliseconds.
  local.forEach((url, i) => {
    const { one, eight } = elapsed[i] ?? { one: 0, eight: 0 }
    t.ok(eight < 2500 + 8 * one, `${url}: one request took ${Math.round(one)} ms, 8 more ${Math.round(eight)} ms`)
  })
  t.equal(server.received.length, 18, 'both names of 127.0.0.1 reached the server')
})

t.test('a request that would start after the run\'s deadline is not sent', async (t) => {
  const target = await serve(t, (response) => { response.end('{}') })
  const { client: late } = client({ deadlineAt: Date.now() - 1, deadlineMs: 2000 })
  await t.rejects(late.send(get(`${target.origin}/lead`)), { name: 'DeadlinePassed', message: 'not run: the run\'s --deadline (2 s) passed' })
  t.equal(target.received.length, 0)
})
