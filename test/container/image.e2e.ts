// The container test: builds the image and checks it the way a platform team would.
// Run it with `npm run test:container`. It needs a Docker engine; BASE_IMAGE picks the base
// (node:20-bookworm-slim unless set). Everything it starts is removed at the end, pass or fail.
import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BASE_IMAGE = process.env.BASE_IMAGE ?? 'node:20-bookworm-slim'
const IMAGE = 'leancore-mock:container-test'
const PREFIX = `lcm-test-${process.pid}`
const AUTH = { authorization: 'Bearer leancore-dev-token' }
const EXAMPLE_ECOSYSTEM = 'fd3705e1-3149-4c41-bfe7-cf0bee79cfad'

const containers = new Set<string>()
const volumes = new Set<string>()
const composeProjects: Array<{ command: string[], env: NodeJS.ProcessEnv }> = []

async function docker (...args: string[]): Promise<string> {
  const { stdout } = await run('docker', args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 })
  return stdout.trim()
}

t.teardown(async () => {
  for (const project of composeProjects) {
    await run(project.command[0] as string, [...project.command.slice(1), 'down', '--volumes', '--timeout', '5'], { cwd: ROOT, env: project.env }).catch(() => {})
  }
  for (const name of containers) await docker('rm', '--force', '--volumes', name).catch(() => {})
  for (const name of volumes) await docker('volume', 'rm', '--force', name).catch(() => {})
})

let counter = 0
async function start (options: { env?: Record<string, string>, volume?: string, port?: number, init?: boolean } = {}): Promise<string> {
  const name = `${PREFIX}-${++counter}`
  const port = options.port ?? 3000
  const args = ['run', '--detach', '--name', name, '--publish', `127.0.0.1::${port}`]
  if (options.init === true) args.push('--init')
  if (options.volume !== undefined) {
    volumes.add(options.volume)
    args.push('--volume', `${options.volume}:/data`)
  }
  for (const [key, value] of Object.entries(options.env ?? {})) args.push('--env', `${key}=${value}`)
  containers.add(name)
  await docker(...args, IMAGE)
  return name
}

async function health (name: string): Promise<string> {
  return await docker('inspect', '--format', '{{if .State.Health}}{{.State.Health.Status}}{{end}}', name)
}

async function waitHealthy (name: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const status = await health(name)
    if (status === 'healthy') return
    if (status === 'unhealthy') break
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(`${name} did not turn healthy (last: ${await health(name)}); logs:\n${await docker('logs', name).catch(() => '')}`)
}

async function baseUrl (name: string, port = 3000): Promise<string> {
  const mapping = await docker('port', name, `${port}/tcp`)
  return `http://${mapping.split('\n')[0] as string}`
}

/** fetch that rides out the reset docker-proxy gives the first connection to a new container. */
async function get (url: string, init: RequestInit = {}): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetch(url, init)
    } catch (error) {
      if (attempt === 20) throw error
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
}

t.before(async () => {
  const started = Date.now()
  await docker('build', '--build-arg', `BASE_IMAGE=${BASE_IMAGE}`, '--tag', IMAGE, '.')
  t.comment(`docker build: ${((Date.now() - started) / 1000).toFixed(0)} s`)
})

t.test('the image runs node as a non-root user, with production files only', async (t) => {
  const config = JSON.parse(await docker('image', 'inspect', '--format', '{{json .Config}}', IMAGE)) as {
    User: string, Cmd: string[], ExposedPorts: Record<string, unknown>, Healthcheck: { Test: string[] }, Env: string[], Volumes: Record<string, unknown>
  }
  t.equal(config.User, 'node')
  t.same(config.Cmd, ['node', '--max-semi-space-size=2', 'dist/bundle/cli.js'], 'CMD runs node directly, which gets the signals')
  t.same(Object.keys(config.ExposedPorts), ['3000/tcp'])
  t.same(Object.keys(config.Volumes), ['/data'])
  t.match(config.Healthcheck.Test.join(' '), /process\.env\.PORT/)
  t.ok(config.Env.includes('HOST=0.0.0.0') && config.Env.includes('PORT=3000') && config.Env.includes('DATABASE_PATH=/data/leancore.db'))

  const uid = await docker('run', '--rm', IMAGE, 'id', '-u')
  t.equal(uid, '1000')
  const listing = await docker('run', '--rm', IMAGE, 'sh', '-c',
    'ls -a /app; ls /app/node_modules; find /app -path /app/node_modules -prune -o \\( -name "*.ts" -o -name "*.test.*" -o -name ".git" \\) -print')
  for (const unwanted of ['test', '.git', 'src', 'tsconfig.json', 'tap', 'typescript', 'fast-check', 'autocannon', '@types', '@apidevtools']) {
    t.notOk(listing.split('\n').includes(unwanted), `no ${unwanted} in the image`)
  }
  t.notMatch(listing, /\.ts$/m, 'no TypeScript sources or declarations of ours')
  t.match(listing, /^better-sqlite3$/m)
  const size = Number(await docker('image', 'inspect', '--format', '{{.Size}}', IMAGE))
  const base = Number(await docker('image', 'inspect', '--format', '{{.Size}}', BASE_IMAGE).catch(() => '0'))
  t.comment(`image size: ${(size / 1e6).toFixed(0)} MB (base image ${(base / 1e6).toFixed(0)} MB, leancore-mock's layers ${((size - base) / 1e6).toFixed(0)} MB)`)
  t.ok(base === 0 || size - base < 60e6, "leancore-mock's own layers stay under 60 MB")
})

t.test('with a volume it turns healthy, serves /health, GET /lead and the OAuth flow, and keeps data across restarts', async (t) => {
  const volume = `${PREFIX}-data`
  const name = await start({ volume, env: { ADMIN_TOKEN: 'container-admin' } })
  await waitHealthy(name)
  const url = await baseUrl(name)
  const healthResponse = await get(`${url}/health`)
  t.equal(healthResponse.status, 200)
  t.same(await healthResponse.json(), { status: 'ok' })

  const leads = await get(`${url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, { headers: AUTH })
  t.equal(leads.status, 200)
  t.equal((await leads.json() as unknown[]).length, 24)

  const token = await get(`${url}/oauth2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('leancore-dev-client:leancore-dev-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials'
  })
  const { access_token: accessToken } = await token.json() as { access_token: string }
  t.equal((await get(`${url}/lead?phone=573136434030`, { headers: { authorization: `Bearer ${accessToken}` } })).status, 200)

  const deleted = await get(`${url}/__admin/leads?ecosystem=${EXAMPLE_ECOSYSTEM}`, { method: 'DELETE', headers: { authorization: 'Bearer container-admin' } })
  t.same(await deleted.json(), { deleted: 24 })

  await docker('restart', name)
  await waitHealthy(name)
  const after = await get(`${await baseUrl(name)}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, { headers: AUTH })
  t.equal(await after.text(), '[]', 'the deletion survived the restart, and the database was not seeded again')
  const other = await get(`${await baseUrl(name)}/lead?ecosystem=7c9e6679-7425-40de-944b-e07fc1f90ae7`, { headers: AUTH })
  t.equal((await other.json() as unknown[]).length, 100, 'the rest of the data is still there')

  await docker('rm', '--force', name)
  const again = await start({ volume })
  await waitHealthy(again)
  const fresh = await get(`${await baseUrl(again)}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, { headers: AUTH })
  t.equal(await fresh.text(), '[]', 'a new container on the same volume finds the same data')
})

t.test('with PORT changed the container still turns healthy and serves on that port', async (t) => {
  const name = await start({ env: { PORT: '8080' }, port: 8080 })
  await waitHealthy(name)
  t.equal((await get(`${await baseUrl(name, 8080)}/health`)).status, 200)
})

t.test('docker stop lets requests in flight finish, then the server exits 0', async (t) => {
  const name = await start({ env: { ADMIN_TOKEN: 'container-admin' } })
  await waitHealthy(name)
  const url = await baseUrl(name)
  // Every request is held for 1.5 s, so that they are in flight when the stop arrives.
  const scenario = await get(`${url}/__admin/scenarios`, {
    method: 'POST',
    headers: { authorization: 'Bearer container-admin', 'content-type': 'application/json' },
    body: JSON.stringify({ match: { path: '/lead' }, delayMs: 1500 })
  })
  t.equal(scenario.status, 201)
  const inFlight = Array.from({ length: 8 }, async () => {
    const response = await get(`${url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, { headers: AUTH })
    return { status: response.status, leads: (await response.json() as unknown[]).length }
  })
  await new Promise((resolve) => setTimeout(resolve, 500))
  const stopped = Date.now()
  await docker('stop', '--time', '10', name)
  const results = await Promise.all(inFlight)
  t.same(results, Array.from({ length: 8 }, () => ({ status: 200, leads: 24 })), 'every request in flight got its full answer')
  t.ok(Date.now() - stopped < 10_000, 'it stopped before Docker would have killed it')
  t.equal(await docker('inspect', '--format', '{{.State.ExitCode}}', name), '0')
  const logs = await docker('logs', name)
  t.match(logs, /"signal":"SIGTERM".*shutting down/)
  t.match(logs, /"msg":"leancore-mock stopped"/)
})

t.test('with --init, docker stop right after docker run stops the container at once, not after the grace period', async (t) => {
  const name = await start({ init: true })
  const stopped = Date.now()
  await docker('stop', '--time', '20', name)
  const took = Date.now() - stopped
  t.ok(took < 5_000, `stopped in ${took} ms`)
  // 0 when Node had its handlers already, 143 (SIGTERM) when the stop came first; never 137 (killed).
  t.match(await docker('inspect', '--format', '{{.State.ExitCode}}', name), /^(0|143)$/)
})

t.test('docker compose brings the service up healthy with its named volume', async (t) => {
  const compose = await run('docker', ['compose', 'version']).then(() => ['docker', 'compose'], async () =>
    await run('docker-compose', ['version']).then(() => ['docker-compose'], () => undefined))
  if (compose === undefined) {
    t.fail('neither `docker compose` nor `docker-compose` is installed')
    return
  }
  const free = createServer().listen(0, '127.0.0.1')
  await once(free, 'listening')
  const { port } = free.address() as { port: number }
  free.close()
  const env = { ...process.env, BASE_IMAGE, HOST_PORT: `127.0.0.1:${port}` }
  composeProjects.push({ command: [...compose, '--project-name', PREFIX], env })
  await run(compose[0] as string, [...compose.slice(1), '--project-name', PREFIX, 'up', '--detach', '--build'], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 })
  const id = (await run(compose[0] as string, [...compose.slice(1), '--project-name', PREFIX, 'ps', '--quiet', 'leancore-mock'], { cwd: ROOT, env })).stdout.trim()
  await waitHealthy(id)
  const response = await get(`http://127.0.0.1:${port}/lead?phone=573136434030`, { headers: AUTH })
  t.equal(response.status, 200)
  const mounts = await docker('inspect', '--format', '{{range .Mounts}}{{.Name}}:{{.Destination}} {{end}}', id)
  t.match(mounts, `${PREFIX}_leancore-data:/data`)
})

/** A free port on 127.0.0.1, closed again */
async function freePort (): Promise<number> {
  const free = createServer().listen(0, '127.0.0.1')
  await once(free, 'listening')
  const { port } = free.address() as { port: number }
  free.close()
  return port
}

// The Docker examples of README.md and docs/deployment.md (`<!-- example: container -->`), run as
// written, with the names this test cleans up after: its own image tag, container, volume and
// compose project, a free port, and the local base image.
t.test('the Docker examples of the README and docs/deployment.md run as written', async (t) => {
  const examples = ['README.md', 'docs/deployment.md'].flatMap((document) =>
    [...readFileSync(`${ROOT}/${document}`, 'utf8').matchAll(/<!-- example: container -->\n```sh\n([\s\S]*?)```/g)].map((match) => ({ document, code: match[1] as string })))
  t.equal(examples.length, 3, 'the three blocks')
  // The compose of this machine: Docker's plugin, or the older docker-compose command (the same flags).
  const compose = await run('docker', ['compose', 'version']).then(() => 'docker compose', () => 'docker-compose')
  const composeRun = async (...args: string[]): Promise<string> => {
    const [command, ...rest] = [...compose.split(' '), '--project-name', project, ...args]
    return (await run(command as string, rest, { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 })).stdout.trim()
  }
  const project = `${PREFIX}-example`
  const env = { ...process.env, BASE_IMAGE }
  composeProjects.push({ command: [...compose.split(' '), '--project-name', project], env })
  for (const [index, { document, code }] of examples.entries()) {
    // A container, volume and port of its own for each block: a stopped container keeps its name.
    const name = `${PREFIX}-example-${index}`
    const port = await freePort()
    containers.add(name)
    volumes.add(`${name}-data`)
    const script = code.split('\n').map((line) => line.replace(/\s+#.*$/, '')
      .replace('docker build -t leancore-mock .', `docker build --build-arg BASE_IMAGE=${BASE_IMAGE} -t ${IMAGE} .`)
      .replace('--name leancore-mock', `--name ${name}`)
      .replace('-p 127.0.0.1:3000:3000', `-p 127.0.0.1:${port}:3000`)
      .replace('-v leancore-data:/data leancore-mock', `-v ${name}-data:/data ${IMAGE}`)
      // docker stop once the server is up: a stop before Node has its handlers ends it with 143, not 0.
      .replace('docker stop leancore-mock', `curl -o /dev/null http://127.0.0.1:${port}/health && docker stop ${name}`)
      .replace('http://127.0.0.1:3000', `http://127.0.0.1:${port}`)
      .replace(/^docker compose /, `${compose} --project-name ${project} `)
      // curl right after docker run: the server needs a moment, and docker-proxy resets the first connection.
      .replace(/^curl /, 'curl --retry 30 --retry-all-errors --retry-delay 1 -fsS ')).join('\n')
    const { stdout } = await run('bash', ['-ec', script], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 })
    t.pass(`${document}: ran`)
    if (document === 'README.md') {
      // compose is up now, with nothing set: published on 127.0.0.1 only.
      await waitHealthy(await composeRun('ps', '--quiet', 'leancore-mock'))
      t.equal(await composeRun('port', 'leancore-mock', '3000'), '127.0.0.1:3000', 'the compose file publishes on 127.0.0.1 unless HOST_PORT says otherwise')
      t.match(await composeRun('logs', 'leancore-mock'), /listening on 0\.0\.0\.0, which other machines may reach, while API_TOKENS holds the development token/, 'and warns of the development credentials')
      await composeRun('down', '--volumes')
    } else if (stdout.includes('"phone":"573136434030"')) {
      t.pass(`${document}: the curl got the lead`)
    }
  }
  for (const index of [0, 1]) t.equal(await docker('inspect', '--format', '{{.State.ExitCode}}', `${PREFIX}-example-${index}`), '0', 'docker stop: the server exited 0')
})
