// A target that is not on the kit's side: it echoes secrets back, answers without end, or asks the
// kit to wait for ever. The kit keeps every secret out of what it writes, reads no more than
// --max-body, ends by --deadline, and never writes through a symbolic link or over a file.
import { once } from 'node:events'
import { existsSync, lstatSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE, formatReport, runConformance, startServer } from '../../src/index.js'
import { startProxy, temporaryDirectory } from '../helper.js'

const TOKEN = 'hostile-suite-token-Zq81'
const CLIENT = { id: 'hostile-suite-client', secret: 'hostile-suite-secret-P0w9' }
const BASIC = Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')

async function mockTarget (t: Test): Promise<string> {
  const mock = await startServer({ tokens: [TOKEN], oauthClients: [CLIENT] })
  t.after(() => mock.close())
  return mock.url
}

/** A server of the test's own, answering every request with `answer`. */
async function scripted (t: Test, answer: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ url: string, requests: () => number }> {
  let requests = 0
  const server = createServer((request, response) => {
    requests++
    request.resume()
    answer(request, response)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests }
}

const options = (baseUrl: string) => ({ baseUrl, ecosystem: EXAMPLE_ECOSYSTEM, phone: EXAMPLE_PHONE, token: TOKEN, clientId: CLIENT.id, clientSecret: CLIENT.secret })

t.test('a target that echoes every secret back, in headers, keys and values: none reaches the report, the progress or the recording', async (t) => {
  const issued: string[] = []
  const proxy = await startProxy(t, await mockTarget(t), (answer, request) => {
    const echoed = [request.headers.authorization ?? '', TOKEN, CLIENT.secret, BASIC, ...issued].join(' ')
    if (answer.status === 200 && request.url.startsWith('/oauth2/token')) issued.push((JSON.parse(answer.body) as { access_token: string }).access_token)
    const headers = { ...answer.headers, 'www-authenticate': `Bearer realm="${echoed}"` }
    if (answer.status !== 200 || !request.url.startsWith('/lead')) return { ...answer, status: answer.status === 200 ? answer.status : 401, headers }
    const body = JSON.parse(answer.body) as unknown
    const leak = (lead: Record<string, unknown>): Record<string, unknown> => ({ ...lead, additional_data: { [echoed]: echoed, nota: echoed } })
    return { ...answer, headers, body: JSON.stringify(Array.isArray(body) ? body.map(leak) : leak(body as Record<string, unknown>)) }
  })
  const directory = temporaryDirectory(t)
  const progress: string[] = []
  const report = await runConformance({ ...options(proxy.url), record: join(directory, 'recording.json'), out: join(directory, 'report.json'), format: 'json', progress: (line) => progress.push(line) })
  t.ok(issued.length > 0, 'the target issued tokens, and echoed them too')
  const written = [
    ...(['text', 'json', 'junit'] as const).map((format) => formatReport(report, format)),
    progress.join('\n'),
    readFileSync(join(directory, 'report.json'), 'utf8'),
    readFileSync(join(directory, 'recording.json'), 'utf8')
  ].join('\n')
  t.match(written, /\[redacted\]/, 'what was echoed is there, redacted')
  for (const secret of [TOKEN, CLIENT.secret, BASIC, ...issued]) t.notOk(written.includes(secret), `no ${secret.slice(0, 6)}…`)
})

t.test('an answer larger than --max-body is not read: the case differs, saying so', async (t) => {
  const target = await scripted(t, (request, response) => {
    if (request.url?.startsWith('/oauth2/token') === true) return response.writeHead(401).end()
    response.writeHead(200, { 'content-type': 'application/json' })
    // A body without end, as fast as the socket takes it.
    const write = (): void => { while (response.write(`[${'0,'.repeat(8191)}0]`)); }
    response.on('drain', write)
    write()
  })
  const before = process.memoryUsage().rss
  const started = Date.now()
  const report = await runConformance({ ...options(target.url), maxBody: 1024 * 1024, timeout: 5 })
  t.ok(Date.now() - started < 30_000, `done in ${Date.now() - started} ms`)
  t.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024, 'without reading the endless bodies into memory')
  t.match(report.cases.find(({ id }) => id === 'ecosystem'), { verdict: 'differs', differences: ["body: target's is over --max-body (1048576 bytes), not read"] })
})

t.test('an answer that announces more than --max-body is not read at all', async (t) => {
  let written = 0
  const target = await scripted(t, (request, response) => {
    if (request.url?.startsWith('/oauth2/token') === true) return response.writeHead(401).end()
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) })
    written = 4096
    response.write('['.padEnd(4096, ' '))
  })
  const report = await runConformance({ ...options(target.url), maxBody: 1024 * 1024, timeout: 5 })
  t.match(report.cases.find(({ id }) => id === 'phone'), { verdict: 'differs', differences: ["body: target's is over --max-body (1048576 bytes), not read"] })
  t.equal(written, 4096, 'the kit hung up instead of waiting for the rest')
})

t.test('a recording that cannot be made fails the run with the reason, and writes neither file', async (t) => {
  const proxy = await startProxy(t, await mockTarget(t), (answer, request) => {
    if (answer.status !== 200 || !request.url.startsWith('/lead')) return answer
    const body = JSON.parse(answer.body) as unknown
    const broken = (lead: Record<string, unknown>): Record<string, unknown> => ({ ...lead, email: '.co' })
    return { ...answer, body: JSON.stringify(Array.isArray(body) ? body.map(broken) : broken(body as Record<string, unknown>)) }
  })
  const directory = temporaryDirectory(t)
  const [out, record] = [join(directory, 'report.txt'), join(directory, 'recording.json')]
  await t.rejects(runConformance({ ...options(proxy.url), out, record }), { message: /^cannot record: every email look-alike/ })
  t.notOk(existsSync(out) || existsSync(record), 'no report, no recording')
})

t.test('a target that always asks to wait: no wait past --deadline; the cases left then are reported as not run, exit code 2', async (t) => {
  const long = await scripted(t, (_request, response) => { response.writeHead(429, { 'retry-after': '60', 'content-type': 'application/json' }).end('{}') })
  let started = Date.now()
  const refused = await runConformance({ ...options(long.url), deadline: 3, rate: 1000 })
  t.ok(Date.now() - started < 3000, `a Retry-After of 60 s is not waited, with 3 s left (${Date.now() - started} ms), instead of about 45 minutes`)
  t.match(refused.cases[0], { id: 'ecosystem', verdict: 'differs', differences: ['status: target 429, leancore-mock 200'] })

  // A target that takes 800 ms for every answer: eighteen cases would take half a minute.
  const slow = await scripted(t, (_request, response) => { setTimeout(() => response.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' }).end('{}'), 800) })
  started = Date.now()
  const report = await runConformance({ ...options(slow.url), deadline: 3, rate: 1000 })
  const elapsed = Date.now() - started
  t.ok(elapsed >= 2500 && elapsed < 6000, `ended at the deadline (${elapsed} ms)`)
  t.equal(report.exitCode, 2)
  const notRun = report.cases.filter(({ reason }) => reason === 'not run: the run\'s --deadline (3 s) passed')
  t.ok(notRun.length > 0 && report.cases.indexOf(notRun[0] as typeof notRun[0]) + notRun.length === report.cases.length, `the last ${notRun.length} cases are not run`)
  t.match(formatReport(report, 'text'), /not run: the run's --deadline \(3 s\) passed/)
})

t.test('--out and --record: checked before anything is sent; no symbolic link followed, no file overwritten without --force', async (t) => {
  const target = await scripted(t, (_request, response) => { response.writeHead(500).end() })
  const directory = temporaryDirectory(t)
  const victim = join(directory, 'victim.txt')
  writeFileSync(victim, 'keep me')
  const link = join(directory, 'link.json')
  symlinkSync(victim, link)
  const dangling = join(directory, 'dangling.json')
  symlinkSync(join(directory, 'nowhere.json'), dangling)
  const existing = join(directory, 'existing.json')
  writeFileSync(existing, 'old')
  const refusals: Array<[object, RegExp]> = [
    // Not writable even by root: /proc/sys takes no new file.
    [{ out: '/proc/sys/report.txt' }, /^out: the directory \/proc\/sys is not writable by this user$/],
    [{ record: link }, /^record: .*link\.json is a symbolic link; give the file itself \(it is never followed\)$/],
    [{ out: link, force: true }, /^out: .*link\.json is a symbolic link/],
    [{ out: dangling }, /^out: .*dangling\.json is a symbolic link/],
    [{ out: existing }, /^out: .*existing\.json exists; give --force to overwrite it$/],
    [{ record: existing }, /^record: .*existing\.json exists; give --force to overwrite it$/]
  ]
  for (const [given, message] of refusals) {
    await t.rejects(runConformance({ ...options(target.url), ...given }), { name: 'ConfigError', message }, JSON.stringify(given))
  }
  t.equal(target.requests(), 0, 'nothing was sent for any of them')
  t.equal(readFileSync(victim, 'utf8'), 'keep me', 'the link\'s target is untouched')
  t.ok(lstatSync(link).isSymbolicLink() && readlinkSync(link) === victim)
  await runConformance({ ...options(await mockTarget(t)), out: existing, force: true })
  t.match(readFileSync(existing, 'utf8'), /^leancore-mock conformance: /, 'with --force an existing file is overwritten')
})
