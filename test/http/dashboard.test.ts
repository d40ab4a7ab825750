// The dashboard's side of the server: its three static files under a strict policy, only with the
// admin API on, no way to admin data through /__admin/ui paths, and the two admin routes it added
// (ecosystems; search and sort of the leads). What the page does is test/browser's business.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { EXAMPLE_ECOSYSTEM } from '../../src/core/leads/schema.js'
import { startServer } from '../../src/index.js'
import { ADMIN, ADMIN_TOKEN, build, sendRaw } from '../helper.js'

const built = (file: string): string => readFileSync(new URL(`../../dist/ui/${file}`, import.meta.url), 'utf8')

t.test('the page and its two files are served with their types, under a policy that runs no inline script and allows no frame', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  for (const [path, type, file] of [
    ['/__admin/ui', 'text/html; charset=utf-8', 'index.html'],
    ['/__admin/ui/', 'text/html; charset=utf-8', 'index.html'],
    ['/__admin/ui/app.js', 'text/javascript; charset=utf-8', 'app.js'],
    ['/__admin/ui/app.css', 'text/css; charset=utf-8', 'app.css']
  ] as const) {
    const response = await app.inject({ method: 'GET', url: path })
    t.equal(response.statusCode, 200, path)
    t.equal(response.headers['content-type'], type)
    t.equal(response.body, built(file))
    t.equal(response.headers['content-security-policy'], "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
    t.equal(response.headers['x-frame-options'], 'DENY')
    t.equal(response.headers['x-content-type-options'], 'nosniff')
  }
  const documented = Object.keys((await app.inject({ method: 'GET', url: '/openapi.json' })).json().paths)
  t.ok(documented.includes('/__admin/ecosystems'), 'the admin API is documented')
  t.same(documented.filter((path) => path.startsWith('/__admin/ui')), [], 'the page is no API: /openapi.json leaves it out')
  t.match(built('index.html'), '<script type="module" src="/__admin/ui/app.js"></script>', 'its script is a file of this server')
  t.notMatch(built('index.html'), /<script>|style=|\son[a-z]+=/, 'nothing inline that the policy would refuse')
})

t.test('without an admin token there is no admin API and no dashboard', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'GET', url: '/__admin/ui' })
  t.equal(response.statusCode, 404)
  t.equal(response.headers['content-type'], 'application/json; charset=utf-8')
})

t.test('no /__admin/ui path, encoded or not, reaches admin data without a token', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())
  await fetch(`${mock.url}/lead?phone=573000000009`, { headers: { authorization: 'Bearer leancore-dev-token' } })
  const assets = new Set(['index.html', 'app.js', 'app.css'].map(built))
  const paths = [
    '/__admin/ui/../journal', '/__admin/ui/%2e%2e/journal', '/__admin/ui/%2E%2E%2Fjournal', '/__admin/ui/..%2fjournal',
    '/__admin/ui/..%5cjournal', '/__admin/ui/..\\journal', '/__admin/ui//journal', '/__admin/ui/./journal', '/__admin/%75i/../journal',
    '/__admin/ui/app.js/../../journal', '/__admin/ui;/../journal', '/__admin/ui%2f..%2fjournal', '/__admin/ui/journal/stream',
    '/__admin/ui/../journal/stream', '/__admin/ui/../sandboxes', '/__admin/ui/../leads', '/__admin/ui/%2e%2e/%2e%2e/__admin/leads',
    '/__admin/ui/index.html', '/__admin/ui/app.js?../../journal', '/__admin/ui#/../journal', '/__admin/UI/../journal',
    '/__admin/ui/%00/../journal', '/__admin/ui/app.js%00.json', '//__admin/ui/../journal', '/__admin/ui/..;/journal'
  ]
  for (const path of paths) {
    const response = await sendRaw(mock.port, `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`)
    const served = response.status === 200 && assets.has(response.body)
    t.ok(response.status !== 200 || served, `${path}: ${response.status}`)
    t.notMatch(response.body, /573000000009|"entries"|"leads"|sbx_/, `${path}: no admin data`)
  }
})

t.test('GET /__admin/ecosystems counts the leads of each ecosystem of the space the token opens', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN, seed: 'none' })
  const ecosystem = (n: number): string => `00000000-0000-4000-8000-00000000000${n}`
  const lead = (id: number, ecosystemNumber: number, name: string, quota: number, status = 'new'): Record<string, unknown> => ({
    id: `lead-${id}`,
    name,
    lastname: 'Gómez',
    business_name: '',
    status,
    phone: `57300000000${id}`,
    email: `p${id}@example.co`,
    nit: `90000000${id}`,
    address: 'Calle 1',
    ecosystem: ecosystem(ecosystemNumber),
    business_entity: 'natural',
    quota
  })
  t.same((await app.inject({ method: 'GET', url: '/__admin/ecosystems', headers: ADMIN })).json(), [])
  const loaded = await app.inject({
    method: 'POST',
    url: '/__admin/leads',
    headers: ADMIN,
    payload: [lead(1, 2, 'Carla', 300), lead(2, 1, 'ana', 100, 'approved'), lead(3, 2, 'Beto_%', 200), lead(4, 2, 'Dora', 50)]
  })
  t.equal(loaded.statusCode, 201)
  t.same((await app.inject({ method: 'GET', url: '/__admin/ecosystems', headers: ADMIN })).json(), [{ ecosystem: ecosystem(1), leads: 1 }, { ecosystem: ecosystem(2), leads: 3 }])

  const names = async (query: string): Promise<{ total: number, names: string[] }> => {
    const response = await app.inject({ method: 'GET', url: `/__admin/leads?${query}`, headers: ADMIN })
    t.equal(response.statusCode, 200, query)
    const page = response.json() as { total: number, leads: Array<{ name: string }> }
    return { total: page.total, names: page.leads.map((found) => found.name) }
  }
  t.same(await names('search=r'), { total: 2, names: ['Carla', 'Dora'] }, 'the text anywhere in the name, in stored order')
  t.same(await names('search=example'), { total: 4, names: ['Carla', 'ana', 'Beto_%', 'Dora'] }, 'or in the email')
  t.same(await names('search=GÓMEZ'), { total: 0, names: [] }, 'SQLite\'s LIKE folds ASCII only')
  t.same(await names('search=ana g'), { total: 1, names: ['ana'] }, 'name and last name together')
  t.same(await names('search=5730000000'), { total: 4, names: ['Carla', 'ana', 'Beto_%', 'Dora'] }, 'by phone')
  t.same(await names('search=p3@'), { total: 1, names: ['Beto_%'] }, 'by email')
  t.same(await names('search=lead-4'), { total: 1, names: ['Dora'] }, 'by id')
  t.same(await names('search=900000003'), { total: 1, names: ['Beto_%'] }, 'by NIT')
  t.same(await names('search=_%25'), { total: 1, names: ['Beto_%'] }, '% and _ are taken as they are')
  t.same(await names('search=o_'), { total: 1, names: ['Beto_%'] })
  t.same(await names(`search=r&ecosystem=${ecosystem(2)}&limit=1&offset=1`), { total: 2, names: ['Dora'] }, 'within an ecosystem, a page at a time')
  t.same(await names('sort=quota'), { total: 4, names: ['Dora', 'ana', 'Beto_%', 'Carla'] })
  t.same(await names('sort=-quota'), { total: 4, names: ['Carla', 'Beto_%', 'ana', 'Dora'] })
  t.same(await names('sort=name'), { total: 4, names: ['Beto_%', 'Carla', 'Dora', 'ana'] }, 'by code point')
  t.same(await names('sort=-name'), { total: 4, names: ['ana', 'Dora', 'Carla', 'Beto_%'] })
  t.same(await names('sort=status'), { total: 4, names: ['ana', 'Carla', 'Beto_%', 'Dora'] }, 'ties in stored order')
  t.same(await names('sort=-status'), { total: 4, names: ['Carla', 'Beto_%', 'Dora', 'ana'] })
  t.same(await names('sort=seq&search='), { total: 4, names: ['Carla', 'ana', 'Beto_%', 'Dora'] }, 'an empty search is none')
  t.same(await names(`sort=-quota&ecosystem=${ecosystem(2)}&search=r`), { total: 2, names: ['Carla', 'Dora'] })

  const refused = await app.inject({ method: 'GET', url: '/__admin/leads?sort=phone', headers: ADMIN })
  t.equal(refused.statusCode, 400)
  t.match(refused.json().message, /sort/)
  const long = await app.inject({ method: 'GET', url: `/__admin/leads?search=${'x'.repeat(201)}`, headers: ADMIN })
  t.equal(long.statusCode, 400)
  t.match(long.json().message, /search must NOT have more than 200 characters/)
  const nul = await app.inject({ method: 'GET', url: '/__admin/leads?search=a%00zzz', headers: ADMIN })
  t.equal(nul.statusCode, 400, 'a NUL would end the pattern early and match more than asked')
  t.equal(nul.json().message, 'search must be text of at most 200 characters, without control characters')
  const sorted = await app.inject({ method: 'GET', url: '/__admin/users?sort=name', headers: ADMIN })
  t.equal(sorted.statusCode, 400, 'users and fintechs take no sort or search')
})

t.test('the fixture\'s own door checks search and sort as the admin API does', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())
  t.throws(() => mock.leads.list({ search: 'x'.repeat(201) }), { statusCode: 400, message: 'search must be text of at most 200 characters, without control characters' })
  t.throws(() => mock.leads.list({ search: 7 as unknown as string }), { statusCode: 400, message: 'search must be text of at most 200 characters, without control characters' })
  t.throws(() => mock.leads.list({ sort: 'phone' as never }), { statusCode: 400, message: 'sort must be one of seq, name, -name, status, -status, quota, -quota, got "phone"' })
  t.throws(() => mock.leads.list({ sort: 'toString' as never }), { statusCode: 400, message: /^sort must be one of/ }, 'only its own keys')
  t.equal(mock.leads.list({ ecosystem: EXAMPLE_ECOSYSTEM.toUpperCase(), search: '' }).total, mock.leads.list({ ecosystem: EXAMPLE_ECOSYSTEM }).total)
  t.same(mock.leads.ecosystems().find((count) => count.ecosystem === EXAMPLE_ECOSYSTEM)?.leads, mock.leads.list({ ecosystem: EXAMPLE_ECOSYSTEM }).total)
})

t.test('the admin token steers one sandbox\'s scenarios with ?sandbox=; a sandbox\'s token only its own', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())
  const sandbox = await mock.sandbox()
  const admin = async (path: string, init: RequestInit = {}): Promise<Response> =>
    await fetch(`${mock.url}/__admin${path}`, { ...init, headers: { ...ADMIN, 'content-type': 'application/json', ...init.headers as Record<string, string> } })
  const added = await admin(`/scenarios?sandbox=${sandbox.id}`, { method: 'POST', body: JSON.stringify({ match: { path: '/lead' }, respond: { status: 503 }, times: 2 }) })
  t.equal(added.status, 201)
  const { id } = await added.json() as { id: string }
  const lead = async (token: string): Promise<number> => (await fetch(`${mock.url}/lead?phone=573136434030`, { headers: { authorization: `Bearer ${token}` } })).status
  t.equal(await lead(sandbox.token), 503, 'the sandbox\'s requests get it')
  t.equal(await lead('leancore-dev-token'), 200, 'the shared data\'s do not')
  t.same((await (await admin('/scenarios')).json() as unknown[]), [], 'the shared data has none')
  t.match(await (await admin(`/scenarios?sandbox=${sandbox.id}`)).json(), [{ id, remaining: 1 }])
  t.same(mock.scenarios.list(), [])
  t.match(sandbox.scenarios.list(), [{ id, remaining: 1 }])
  t.equal((await admin(`/scenarios/${id}?sandbox=${sandbox.id}`, { method: 'DELETE' })).status, 204)
  t.equal(await lead(sandbox.token), 200)
  sandbox.scenarios.add({ respond: { status: 500 } })
  t.same(await (await admin(`/scenarios?sandbox=${sandbox.id}`, { method: 'DELETE' })).json(), { deleted: 1 })

  const unknown = await admin('/scenarios?sandbox=sbx_0000000000000000')
  t.equal(unknown.status, 404)
  t.equal((await unknown.json() as { message: string }).message, 'no sandbox has id sbx_0000000000000000')
  const other = await mock.sandbox()
  const own = await fetch(`${mock.url}/__admin/scenarios?sandbox=${other.id}`, { headers: { authorization: `Bearer ${sandbox.token}` } })
  t.equal(own.status, 400, 'a sandbox\'s token cannot reach another sandbox')
  t.equal((await own.json() as { message: string }).message, "sandbox= is for the admin token; a sandbox's token acts on its own sandbox")
  await other.close()
  t.equal((await admin(`/scenarios?sandbox=${other.id}`)).status, 404, 'a deleted sandbox is no sandbox')
})
