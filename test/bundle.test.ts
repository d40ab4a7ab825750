// What users run is the bundle (dist/bundle: `npm start`, the package's bin and import, the image):
// the same code as the rest of the suite tests file by file, put into one file. Here it serves,
// documents itself, refuses a bad setting and stops as the file-by-file build does.
import t from 'tap'
import { DEMO_ECOSYSTEMS } from '../seed/demo.js'
import { EXAMPLE_ECOSYSTEM } from '../src/core/leads/schema.js'
import { ADMIN_TOKEN, AUTH, BUNDLED_CLI, runCli, serveCli } from './helper.js'

t.test('the bundled command serves GET /lead, its documentation and the admin API, then stops on SIGTERM', async (t) => {
  const server = await serveCli(t, { DATABASE_PATH: ':memory:', ADMIN_TOKEN }, undefined, BUNDLED_CLI)
  const leads = await fetch(`${server.url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, { headers: AUTH })
  t.equal(leads.status, 200)
  t.equal((await leads.json() as unknown[]).length, DEMO_ECOSYSTEMS[0]?.size)
  t.equal((await fetch(`${server.url}/lead?ecosystem=nope`, { headers: AUTH })).status, 400, 'validation works')
  const docs = await fetch(`${server.url}/docs/static/swagger-ui.css`)
  t.equal(docs.status, 200, 'Swagger UI, loaded on first use from its package')
  const openapi = await (await fetch(`${server.url}/openapi.json`)).json() as { paths: Record<string, unknown> }
  t.ok(openapi.paths['/__admin/sandboxes'], 'the OpenAPI document')
  const sandbox = await fetch(`${server.url}/__admin/sandboxes`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{}' })
  t.equal(sandbox.status, 201)
  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0)
  t.match(server.stdout(), /"msg":"leancore-mock stopped"/)
})

t.test('the bundled command answers --version, and a bad setting with one line', async (t) => {
  const version = runCli(t, ['--version'], {}, undefined, BUNDLED_CLI)
  t.equal(await version.exited, 0)
  t.match(version.stdout(), /^\d+\.\d+\.\d+\n$/)
  const bad = runCli(t, [], { PORT: 'eighty' }, undefined, BUNDLED_CLI)
  t.equal(await bad.exited, 1)
  t.equal(bad.stderr(), 'leancore-mock: PORT: must be a whole number from 0 to 65535, got "eighty"\n')
})
