// Every shell, TypeScript and JavaScript example in README.md and docs/ runs here, against a real
// leancore-mock, as a reader would run it: an example that stops working fails this test. A comment
// before a block says how it runs (`<!-- example: tap -->`); a shell block without one runs against a
// server at http://127.0.0.1:3000 (rewritten to the test's own port). CONTRIBUTING.md lists the kinds.
import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { DEV_CLIENT, EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE, startServer, type MockServer } from '../../src/index.js'

const ROOT = new URL('../..', import.meta.url).pathname
const CLI = join(ROOT, 'dist', 'bundle', 'cli.js')
/** A test runner's command, as this package installed it */
const BIN = (name: string): string => join(ROOT, 'node_modules', '.bin', name)
const DOCUMENTS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`), 'CONTRIBUTING.md']
/** The admin token the examples use */
const ADMIN_TOKEN = 'admin-secret'
// Under .tap/ (ignored by git): the test runners and their helpers resolve from this package's
// node_modules, up the tree.
const WORK = join(ROOT, '.tap', 'examples')

interface Example { document: string, line: number, language: string, kind: string, argument: string | undefined, code: string }

function examplesOf (document: string): Example[] {
  const lines = readFileSync(join(ROOT, document), 'utf8').split('\n')
  const found: Example[] = []
  for (let index = 0; index < lines.length; index++) {
    const fence = /^```(\w+)$/.exec(lines[index] as string)
    if (fence === null) continue
    const end = lines.indexOf('```', index + 1)
    const directive = /^<!-- example: (\S+)(?: (\S+))? -->$/.exec(lines[index - 1] ?? '')
    const language = fence[1] as string
    if (['sh', 'ts', 'js'].includes(language)) {
      found.push({ document, line: index + 1, language, kind: directive?.[1] ?? language, argument: directive?.[2], code: lines.slice(index + 1, end).join('\n') })
    }
    index = end
  }
  return found
}

interface Ran { code: number | null, output: string }

async function run (command: string, args: string[], options: { cwd: string, env?: Record<string, string>, input?: string }): Promise<Ran> {
  // Without the parent run's tap and coverage variables: a nested runner must report as a user's would.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(TAP|NODE_V8_COVERAGE|_TAPJS)/.test(name)))
  const child = spawn(command, args, { cwd: options.cwd, env: { ...env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stdin.end(options.input ?? '')
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  return { code, output }
}

/** A leancore-mock as the examples expect one: the demo data, the development credentials, an admin token. */
async function server (t: Test): Promise<MockServer> {
  const mock = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())
  return mock
}

/** The commands of a shell block (a line ending in a backslash continues on the next), comments kept */
function commandsOf (code: string): string[] {
  return code.replace(/\\\n/g, ' ').split('\n').filter((line) => /(^|\$\(|\s)curl\s/.test(line) && !line.trimStart().startsWith('#'))
}

/**
 * A shell block against a fresh server: every curl must reach it, and answer 2xx unless its
 * command says otherwise in a comment (`# 404: it is a lead no more`).
 */
async function shell (t: Test, example: Example, cwd: string, env: Record<string, string> = {}): Promise<void> {
  const mock = await server(t)
  const script = 'set -euo pipefail\n' +
    'curl () { command curl -sS -w \'%{stderr}\\ncurl-status %{http_code}\\n\' "$@"; }\n' +
    example.code.replaceAll('http://127.0.0.1:3000', mock.url).replaceAll('npx leancore-mock', `node ${CLI}`)
  const { code, output } = await run('bash', ['-c', script], { cwd, env })
  if (code !== 0) t.comment(output.slice(-3000))
  t.equal(code, 0, `${example.document}:${example.line} exits 0`)
  const statuses = [...output.matchAll(/^curl-status (\d+)$/gm)].map((match) => Number(match[1]))
  const commands = commandsOf(example.code)
  t.equal(statuses.length, commands.length, 'every curl ran')
  statuses.forEach((status, index) => {
    const expected = status < 300 || (commands[index] ?? '').includes(`# ${status}`)
    t.ok(expected, `${example.document}:${example.line}: ${commands[index] ?? ''} answered ${status}`)
  })
}

/** A tap test file: the block as written, in its own file, run by tap */
async function tapFile (t: Test, example: Example, cwd: string, env: Record<string, string> = {}): Promise<void> {
  const file = `example-${example.line}.test.${example.language === 'ts' ? 'ts' : 'mjs'}`
  writeFileSync(join(cwd, file), example.code)
  const { code, output } = await run(BIN('tap'), ['--disable-coverage', '--reporter=tap', file], { cwd, env })
  if (code !== 0) t.comment(output.slice(-3000))
  t.equal(code, 0, `${example.document}:${example.line} passes under tap`)
  t.match(output, /^# \{ total: \d+, pass: [1-9]/m, 'and its assertions ran')
}

/**
 * A project of the reader's: a package.json of its own, and leancore-mock installed as a link to
 * this package (which the runners then resolve as a reader's project would).
 */
function project (directory: string): string {
  rmSync(directory, { recursive: true, force: true })
  mkdirSync(join(directory, 'node_modules'), { recursive: true })
  writeFileSync(join(directory, 'package.json'), JSON.stringify({ name: 'a-project-of-yours', private: true, type: 'module' }))
  symlinkSync(ROOT, join(directory, 'node_modules', 'leancore-mock'))
  return directory
}

for (const document of DOCUMENTS) {
  const examples = examplesOf(document)
  if (examples.length === 0) continue
  t.test(`${document}: every example runs`, async (t) => {
    const cwd = project(join(WORK, document.replace(/[/.]/g, '-')))
    const projects = new Map<'vitest' | 'jest', Example[]>()
    for (const example of examples) {
      const where = `${document}:${example.line} (${example.kind})`
      if (example.kind === 'sh') {
        await t.test(where, async (t) => { await shell(t, example, cwd) })
      } else if (example.kind === 'tap') {
        await t.test(where, async (t) => {
          const env: Record<string, string> = {}
          if (example.argument === 'remote') {
            const mock = await server(t)
            Object.assign(env, { LEANCORE_URL: mock.url, LEANCORE_ADMIN_TOKEN: ADMIN_TOKEN })
          }
          await tapFile(t, example, cwd, env)
        })
      } else if (example.kind === 'conformance') {
        // LeanCore stands in as another leancore-mock, with an account of its own.
        await t.test(where, async (t) => {
          const target = await startServer({ tokens: ['their-token'], oauthClients: [{ id: 'their-client', secret: 'their-secret' }] })
          t.after(() => target.close())
          await shell(t, example, cwd, {
            LEANCORE_API_URL: target.url,
            LEANCORE_TOKEN_URL: `${target.url}/oauth2/token`,
            LEANCORE_ECOSYSTEM: EXAMPLE_ECOSYSTEM,
            LEANCORE_PHONE: EXAMPLE_PHONE,
            LEANCORE_CLIENT_ID: 'their-client',
            LEANCORE_CLIENT_SECRET: 'their-secret'
          })
        })
      } else if (example.kind === 'vitest' || example.kind === 'jest') {
        projects.set(example.kind, [...projects.get(example.kind) ?? [], example])
      } else if (example.kind === 'quick-start') {
        // .ci/run runs `npm ci` and `npm test` on a clean clone; test/e2e/npm-start.test.ts runs `npm start`.
        t.same(example.code.split('\n').map((line) => line.split('#')[0]?.trim()), ['npm ci && npm start', 'npm ci && npm test'], `${where}: the commands CI and npm-start.test.ts run`)
      } else if (example.kind === 'container') {
        // Run by test/container/image.e2e.ts, which needs a Docker engine.
        t.match(readFileSync(join(ROOT, 'test', 'container', 'image.e2e.ts'), 'utf8'), /example: container/, `${where}: the container test runs it`)
      } else {
        t.fail(`${where}: no way to run an example of kind ${example.kind}`)
      }
    }
    for (const [runner, files] of projects) {
      await t.test(`${document}: the ${runner} example${files.length > 1 ? 's' : ''}`, async (t) => {
        const directory = project(join(cwd, runner))
        for (const example of files) writeFileSync(join(directory, example.argument as string), example.code)
        const { code, output } = runner === 'vitest'
          ? await run(BIN('vitest'), ['run'], { cwd: directory })
          : await run(BIN('jest'), [], { cwd: directory, env: { NODE_OPTIONS: '--experimental-vm-modules' } })
        if (code !== 0) t.comment(output.slice(-3000))
        t.equal(code, 0, `${runner} passes`)
        t.match(output, runner === 'vitest' ? /Tests\s+\S*\d+ passed/ : /Tests:\s+\d+ passed/, 'and ran tests')
      })
    }
  })
}

t.test('the development client the examples use is the server\'s', async (t) => {
  t.same(DEV_CLIENT, { id: 'leancore-dev-client', secret: 'leancore-dev-secret' })
})
