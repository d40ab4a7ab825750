import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { buildApp } from '../src/app.js'
import { configFromOptions, DEV_TOKEN, type StartOptions } from '../src/config.js'

export const AUTH = { authorization: `Bearer ${DEV_TOKEN}` }

export interface LogCapture {
  stream: Writable
  /** Every line written so far, parsed */
  lines: () => Array<Record<string, unknown>>
  /** Everything written so far, as one string */
  text: () => string
}

/** A log destination that keeps what it is given, for tests that assert on log lines. */
export function captureLogs (): LogCapture {
  const chunks: string[] = []
  const stream = new Writable({
    write (chunk, _encoding, done) {
      chunks.push(String(chunk))
      done()
    }
  })
  const text = (): string => chunks.join('')
  return {
    stream,
    text,
    lines: () => text().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>)
  }
}

export const ADMIN_TOKEN = 'admin-token-for-tests'
export const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` }

/** The app on a private in-memory database with the demo seed, closed when the test ends. */
export async function build (
  t: Test,
  options: StartOptions = {},
  { logs, now }: { logs?: LogCapture, now?: () => number } = {}
): Promise<FastifyInstance> {
  const config = configFromOptions({ logLevel: logs === undefined ? 'silent' : 'debug', ...options })
  const app = await buildApp(config, { ...(logs === undefined ? {} : { logStream: logs.stream }), ...(now === undefined ? {} : { now }) })
  t.after(() => app.close())
  return app
}

/** A directory of the test's own, removed when the test ends. */
export function temporaryDirectory (t: Test): string {
  const directory = mkdtempSync(join(tmpdir(), 'leancore-test-'))
  t.after(() => rmSync(directory, { recursive: true, force: true }))
  return directory
}

export interface CliRun {
  child: ChildProcess
  /** Everything written so far */
  stdout: () => string
  stderr: () => string
  /** Resolves with the exit code (or the signal's name) */
  exited: Promise<number | string>
  /** Resolves with the first stdout line matching `pattern`, parsed when it is JSON */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<string>
}

// The built command, as users run it (`npm test` builds first). Its source maps point coverage
// back at src/, and it starts in a quarter of a second instead of a TypeScript loader's second.
export const CLI = fileURLToPath(new URL('../dist/src/cli.js', import.meta.url))

/** Runs the real `leancore-mock` command as its own process, killed when the test ends if still running. */
export function runCli (t: Test, args: string[], env: Record<string, string> = {}, cwd?: string): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? String(signal)))
  })
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  const waitFor = async (pattern: RegExp, timeoutMs = 15_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      const line = stdout.split('\n').find((candidate) => pattern.test(candidate))
      if (line !== undefined) return line
      if (child.exitCode !== null) break
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    throw new Error(`no output line matched ${String(pattern)}; stdout: ${stdout}\nstderr: ${stderr}`)
  }
  return { child, stdout: () => stdout, stderr: () => stderr, exited, waitFor }
}

/** Starts the CLI server and resolves with its base URL once it is ready. */
export async function serveCli (t: Test, env: Record<string, string> = {}, cwd?: string): Promise<CliRun & { url: string }> {
  const run = runCli(t, [], { PORT: '0', ...env }, cwd)
  const ready = JSON.parse(await run.waitFor(/leancore-mock ready/)) as { url: string }
  return { ...run, url: ready.url }
}
