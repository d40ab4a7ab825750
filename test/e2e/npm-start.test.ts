// `npm start` as a newcomer runs it, in a copy of the package: it starts the built CLI without
// building again when the build is newer than the sources, builds once when it is not, and stops
// with its server on SIGTERM and SIGINT (npm's shell hands the signal to the server itself).
import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, statSync, symlinkSync, utimesSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { temporaryDirectory } from '../helper.js'

const ROOT = new URL('../..', import.meta.url).pathname

/** The package as a clone has it once installed: its sources, its build, its dependencies (linked). */
function copyOfThePackage (t: Test): string {
  const directory = join(temporaryDirectory(t), 'leancore-mock')
  mkdirSync(directory)
  for (const entry of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'seed', 'migrations', 'dist']) {
    cpSync(join(ROOT, entry), join(directory, entry), { recursive: true, preserveTimestamps: true })
  }
  symlinkSync(join(ROOT, 'node_modules'), join(directory, 'node_modules'))
  return directory
}

interface Started { output: () => string, url: string, stop: (signal: NodeJS.Signals) => Promise<number | null> }

async function npmStart (t: Test, directory: string): Promise<Started> {
  // On a database file, with an admin token: the bulk worker runs under npm start's node flags.
  const child = spawn('npm', ['start'], { cwd: directory, env: { ...process.env, PORT: '0', DATABASE_PATH: join(directory, 'leancore.db'), ADMIN_TOKEN: 'npm-start-admin', LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] })
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { output += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { output += chunk })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start was not ready in 120 s:\n${output}`)), 120_000)
    child.stdout.on('data', () => {
      const line = output.split('\n').find((candidate) => candidate.includes('leancore-mock ready'))
      if (line === undefined) return
      clearTimeout(timer)
      resolve((JSON.parse(line) as { url: string }).url)
    })
  })
  return {
    output: () => output,
    url,
    stop: async (signal) => {
      child.kill(signal)
      return await exited
    }
  }
}

async function answers (url: string): Promise<boolean> {
  return await fetch(`${url}/health`).then(() => true, () => false)
}

t.test('npm start: no build when the build is newer than the sources; SIGTERM and SIGINT stop npm and the server', async (t) => {
  const directory = copyOfThePackage(t)
  const cli = join(directory, 'dist', 'bundle', 'cli.js')
  const built = statSync(cli).mtimeMs
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const started = await npmStart(t, directory)
    t.ok(await answers(started.url), 'it answers')
    const reset = await fetch(`${started.url}/__admin/reset`, { method: 'POST', headers: { authorization: 'Bearer npm-start-admin' } })
    t.same([reset.status, await reset.json()], [200, { leads: 172 }], 'and its bulk worker works (a reset runs there)')
    t.notMatch(started.output(), /> leancore-mock@[\d.]+ build/, 'without building')
    t.equal(await started.stop(signal), 0, `npm ends with ${signal}, exit 0`)
    t.notOk(await answers(started.url), 'and the server with it: its port no longer answers')
    t.match(started.output(), /leancore-mock stopped/)
  }
  t.equal(statSync(cli).mtimeMs, built, 'the build was left as it was')
})

t.test('npm start builds once when a source is newer than the build', async (t) => {
  const directory = copyOfThePackage(t)
  const cli = join(directory, 'dist', 'bundle', 'cli.js')
  const later = new Date(statSync(cli).mtimeMs + 60_000)
  utimesSync(join(directory, 'src', 'server.ts'), later, later)
  const started = await npmStart(t, directory)
  t.match(started.output(), /> leancore-mock@[\d.]+ build/, 'it built')
  t.ok(statSync(cli).mtimeMs > statSync(join(directory, 'src', 'server.ts')).mtimeMs - 60_000, 'a new build')
  t.ok(await answers(started.url))
  t.equal(await started.stop('SIGTERM'), 0)
})
