import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer as createHttpServer } from 'node:http'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { connect, createServer as createNetServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { buildApp } from '../src/http/app.js'
import { configFromOptions, DEV_CLIENT, DEV_TOKEN, type StartOptions } from '../src/core/config.js'

/** The newest schema version: the number of the last file in migrations/ */
export const LATEST_SCHEMA = readdirSync(new URL('../migrations', import.meta.url)).filter((file) => /^\d{4}_.*\.sql$/.test(file)).length

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

// The built command (`npm test` builds first), compiled file by file: its source maps point coverage
// back at src/, and it starts in a fraction of a TypeScript loader's time. What users run is the
// same code bundled into one file (dist/bundle), which test/bundle.test.ts runs too.
const CLI = fileURLToPath(new URL('../dist/src/cli.js', import.meta.url))
export const BUNDLED_CLI = fileURLToPath(new URL('../dist/bundle/cli.js', import.meta.url))

/** Runs the real `leancore-mock` command as its own process, killed when the test ends if still running. */
export function runCli (t: Test, args: string[], env: Record<string, string> = {}, cwd?: string, command = CLI): CliRun {
  const child = spawn(process.execPath, [command, ...args], {
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
  // Resolves on the output event itself, not on a polling tick.
  const waitFor = async (pattern: RegExp, timeoutMs = 15_000): Promise<string> => {
    const found = (): string | undefined => stdout.split('\n').find((candidate) => pattern.test(candidate))
    return await new Promise((resolve, reject) => {
      const check = (): void => {
        const line = found()
        if (line === undefined) return
        stop()
        resolve(line)
      }
      const fail = (): void => {
        stop()
        reject(new Error(`no output line matched ${String(pattern)}; stdout: ${stdout}\nstderr: ${stderr}`))
      }
      const timer = setTimeout(fail, timeoutMs)
      const stop = (): void => {
        clearTimeout(timer)
        child.stdout?.off('data', check)
        child.off('exit', onExit)
      }
      // Output may still be arriving when the process exits: look once more after it is read.
      const onExit = (): void => { setImmediate(() => { if (found() === undefined) fail(); else check() }) }
      child.stdout?.on('data', check)
      child.on('exit', onExit)
      check()
    })
  }
  return { child, stdout: () => stdout, stderr: () => stderr, exited, waitFor }
}

/** Starts the CLI server and resolves with its base URL once it is ready. */
export async function serveCli (t: Test, env: Record<string, string> = {}, cwd?: string, command = CLI): Promise<CliRun & { url: string }> {
  const run = runCli(t, [], { PORT: '0', ...env }, cwd, command)
  const ready = JSON.parse(await run.waitFor(/leancore-mock ready/)) as { url: string }
  return { ...run, url: ready.url }
}

/** An admin scenario, added over HTTP; resolves with its id. */
export async function addScenario (url: string, adminToken: string, scenario: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${url}/__admin/scenarios`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(scenario)
  })
  if (response.status !== 201) throw new Error(`scenario refused: ${response.status} ${await response.text()}`)
  return (await response.json() as { id: string }).id
}

/**
 * Resolves once the server has used up scenario `id` (given `times`), that is, once the requests
 * it matches are inside the server. Asks the server, instead of guessing how long that takes.
 */
export async function scenarioUsedUp (url: string, adminToken: string, id: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/__admin/scenarios`, { headers: { authorization: `Bearer ${adminToken}` } })
    const active = await response.json() as Array<{ id: string }>
    if (!active.some((scenario) => scenario.id === id)) return
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  throw new Error(`scenario ${id} was not used up within ${timeoutMs} ms`)
}

export interface RawResponse {
  status: number
  headers: Record<string, string>
  body: string
}

/** Reads one HTTP/1.1 response (Content-Length framed) from a socket. */
export async function readResponse (socket: Socket): Promise<RawResponse> {
  return await new Promise((resolve, reject) => {
    let text = ''
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('latin1')
      const end = text.indexOf('\r\n\r\n')
      if (end === -1) return
      const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n')
      const headers = Object.fromEntries(lines.map((line) => {
        const colon = line.indexOf(':')
        return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]
      }))
      const length = Number(headers['content-length'] ?? 0)
      const body = Buffer.from(text.slice(end + 4), 'latin1')
      if (body.length < length) return
      socket.off('data', onData)
      socket.off('error', reject)
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: body.subarray(0, length).toString('utf8') })
    }
    socket.on('data', onData)
    socket.once('error', reject)
  })
}

export interface HeldRequest {
  socket: Socket
  /** Sends the rest of the request; resolves with the answer. */
  release: () => Promise<RawResponse>
}

/**
 * A request the server is in the middle of, for as long as the test wants: a token request on a
 * kept-alive connection (which first served a GET /health), sent with `Expect: 100-continue` and
 * its body held back. Resolves once the server's `100 Continue` shows it has taken the request.
 */
export async function holdRequest (t: Test, url: string): Promise<HeldRequest> {
  const { hostname, port } = new URL(url)
  const socket = connect(Number(port), hostname)
  t.after(() => socket.destroy())
  await once(socket, 'connect')
  socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n')
  const health = await readResponse(socket)
  if (health.status !== 200) throw new Error(`GET /health answered ${health.status}`)
  const body = 'grant_type=client_credentials'
  const basic = Buffer.from(`${DEV_CLIENT.id}:${DEV_CLIENT.secret}`).toString('base64')
  const interim = readInterim(socket)
  socket.write(`POST /oauth2/token HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic ${basic}\r\n` +
    `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`)
  await interim
  return {
    socket,
    release: async () => {
      const answer = readResponse(socket)
      socket.write(body)
      return await answer
    }
  }
}

/** Resolves when a socket receives an interim `100 Continue`. */
async function readInterim (socket: Socket): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let text = ''
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('latin1')
      if (!text.includes('\r\n\r\n')) return
      socket.off('data', onData)
      if (text.startsWith('HTTP/1.1 100 ')) resolve()
      else reject(new Error(`expected 100 Continue, got ${text.split('\r\n')[0] as string}`))
    }
    socket.on('data', onData)
  })
}

/**
 * Sends `bytes` as they are (no client-side normalisation of the path, as an attacker would) on a
 * new connection, and reads the answer until the server closes it: send `Connection: close`. The
 * connection stays open for writing meanwhile: Node aborts a request whose client hangs up its
 * sending side before the answer is ready.
 */
export async function sendRaw (port: number, bytes: string | Buffer, timeoutMs = 10_000): Promise<RawResponse> {
  const socket = connect(port, '127.0.0.1')
  const chunks: Buffer[] = []
  socket.on('data', (chunk: Buffer) => chunks.push(chunk))
  socket.on('error', () => {})
  await once(socket, 'connect')
  socket.write(bytes)
  const timer = setTimeout(() => socket.destroy(), timeoutMs)
  await once(socket, 'close')
  clearTimeout(timer)
  return parseResponse(Buffer.concat(chunks))
}

/** A whole HTTP/1.1 response, Content-Length or chunked (status 0 when nothing came back). */
function parseResponse (bytes: Buffer): RawResponse {
  const end = bytes.indexOf('\r\n\r\n')
  if (end === -1) return { status: 0, headers: {}, body: '' }
  const [statusLine = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n')
  const headers = Object.fromEntries(lines.map((line) => {
    const colon = line.indexOf(':')
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]
  }))
  let body = bytes.subarray(end + 4)
  if (headers['transfer-encoding'] === 'chunked') {
    const parts: Buffer[] = []
    for (let at = 0; ;) {
      const lineEnd = body.indexOf('\r\n', at)
      const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16)
      if (!(size > 0)) break
      parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size))
      at = lineEnd + 2 + size + 2
    }
    body = Buffer.concat(parts)
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: body.toString('utf8') }
}

export interface ProxiedRequest {
  method: string
  url: string
  headers: Record<string, string>
  body: string
  /** When it arrived, ms since the epoch */
  at: number
}

export interface ProxiedAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

/**
 * An HTTP server in front of `target`, over real sockets, that keeps every request it passes on
 * (as it came), lets `rewrite` change a request before it goes on, and `alter` change an answer
 * (null: cut the connection instead): a deliberately wrong server made from a right one.
 */
export async function startProxy (
  t: Test,
  target: string,
  alter: (answer: ProxiedAnswer, request: ProxiedRequest) => ProxiedAnswer | null | Promise<ProxiedAnswer | null> = (answer) => answer,
  host = '127.0.0.1',
  rewrite: (request: ProxiedRequest) => ProxiedRequest = (request) => request
): Promise<{ url: string, port: number, requests: ProxiedRequest[] }> {
  const requests: ProxiedRequest[] = []
  const server = createHttpServer((incoming, outgoing) => {
    const at = Date.now()
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.on('end', () => {
      const headers = Object.fromEntries(Object.entries(incoming.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
      const received = { method: incoming.method as string, url: incoming.url as string, headers, body: Buffer.concat(chunks).toString('utf8'), at }
      requests.push(received)
      const request = rewrite(received)
      const { host: _host, connection: _connection, 'content-length': _length, ...forwarded } = request.headers
      fetch(`${target}${request.url}`, { method: request.method, headers: forwarded, body: request.method === 'GET' ? undefined : request.body, redirect: 'manual' })
        .then(async (response) => await alter({ status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() }, request))
        .then((altered) => {
          // null: the connection is cut, with no answer at all
          if (altered === null) return outgoing.destroy()
          const { 'content-length': _contentLength, 'transfer-encoding': _encoding, connection: _close, 'keep-alive': _keepAlive, ...sent } = altered.headers
          outgoing.writeHead(altered.status, sent).end(altered.body)
        }, (error: Error) => outgoing.writeHead(502).end(error.message))
    })
  })
  server.listen(0, host)
  await once(server, 'listening')
  t.after(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}`, port, requests }
}

/** A port on 127.0.0.1 that was just listening and is closed now: connecting to it is refused. */
export async function closedPort (): Promise<number> {
  const closed = createNetServer()
  closed.listen(0, '127.0.0.1')
  await once(closed, 'listening')
  const { port } = closed.address() as { port: number }
  closed.close()
  await once(closed, 'close')
  return port
}
