// Uses leancore-mock exactly as a user's integration suite would: imported by package name
// (the built entry in package.json "exports"), on a random port, over real HTTP.
import t from 'tap'
import { DEV_TOKEN, EXAMPLE_ECOSYSTEM, LeadValidationError, startServer, type LeadInput, type ScenarioInput } from 'leancore-mock'
import { existsSync, mkdirSync } from 'node:fs'
import { join, parse } from 'node:path'
import { findPackageRoot, packagePath } from '../src/core/package-path.js'
import { ADMIN, ADMIN_TOKEN, temporaryDirectory } from './helper.js'

const ECOSYSTEM = '0b6c3c8e-2d1f-4a7e-9c55-3e1f7a2b9d10'
const ferreteria: LeadInput = {
  id: 'lead-ferreteria-1',
  name: 'Andrés',
  lastname: 'Gómez Restrepo',
  business_name: 'Ferretería El Tornillo S.A.S.',
  status: 'approved',
  phone: '573001234567',
  email: 'andres@eltornillo.com.co',
  nit: '900123456-8',
  address: 'Carrera 43A # 1-50, El Poblado, Medellín, Antioquia',
  ecosystem: ECOSYSTEM,
  business_entity: 'S.A.S.',
  quota: 25_000_000
}

t.test('a suite starts the mock, loads its data, calls it over HTTP and inspects the journal', async (t) => {
  const mock = await startServer({ port: 0, databasePath: ':memory:', seed: 'none', tokens: ['suite-token'] })
  t.after(() => mock.close())
  t.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/)

  t.equal(mock.leads.add([ferreteria]), 1)
  const response = await fetch(`${mock.url}/lead?ecosystem=${ECOSYSTEM}`, { headers: { authorization: 'Bearer suite-token' } })
  t.equal(response.status, 200)
  t.match(await response.json(), [{ id: 'lead-ferreteria-1', image: null, history: [], payment_data: {} }])

  t.match(mock.journal.entries({ token: 'suite-token' }), [{ method: 'GET', path: '/lead', status: 200, query: { ecosystem: ECOSYSTEM } }])
  t.equal(mock.leads.list({ ecosystem: ECOSYSTEM }).total, 1)
})

t.test('a suite makes the mock fail on purpose, for its token only', async (t) => {
  const mock = await startServer({ tokens: ['suite-a', 'suite-b'] })
  t.after(() => mock.close())
  const scenario = mock.scenarios.add({ match: { token: 'suite-a' }, respond: { status: 429, headers: { 'retry-after': '1' } }, times: 2 })
  t.match(scenario, { id: String, remaining: 2 })
  const call = async (token: string): Promise<Response> =>
    await fetch(`${mock.url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, { headers: { authorization: `Bearer ${token}` } })
  const limited = await call('suite-a')
  t.equal(limited.status, 429)
  t.equal(limited.headers.get('retry-after'), '1')
  t.equal((await call('suite-b')).status, 200, 'another token is not affected')
  t.equal(mock.scenarios.list('suite-a').length, 1, 'one use left')
  t.equal((await call('suite-a')).status, 429)
  t.equal((await call('suite-a')).status, 200, 'used up after two')
  t.same(mock.scenarios.list(), [])
})

t.test('a suite can run the OAuth flow, or take a token directly', async (t) => {
  const mock = await startServer({ oauthClients: [{ id: 'my-app', secret: 'my-secret' }] })
  t.after(() => mock.close())
  const tokenResponse = await fetch(`${mock.url}/oauth2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('my-app:my-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials'
  })
  const { access_token: accessToken } = await tokenResponse.json() as { access_token: string }
  const leads = await fetch(`${mock.url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, { headers: { authorization: `Bearer ${accessToken}` } })
  t.equal(leads.status, 200)
  const direct = mock.issueToken()
  t.equal((await fetch(`${mock.url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, { headers: { authorization: `Bearer ${direct.access_token}` } })).status, 200)
})

t.test('typed methods validate like the admin API and reset goes back to the seed', async (t) => {
  const mock = await startServer()
  t.after(() => mock.close())
  const before = mock.leads.list().total
  t.throws(() => mock.leads.add([{ ...ferreteria, quota: 'a lot' as unknown as number }]), LeadValidationError)
  t.throws(() => mock.scenarios.add({ respond: { status: 99 } }), { statusCode: 400, message: 'scenario: field respond.status: expected integer to be greater or equal to 200' })
  t.throws(() => mock.scenarios.add({}), { statusCode: 400, message: 'a scenario needs respond, drop or delayMs' })
  t.equal(mock.leads.list().total, before)
  mock.leads.add([ferreteria])
  t.equal(mock.leads.removeById('lead-ferreteria-1'), true)
  t.equal(mock.leads.remove({ ecosystem: EXAMPLE_ECOSYSTEM.toUpperCase() }), 24)
  mock.scenarios.add({ respond: { status: 500 } })
  t.equal(mock.scenarios.remove('scn_1'), true)
  mock.scenarios.add({ respond: { status: 500 } })
  t.equal(mock.scenarios.clear(), 1)
  await fetch(`${mock.url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, { headers: { authorization: `Bearer ${DEV_TOKEN}` } })
  t.equal(mock.journal.entries().length, 1)
  mock.journal.clear()
  t.same(mock.journal.entries(), [])
  t.equal(mock.leads.remove(), before - 24)
  mock.reset()
  t.equal(mock.leads.list().total, before)
})

t.test('the same mistake gets the same message through the admin API and through startServer()', async (t) => {
  const mock = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())
  const post = async (path: string, body: unknown): Promise<{ status: number, message: string }> => {
    const response = await fetch(`${mock.url}/__admin/${path}`, { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    return { status: response.status, message: (await response.json() as { message: string }).message }
  }
  const badScenarios: unknown[] = [{ respond: { status: 99 } }, { delayMs: -1 }, { match: { ecosystem: 'nope' }, drop: true }, { respond: { status: 500 }, extra: 1 }, {}, []]
  for (const scenario of badScenarios) {
    const overHttp = await post('scenarios', scenario)
    t.equal(overHttp.status, 400)
    t.throws(() => mock.scenarios.add(scenario as ScenarioInput), { statusCode: 400, message: overHttp.message }, overHttp.message)
  }
  const badLeads: unknown[] = [[{ ...ferreteria, quota: 'a lot' }], [{ ...ferreteria, ecosystem: 'x' }], [ferreteria, ferreteria], {}]
  for (const leads of badLeads) {
    const overHttp = await post('leads', leads)
    t.equal(overHttp.status, 400)
    t.throws(() => mock.leads.add(leads as LeadInput[]), { statusCode: 400, message: overHttp.message }, overHttp.message)
  }
})

t.test('the package root (migrations/, seed/) is found from anywhere inside it; outside any package the search stops at the root', async (t) => {
  const root = packagePath()
  t.equal(findPackageRoot(join(root, 'src', 'core', 'db')), root)
  t.equal(findPackageRoot(root), root)
  const outside = join(temporaryDirectory(t), 'a', 'b')
  mkdirSync(outside, { recursive: true })
  const found = findPackageRoot(outside)
  t.ok(outside.startsWith(found), 'it ends at a directory above')
  t.ok(found === parse(outside).root || existsSync(join(found, 'package.json')), 'the root when no directory above holds a package.json: it does not loop')
})
