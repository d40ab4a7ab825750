// The conformance kit as a team runs it against a server: here, leancore-mocks started by the
// test, spoken to over real sockets (through a proxy that sees every request when it matters).
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import {
  ConfigError, EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE, formatReport, runConformance, startServer, TargetUnreachable,
  type ConformanceOptions, type ConformanceReport, type MockServer, type StartOptions
} from '../src/index.js'
import { closedPort, startProxy, temporaryDirectory } from './helper.js'

const TOKEN = 'conformance-suite-token-7Qx2'
const CLIENT = { id: 'conformance-suite-client', secret: 'conformance-suite-secret-W9v4' }
const CASE_IDS = [
  'ecosystem', 'phone', 'lead-by-id', 'lead-by-nit', 'phone-unknown', 'ecosystem-empty', 'ecosystem-malformed', 'no-parameter', 'both-parameters',
  'auth-missing', 'auth-basic', 'auth-wrong-token', 'auth-lowercase-bearer',
  'token-success', 'token-query-grant', 'token-wrong-credentials', 'token-unsupported-grant', 'token-opens-lead'
]
const TOKEN_CASES = ['token-success', 'token-query-grant', 'token-wrong-credentials', 'token-unsupported-grant', 'token-opens-lead']

async function target (t: Test, options: StartOptions = {}): Promise<MockServer> {
  const mock = await startServer({ tokens: [TOKEN], oauthClients: [CLIENT], ...options })
  t.after(() => mock.close())
  return mock
}

/** Every option a team with a LeanCore account would give */
function everything (baseUrl: string): ConformanceOptions {
  return { baseUrl, ecosystem: EXAMPLE_ECOSYSTEM, phone: EXAMPLE_PHONE, token: TOKEN, clientId: CLIENT.id, clientSecret: CLIENT.secret }
}

/**
 * `count` requests arrived `interval` ms apart: all of them together take that long, give or take
 * a timer, and no two came in a burst. The test's own event loop also runs the proxy, so a single
 * arrival may be noted a little late.
 */
// What the target sees: arrival times, which carry the network's jitter on top of the kit's pacing,
// and the first request also pays for the connection. So the average is taken from the second
// request on, with one interval to spare, and a burst is three requests within one interval.
function paced (t: Test, requests: Array<{ at: number }>, count: number, interval: number): void {
  t.equal(requests.length, count)
  const at = requests.map((request) => request.at)
  const gaps = at.slice(1).map((time, index) => time - (at[index] as number))
  t.ok((at.at(-1) as number) - (at[1] as number) >= (count - 2) * interval - interval, `${interval} ms apart: ${gaps.join(', ')}`)
  t.ok(at.slice(2).every((time, index) => time - (at[index] as number) >= interval), `no burst: ${gaps.join(', ')}`)
}

const verdicts = (report: ConformanceReport): Record<string, string> =>
  Object.fromEntries(report.cases.map(({ id, verdict }) => [id, verdict]))

t.test('against a leancore-mock, every case is the same, and the kit only reads', async (t) => {
  const mock = await target(t)
  const proxy = await startProxy(t, mock.url)
  const lines: string[] = []
  const report = await runConformance({ ...everything(proxy.url), progress: (line) => lines.push(line) })

  t.same(report.cases.map(({ id }) => id), CASE_IDS, 'every case of the issue, in order')
  t.same(report.summary, { same: 18, differs: 0, skipped: 0 })
  t.equal(report.exitCode, 0)
  for (const result of report.cases) {
    t.same(result.differences, [], result.id)
    t.equal(result.target?.status, result.mock?.status, `${result.id}: the target's status is the mock's`)
  }
  t.match(report.cases.find(({ id }) => id === 'auth-wrong-token'), { target: { status: 401, wwwAuthenticate: /^Bearer/ } })
  t.match(report, { target: { baseUrl: proxy.url, tokenUrl: `${proxy.url}/oauth2/token`, ecosystem: EXAMPLE_ECOSYSTEM }, mock: { version: /^\d+\.\d+\.\d+$/ } })

  const sent = new Set(proxy.requests.map(({ method, url }) => `${method} ${new URL(url, proxy.url).pathname}`))
  t.same([...sent].sort(), ['GET /lead', 'POST /oauth2/token'], 'GET /lead and POST to the token URL, nothing else')
  t.equal(proxy.requests.filter(({ method }) => method === 'POST').length, 4, 'one token, one asked LeanCore\'s app\'s way, then a wrong secret and a wrong grant')
  t.match(lines[0], /^comparing http:\/\/127\.0\.0\.1:\d+ with leancore-mock \d+\.\d+\.\d+: 18 cases$/)
  t.match(lines.slice(1), CASE_IDS.map((id, index) => `[${index + 1}/18] ${id}: same`))
})

t.test('a case without the data it needs is skipped with the reason, never reported as passed', async (t) => {
  const mock = await target(t)
  const report = await runConformance({ baseUrl: mock.url, ecosystem: EXAMPLE_ECOSYSTEM, token: TOKEN })
  t.same(report.summary, { same: 12, differs: 0, skipped: 6 })
  t.equal(report.exitCode, 0, 'nothing differs')
  const skipped = report.cases.filter(({ verdict }) => verdict === 'skipped')
  t.same(skipped.map(({ id }) => id), ['phone', ...TOKEN_CASES])
  t.match(skipped[0]?.reason, /^no phone given \(--phone\)/)
  for (const result of skipped.slice(1)) {
    t.equal(result.reason, 'no client credentials (--client-id and --client-secret, or LEANCORE_CLIENT_ID and LEANCORE_CLIENT_SECRET)')
    t.equal(result.target, undefined, 'nothing was sent')
  }

  const text = formatReport(report, 'text')
  t.match(text, /^phone +GET \/lead\?phone=<phone> +skipped\n +- no phone given/m)
  t.match(text, /\n18 cases: 12 same, 0 differ, 6 skipped\n$/)
  const junit = formatReport(report, 'junit')
  t.equal(junit.match(/<skipped message="/g)?.length, 6)
  t.equal(junit.match(/<testcase /g)?.length, 18)
  t.notMatch(junit, /<failure/)
  t.match(junit, /<testsuites name="leancore-mock conformance" tests="18" failures="0" errors="0" skipped="6">/)
  t.same((JSON.parse(formatReport(report, 'json')) as ConformanceReport).cases.filter(({ verdict }) => verdict === 'skipped').length, 6)
})

t.test('client credentials alone: GET /lead is sent with a token from the token endpoint', async (t) => {
  const mock = await target(t)
  const proxy = await startProxy(t, mock.url)
  const { token: _token, ...withoutToken } = everything(proxy.url)
  const report = await runConformance(withoutToken)
  t.same(report.summary, { same: 18, differs: 0, skipped: 0 })
  const bearers = new Set(proxy.requests.filter(({ url }) => url.startsWith('/lead?phone=')).map(({ headers }) => headers.authorization))
  t.match([...bearers], [/^Bearer lcm_/], 'the issued token')
})

t.test('when the token endpoint gives no token, the cases that need one are skipped', async (t) => {
  const mock = await target(t)
  const report = await runConformance({ ...everything(mock.url), token: undefined, clientSecret: 'not-the-secret' })
  const byId = verdicts(report)
  t.equal(byId['token-success'], 'differs')
  t.match(report.cases.find(({ id }) => id === 'token-success')?.differences, ['status: target 401, leancore-mock 200'])
  for (const id of ['ecosystem', 'phone', 'phone-unknown', 'no-parameter', 'auth-lowercase-bearer', 'token-opens-lead']) {
    t.equal(byId[id], 'skipped', id)
    t.equal(report.cases.find((result) => result.id === id)?.reason, 'no token: the token endpoint answered 401 without an access_token (see token-success)')
  }
  for (const id of ['auth-missing', 'auth-basic', 'auth-wrong-token', 'token-wrong-credentials']) t.equal(byId[id], 'same', id)
  t.equal(report.exitCode, 1)
})

t.test('a token endpoint that answers something other than JSON gives no token either', async (t) => {
  const mock = await target(t)
  const proxy = await startProxy(t, mock.url, (answer, request) => request.url === '/oauth2/token'
    ? { status: 503, headers: { 'content-type': 'text/html' }, body: '<html><body>Service Unavailable</body></html>' }
    : answer)
  const report = await runConformance({ ...everything(proxy.url), token: undefined })
  t.match(report.cases.find(({ id }) => id === 'ecosystem'), { verdict: 'skipped', reason: 'no token: the token endpoint answered 503 without an access_token (see token-success)' })
  t.match(report.cases.find(({ id }) => id === 'token-success'), { verdict: 'differs', differences: ['status: target 503, leancore-mock 200', 'content-type: target text/html, leancore-mock application/json'] })
})

t.test('the token URL may be on another host, as LeanCore\'s is', async (t) => {
  const mock = await target(t)
  const api = await startProxy(t, mock.url)
  const auth = await startProxy(t, mock.url)
  const report = await runConformance({ ...everything(api.url), token: undefined, tokenUrl: `${auth.url}/oauth2/token` })
  t.same(report.summary, { same: 18, differs: 0, skipped: 0 })
  t.equal(report.target.tokenUrl, `${auth.url}/oauth2/token`)
  t.notOk(api.requests.some(({ method }) => method === 'POST'), 'no token request to the API host')
  t.ok(auth.requests.length > 0 && auth.requests.every(({ method, url }) => method === 'POST' && ['/oauth2/token', '/oauth2/token?grant_type=client_credentials'].includes(url)), 'only token requests to the auth host')
})

t.test('a base URL with a path keeps it', async (t) => {
  const mock = await target(t)
  const proxy = await startProxy(t, mock.url)
  // The proxy serves the API at its root, so a prefix it does not know is a 404 on every case.
  const report = await runConformance({ ...everything(`${proxy.url}/api/v1/`), clientId: undefined, clientSecret: undefined })
  t.equal(report.target.baseUrl, `${proxy.url}/api/v1`, 'without the trailing slash')
  t.equal(proxy.requests.length, 11)
  t.ok(proxy.requests.every(({ url }) => url.startsWith('/api/v1/lead')), 'every request under the prefix')
  t.equal(report.exitCode, 1)
})

t.test('the report in three formats, to a file when asked', async (t) => {
  const mock = await target(t, { seed: 'none' })
  const directory = temporaryDirectory(t)
  for (const format of ['text', 'json', 'junit'] as const) {
    const out = join(directory, `report.${format}`)
    const report = await runConformance({ ...everything(mock.url), format, out })
    t.equal(readFileSync(out, 'utf8'), formatReport(report, format), format)
  }
  const report = await runConformance({ ...everything(mock.url), out: join(directory, 'default') })
  t.equal(readFileSync(join(directory, 'default'), 'utf8'), formatReport(report, 'text'), 'text by default')

  // No leads at the target: the ecosystem case has nothing to compare, the phone is not found.
  t.match(verdicts(report), { ecosystem: 'skipped', phone: 'differs' })
  const text = formatReport(report, 'text')
  t.match(text, /^leancore-mock conformance: http:\/\/127\.0\.0\.1:\d+ compared with leancore-mock \d+\.\d+\.\d+\n\ncase +request +verdict\n/)
  t.match(text, /\nphone +GET \/lead\?phone=<phone> +differs\n +- status: target 404, leancore-mock 200\n/)
  t.match(text, /\necosystem +GET \/lead\?ecosystem=<ecosystem> +skipped\n +- the target has no leads in this ecosystem/)

  const json = JSON.parse(formatReport(report, 'json')) as ConformanceReport
  t.same(json, JSON.parse(JSON.stringify(report)))
  t.match(json.cases[1], { id: 'phone', verdict: 'differs', differences: ['status: target 404, leancore-mock 200'], target: { status: 404 }, mock: { status: 200 } })

  const junit = formatReport(report, 'junit')
  t.match(junit, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /)
  t.match(junit, /<testcase classname="leancore-mock\.conformance" name="phone: GET \/lead\?phone=&#60;phone&#62;">\n {6}<failure message="status: target 404, leancore-mock 200" type="differs">status: target 404, leancore-mock 200<\/failure>\n {4}<\/testcase>/)
  t.match(junit, /tests="18" failures="1" errors="0" skipped="3"/)
  t.notMatch(junit.replace(/&#\d+;/g, ''), /&|<[^/?a-z]/, 'escaped')
})

t.test('no token or secret reaches an output, a progress line or the recording', async (t) => {
  const mock = await target(t)
  const directory = temporaryDirectory(t)
  const lines: string[] = []
  const outputs: string[] = []
  for (const format of ['text', 'json', 'junit'] as const) {
    const out = join(directory, `report.${format}`)
    const record = join(directory, `recording.${format}.json`)
    const report = await runConformance({ ...everything(mock.url), format, out, record, progress: (line) => lines.push(line) })
    t.same(report.summary, { same: 18, differs: 0, skipped: 0 })
    outputs.push(readFileSync(out, 'utf8'), readFileSync(record, 'utf8'), formatReport(report, format))
  }
  outputs.push(lines.join('\n'))
  const basic = Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')
  for (const output of outputs) {
    for (const secret of [TOKEN, CLIENT.secret, basic, 'lcm_']) t.notOk(output.includes(secret), `no ${secret.slice(0, 8)}… in ${output.slice(0, 30)}…`)
    t.notOk(output.includes(EXAMPLE_PHONE), 'nor the phone it was given')
  }
})

t.test('a 429 is retried after its Retry-After', async (t) => {
  const mock = await target(t)
  const ecosystem = { token: TOKEN, ecosystem: EXAMPLE_ECOSYSTEM, path: '/lead' as const }
  const inThePast = new Date(Date.now() - 60_000).toUTCString()
  for (const retryAfter of ['0', inThePast, 'soon']) {
    mock.scenarios.add({ match: ecosystem, respond: { status: 429, headers: { 'retry-after': retryAfter } }, times: 1 })
  }
  mock.scenarios.add({ match: { token: TOKEN, phone: EXAMPLE_PHONE }, respond: { status: 429 }, times: 1 })
  const lines: string[] = []
  const report = await runConformance({ ...everything(mock.url), progress: (line) => lines.push(line) })
  t.same(report.summary, { same: 18, differs: 0, skipped: 0 })
  t.same(mock.journal.entries({ path: '/lead' }).slice(0, 6).map(({ status }) => status), [429, 429, 429, 200, 429, 200])
  t.same(lines.filter((line) => line.startsWith('429')), [
    `429 from ${mock.url}/lead: retrying in 0 s, as its Retry-After asks`,
    `429 from ${mock.url}/lead: retrying in 0 s, as its Retry-After asks`,
    `429 from ${mock.url}/lead: retrying in 1 s, as its Retry-After asks`,
    `429 from ${mock.url}/lead: retrying in 1 s, as its Retry-After asks`
  ], 'a date in the past is now; no header, or one that is neither, a short pause')
})

t.test('a 429 that lasts, or asks for too long a wait, is what the target answered', async (t) => {
  const mock = await target(t)
  mock.scenarios.add({ match: { token: TOKEN, phone: EXAMPLE_PHONE }, respond: { status: 429, headers: { 'retry-after': '0' } }, times: 4 })
  mock.scenarios.add({ match: { token: TOKEN, phone: '573000000000' }, respond: { status: 429, headers: { 'retry-after': '3600' } }, times: 1 })
  const started = Date.now()
  const report = await runConformance(everything(mock.url))
  t.ok(Date.now() - started < 30_000, 'no hour-long wait')
  t.match(report.cases.find(({ id }) => id === 'phone'), { verdict: 'differs', differences: ['status: target 429, leancore-mock 200'] })
  t.match(report.cases.find(({ id }) => id === 'phone-unknown'), { verdict: 'differs', differences: ['status: target 429, leancore-mock 404'] })
  t.equal(mock.journal.entries({ status: 429 }).length, 5, 'four tries of the phone, one of the unknown phone')
})

t.test('--rate paces the requests to the target', async (t) => {
  const mock = await target(t)
  const proxy = await startProxy(t, mock.url)
  await runConformance({ ...everything(proxy.url), rate: 20 })
  paced(t, proxy.requests, 18, 50)
})

t.test('a target on this machine is not paced unless --rate says so', async (t) => {
  for (const options of [{}, { host: '::1' }]) {
    const mock = await target(t, options)
    const baseUrl = 'host' in options ? mock.url : `http://localhost:${mock.port}`
    const started = Date.now()
    const report = await runConformance(everything(baseUrl))
    t.same(report.summary, { same: 18, differs: 0, skipped: 0 }, baseUrl)
    // At two requests a second, fourteen requests take seven seconds.
    t.ok(Date.now() - started < 4000, `${baseUrl}: ${Date.now() - started} ms`)
  }
})

// This machine's address on a network: a host that is not localhost, without leaving the machine.
const ADDRESS = Object.values(networkInterfaces()).flat().find((entry) => entry?.family === 'IPv4' && !entry.internal)?.address

t.test('another host gets two requests a second at most by default', {
  skip: ADDRESS === undefined ? 'this machine has no network address besides loopback' : false
}, async (t) => {
  const address = ADDRESS as string
  const mock = await target(t)
  const proxy = await startProxy(t, mock.url, undefined, '0.0.0.0')
  await runConformance({ ...everything(`http://${address}:${proxy.port}`), clientId: undefined, clientSecret: undefined })
  paced(t, proxy.requests, 13, 500)
})

t.test('a target that does not answer: TargetUnreachable naming the URL, after the timeout', async (t) => {
  const silent = createServer(() => {})
  silent.listen(0, '127.0.0.1')
  await once(silent, 'listening')
  t.after(() => { silent.close() })
  const { port } = silent.address() as { port: number }
  const started = Date.now()
  const error = await runConformance({ ...everything(`http://127.0.0.1:${port}`), timeout: 0.3 }).catch((error: unknown) => error)
  t.type(error, TargetUnreachable)
  t.equal((error as Error).message, `cannot reach http://127.0.0.1:${port}/lead: no answer within 0.3 s`)
  t.equal((error as TargetUnreachable).url, `http://127.0.0.1:${port}/lead`)
  t.ok(Date.now() - started < 5000)
})

t.test('a target that does not speak HTTP: TargetUnreachable naming the URL and what went wrong', async (t) => {
  const ssh = createServer((socket) => { socket.end('SSH-2.0-OpenSSH_9.6\r\n') })
  ssh.listen(0, '127.0.0.1')
  await once(ssh, 'listening')
  t.after(() => { ssh.close() })
  const { port } = ssh.address() as { port: number }
  const error = await runConformance(everything(`http://127.0.0.1:${port}`)).catch((error: unknown) => error)
  t.type(error, TargetUnreachable)
  t.match((error as Error).message, new RegExp(`^cannot reach http://127\\.0\\.0\\.1:${port}/lead: \\S`))
})

t.test('a refused connection: TargetUnreachable naming the URL', async (t) => {
  const port = await closedPort()
  const error = await runConformance(everything(`http://127.0.0.1:${port}`)).catch((error: unknown) => error)
  t.type(error, TargetUnreachable)
  t.equal((error as Error).message, `cannot reach http://127.0.0.1:${port}/lead: connect ECONNREFUSED 127.0.0.1:${port}`)
})

t.test('bad options are a ConfigError naming the option, and never echo a secret', async (t) => {
  const directory = temporaryDirectory(t)
  const base = everything('http://127.0.0.1:9')
  const cases: Array<[Partial<ConformanceOptions>, RegExp]> = [
    [{ baseUrl: undefined }, /^baseUrl: is required; see leancore-mock conformance --help$/],
    [{ baseUrl: 'lead-api.example' }, /^baseUrl: must be an http or https URL, like http:\/\/127\.0\.0\.1:3000, got "lead-api\.example"$/],
    [{ baseUrl: 'ftp://lead-api.example' }, /^baseUrl: must be an http or https URL, got "ftp:"$/],
    [{ baseUrl: 'https://user:pass@lead-api.example' }, /^baseUrl: must not carry credentials; give them with --token or --client-id and --client-secret$/],
    [{ baseUrl: 'https://lead-api.example/?token=x' }, /^baseUrl: must not have a query or a fragment$/],
    [{ ecosystem: undefined }, /^ecosystem: is required/],
    [{ ecosystem: 'fd3705e1' }, /^ecosystem: must be a UUID, like fd3705e1-3149-4c41-bfe7-cf0bee79cfad, got "fd3705e1"$/],
    [{ phone: '+57 313 643 4030' }, /^phone: must be 7 to 15 digits, country code first, like 573136434030, got "\+57 313 643 4030"$/],
    [{ token: 'has a space-secret' }, /^token: must be a bearer token: letters, digits and -\._~\+\/ only, optionally ending in =$/],
    [{ clientSecret: undefined }, /^clientSecret: is needed with clientId$/],
    [{ clientId: undefined }, /^clientId: is needed with clientSecret$/],
    [{ clientSecret: 'line\nbreak-secret' }, /^clientSecret: must be non-empty text without control characters$/],
    [{ token: undefined, clientId: undefined, clientSecret: undefined }, /^token: give a bearer token, or client credentials \(clientId and clientSecret\) to get one$/],
    [{ tokenUrl: 'auth.leancore.co' }, /^tokenUrl: must be an http or https URL/],
    [{ format: 'xml' as never }, /^format: must be one of text, json, junit, got "xml"$/],
    [{ rate: 0 }, /^rate: must be a number above 0 and at most 1000, got 0$/],
    [{ rate: Number.NaN }, /^rate: must be a number above 0 and at most 1000, got NaN$/],
    [{ timeout: '10s' as never }, /^timeout: must be a number above 0 and at most 600, got "10s"$/],
    [{ out: join(directory, 'missing', 'report.txt') }, /^out: the directory .*missing does not exist$/],
    [{ record: ' ' }, /^record: must be a file path, got " "$/],
    [{ out: join(directory, 'same.json'), record: join(directory, '.', 'same.json') }, /^record: must be another file than out$/]
  ]
  for (const [options, message] of cases) {
    const error = await runConformance({ ...base, ...options } as ConformanceOptions).catch((error: unknown) => error)
    t.type(error, ConfigError, message.source)
    t.match((error as Error).message, message)
    t.notMatch((error as Error).message, /space-secret|break-secret|user:pass/, 'no secret echoed')
  }
})
