// `leancore-mock conformance` as a person or a CI job runs it: the built command, its exit codes,
// its report on stdout and its progress on stderr.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE, startServer, type ConformanceReport, type Lead, type MockServer } from '../src/index.js'
import { CONFORMANCE_FLAGS } from '../src/conformance/options.js'
import { closedPort, runCli, temporaryDirectory } from './helper.js'

const TOKEN = 'cli-suite-token'
const CLIENT = { id: 'cli-suite-client', secret: 'cli-suite-secret' }
const ENTITY = '3f0c2a9e-8b1d-4c6e-9f2a-7d5b1e0c4a38'
const FLAGS = ['--write-cases', '--financial-entity', '--base-url', '--ecosystem', '--phone', '--token', '--client-id', '--client-secret', '--token-url', '--format', '--out', '--record', '--rate', '--timeout']

async function target (t: Test, seed: 'demo' | 'none' = 'demo'): Promise<MockServer> {
  const mock = await startServer({ seed, tokens: [TOKEN], oauthClients: [CLIENT] })
  t.after(() => mock.close())
  return mock
}

const required = (url: string): string[] => ['conformance', '--base-url', url, '--ecosystem', EXAMPLE_ECOSYSTEM]

t.test('leancore-mock --help lists the conformance command; conformance --help lists its flags', async (t) => {
  const help = runCli(t, ['--help'])
  t.equal(await help.exited, 0)
  t.match(help.stdout(), /\n {2}conformance +compare a Lead API \(LeanCore's, or another leancore-mock\) with this mock;/)
  const own = runCli(t, ['conformance', '--help'])
  t.equal(await own.exited, 0)
  for (const flag of FLAGS) t.match(own.stdout(), new RegExp(`\\n {2}${flag} `), flag)
  // One line per flag: the flag, its value, what it is for and, for a secret, its variable.
  const lines = own.stdout().split('\n')
  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const columns = new Set<number>()
  for (const { flag, value, help, env } of Object.values(CONFORMANCE_FLAGS)) {
    const variable = env === undefined ? '' : ` \\(or ${env}\\)`
    const line = lines.find((candidate) => candidate.startsWith(`  --${flag} `)) ?? ''
    t.match(line, new RegExp(`^  --${flag} ${escape(value)} +${escape(help)}${variable}$`), flag)
    columns.add(line.indexOf(help))
  }
  t.equal(columns.size, 1, 'the help texts start in one column')
  t.ok(lines.some((line) => /^ {2}--help +show this text$/.test(line)), '--help')
  for (const variable of ['LEANCORE_TOKEN', 'LEANCORE_CLIENT_ID', 'LEANCORE_CLIENT_SECRET']) t.match(own.stdout(), `(or ${variable})`)
  t.match(own.stdout(), /Exit code: 0 nothing differs, 1 something differs, 2 bad usage, target unreachable,\nor the --deadline passed before every case ran\./)
})

t.test('bad usage exits 2 with one line naming the flag or the variable', async (t) => {
  const directory = temporaryDirectory(t)
  const url = 'http://127.0.0.1:9'
  const cases: Array<[string[], Record<string, string>, RegExp]> = [
    [['conformance'], {}, /^leancore-mock: --base-url: is required; see leancore-mock conformance --help$/],
    [['conformance', '--base-url', url], {}, /^leancore-mock: --ecosystem: is required/],
    [[...required(url)], {}, /^leancore-mock: --token: give a bearer token, or client credentials \(--client-id and --client-secret\) to get one$/],
    [['conformance', '--base-url', 'leancore', '--ecosystem', EXAMPLE_ECOSYSTEM], {}, /^leancore-mock: --base-url: must be an http or https URL/],
    [['conformance', '--base-url', url, '--ecosystem', 'nope', '--token', TOKEN], {}, /^leancore-mock: --ecosystem: must be a UUID/],
    [[...required(url), '--token', TOKEN, '--phone', '313 643 4030'], {}, /^leancore-mock: --phone: must be 7 to 15 digits/],
    [[...required(url), '--token', TOKEN, '--format', 'html'], {}, /^leancore-mock: --format: must be one of text, json, junit, got "html"$/],
    [[...required(url), '--token', TOKEN, '--rate', 'fast'], {}, /^leancore-mock: --rate: must be a number above 0 and at most 1000, got "fast"$/],
    [[...required(url), '--token', TOKEN, '--timeout', '0'], {}, /^leancore-mock: --timeout: must be a number above 0 and at most 600, got "0"$/],
    [[...required(url), '--token', TOKEN, '--out', join(directory, 'no', 'report.xml')], {}, /^leancore-mock: --out: the directory .*no does not exist$/],
    [[...required(url), '--client-id', CLIENT.id], {}, /^leancore-mock: --client-secret: is needed with --client-id$/],
    [[...required(url)], { LEANCORE_CLIENT_SECRET: CLIENT.secret }, /^leancore-mock: --client-id: is needed with LEANCORE_CLIENT_SECRET$/],
    [[...required(url)], { LEANCORE_TOKEN: 'not a token' }, /^leancore-mock: LEANCORE_TOKEN: must be a bearer token/],
    [[...required(url), '--token', TOKEN, '--colour'], {}, /^leancore-mock: arguments: Unknown option '--colour'; see leancore-mock conformance --help$/],
    [[...required(url), '--token', TOKEN, 'now'], {}, /^leancore-mock: arguments: Unexpected argument 'now'; see leancore-mock conformance --help$/],
    [[...required(url), '--token', TOKEN, '--write-cases'], {}, /^leancore-mock: --financial-entity: is needed with --write-cases: a financial entity of the ecosystem to assign the throwaway lead to$/],
    [[...required(url), '--token', TOKEN, '--financial-entity', ENTITY], {}, /^leancore-mock: --financial-entity: is only used with --write-cases$/],
    [[...required(url), '--token', TOKEN, '--write-cases', '--financial-entity', 'a b'], {}, /^leancore-mock: --financial-entity: must be the uid of a financial entity, like a UUID, got "a b"$/],
    [['conformance', '--base-url', 'https://api.leancore.co', '--ecosystem', EXAMPLE_ECOSYSTEM, '--token', TOKEN, '--write-cases', '--financial-entity', ENTITY], {},
      /^leancore-mock: --write-cases: refuses to write to https:\/\/api\.leancore\.co, LeanCore's production: it would leave a lead and a user among real ones\. Point --base-url at your LeanCore sandbox host$/]
  ]
  for (const [args, env, message] of cases) {
    const run = runCli(t, args, env)
    t.equal(await run.exited, 2, JSON.stringify({ args, env }))
    t.match(run.stderr().trimEnd(), message)
    t.equal(run.stderr().trimEnd().split('\n').length, 1, 'one line')
    t.equal(run.stdout(), '', 'no report')
  }
})

t.test('an unreachable target exits 2, naming the URL', async (t) => {
  const port = await closedPort()
  const run = runCli(t, [...required(`http://127.0.0.1:${port}`), '--token', TOKEN])
  t.equal(await run.exited, 2)
  t.equal(run.stderr().trimEnd().split('\n').at(-1), `leancore-mock: cannot reach http://127.0.0.1:${port}/lead: connect ECONNREFUSED 127.0.0.1:${port}`)
  t.equal(run.stdout(), '')
})

t.test('nothing differs: exit 0, the table on stdout, progress on stderr; secrets from the environment', async (t) => {
  const mock = await target(t)
  const run = runCli(t, [...required(mock.url), '--phone', EXAMPLE_PHONE],
    { LEANCORE_TOKEN: TOKEN, LEANCORE_CLIENT_ID: CLIENT.id, LEANCORE_CLIENT_SECRET: CLIENT.secret })
  t.equal(await run.exited, 0)
  t.match(run.stdout(), /^leancore-mock conformance: http:\/\/127\.0\.0\.1:\d+ compared with leancore-mock /)
  t.match(run.stdout(), /\n18 cases: 18 same, 0 differ, 0 skipped\n$/)
  t.match(run.stderr(), /^comparing http:\/\/127\.0\.0\.1:\d+ with leancore-mock [\d.]+: 18 cases\n\[1\/18\] ecosystem: same\n/)
  t.match(run.stderr(), /\[18\/18\] token-opens-lead: same\n$/)
  for (const secret of [TOKEN, CLIENT.secret, 'lcm_']) t.notOk(`${run.stdout()}${run.stderr()}`.includes(secret), secret)
})

t.test('something differs: exit 1; --format json --out writes the report to the file', async (t) => {
  const mock = await target(t, 'none')
  const out = join(temporaryDirectory(t), 'report.json')
  const run = runCli(t, [...required(mock.url), '--phone', EXAMPLE_PHONE, '--token', TOKEN, '--format', 'json', '--out', out])
  t.equal(await run.exited, 1)
  t.equal(run.stdout(), '', 'the report went to the file')
  t.match(run.stderr(), new RegExp(`\\[2/18\\] phone: differs\\n[^]*report written to ${out.replaceAll('/', '\\/')}\\n$`))
  const report = JSON.parse(readFileSync(out, 'utf8')) as ConformanceReport
  t.match(report, { exitCode: 1, summary: { differs: 1, skipped: 8 } })
  t.match(report.cases.find(({ id }) => id === 'phone'), { verdict: 'differs', differences: ['status: target 404, leancore-mock 200'] })
})

t.test('--record writes a seed file a new leancore-mock starts from', async (t) => {
  const mock = await target(t)
  const directory = temporaryDirectory(t)
  const file = join(directory, 'recording.json')
  const run = runCli(t, [...required(mock.url), '--token', TOKEN, '--record', file, '--format', 'junit', '--rate', '50', '--timeout', '5'])
  t.equal(await run.exited, 0)
  t.match(run.stdout(), /^<\?xml /)
  t.match(run.stderr(), `recorded 24 leads in ${file}\n`)
  const recorded = JSON.parse(readFileSync(file, 'utf8')) as Lead[]
  t.equal(recorded.length, 24)

  const replay = runCli(t, [], { PORT: '0', DATABASE_PATH: ':memory:', SEED: file, API_TOKENS: TOKEN })
  const { url } = JSON.parse(await replay.waitFor(/leancore-mock ready/)) as { url: string }
  const leads = await (await fetch(`${url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json() as Lead[]
  t.same(leads.map(({ id }) => id), recorded.map(({ id }) => id))
  replay.child.kill('SIGTERM')
  t.equal(await replay.exited, 0)
})

t.test('--out over an existing file: refused (exit 2) without --force, overwritten with it', async (t) => {
  const mock = await target(t)
  const out = join(temporaryDirectory(t), 'report.txt')
  writeFileSync(out, 'an earlier report')
  const refused = runCli(t, [...required(mock.url), '--token', TOKEN, '--out', out])
  t.equal(await refused.exited, 2)
  t.match(refused.stderr(), /^leancore-mock: --out: .*report\.txt exists; give --force to overwrite it\n$/)
  t.equal(readFileSync(out, 'utf8'), 'an earlier report')
  const forced = runCli(t, [...required(mock.url), '--token', TOKEN, '--out', out, '--force'])
  t.equal(await forced.exited, 0)
  t.match(readFileSync(out, 'utf8'), /^leancore-mock conformance: /)
})
