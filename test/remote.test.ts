// One fixture interface, in process or remote: the same steps, written once with `await`, give the
// same answers through startServer()'s members and through connect() over the admin API, refusals
// included (the server's status and message). A remote sandbox's close() deletes it.
import t from 'tap'
import { connect, DEV_TOKEN, EXAMPLE_ECOSYSTEM, FixtureError, startServer, type MockServer, type RemoteMock } from '../src/index.js'
import { ADMIN_TOKEN, closedPort } from './helper.js'

const lead = { id: 'remote-1', name: 'Ana', lastname: 'Ruiz', business_name: 'Tienda Ana', status: 'new', phone: '573001230001', email: 'ana@example.co', nit: '900111222-3', address: 'Calle 1', ecosystem: EXAMPLE_ECOSYSTEM, business_entity: 'S.A.S.', quota: 1_000_000 }
const entity = { uid: 'fin-remote', name: 'Crédito Andino S.A.S.', nit: '901234567-8', ecosystem: EXAMPLE_ECOSYSTEM, email: 'c@example.co', phone: '6015551234', address: 'Calle 2', loan_products: {} }
const user = { ...lead, id: 'remote-user', phone: '573001230002', nit: '900111222-4', financial_entity: 'fin-remote' }

/** A refusal as both sides must give it: its status and message */
async function refusal (attempt: () => unknown): Promise<{ statusCode: number, message: string } | string> {
  try {
    await attempt()
    return 'no refusal'
  } catch (error) {
    return error instanceof FixtureError ? { statusCode: error.statusCode, message: error.message } : `not a FixtureError: ${String(error)}`
  }
}

/** The steps, once: every answer they saw, in order. `mock` is startServer()'s result or connect()'s. */
async function steps (mock: RemoteMock, url: string): Promise<unknown[]> {
  const seen: unknown[] = []
  seen.push(await mock.leads.add([lead]))
  seen.push(await mock.leads.list({ ecosystem: EXAMPLE_ECOSYSTEM, limit: 2, offset: 23 }))
  seen.push(await mock.leads.list({ search: 'ANA RUIZ', sort: '-quota' }), await mock.leads.ecosystems())
  seen.push(await refusal(async () => await mock.leads.add([{ ...lead, quota: 'mucho' } as never])))
  seen.push(await mock.leads.removeById('remote-1'), await mock.leads.removeById('remote-1'))
  seen.push(await mock.financialEntities.add([entity]), await mock.financialEntities.list({ ecosystem: EXAMPLE_ECOSYSTEM, limit: 1 }))
  seen.push(await mock.users.add([user]), (await mock.users.list({ limit: 100 })).total, await mock.users.removeById('remote-user'))
  seen.push(await mock.users.remove({ ecosystem: EXAMPLE_ECOSYSTEM }), await mock.financialEntities.remove({ ecosystem: EXAMPLE_ECOSYSTEM }))
  const { financial_entity: _entity, ...withoutEntity } = user
  seen.push(await refusal(async () => await mock.users.add([withoutEntity as never])))

  const { id, ...scenario } = await mock.scenarios.add({ match: { path: '/lead', token: DEV_TOKEN }, respond: { status: 503 }, times: 1 })
  seen.push(scenario, (await mock.scenarios.list(DEV_TOKEN)).length, await mock.scenarios.remove(id), await mock.scenarios.remove(id))
  seen.push(await refusal(async () => await mock.scenarios.add({ respond: { status: 99 } })))
  await mock.scenarios.add({ match: { path: '/lead' }, respond: { status: 500 } })
  seen.push(await mock.scenarios.clear())

  await mock.journal.clear()
  await fetch(`${url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, { headers: { authorization: `Bearer ${DEV_TOKEN}` } })
  const [entry] = await mock.journal.entries({ path: '/lead' })
  seen.push([entry?.method, entry?.path, entry?.status])
  await mock.journal.clear()
  seen.push(await mock.journal.entries())

  await mock.leads.remove()
  await mock.reset()
  seen.push((await mock.leads.list({ limit: 1 })).total)

  const box = await mock.sandbox({ seed: 'none', name: 'remote steps' })
  seen.push(await box.leads.add([lead]), (await box.leads.list()).leads.map((each) => each.id), (await mock.leads.list({ limit: 1000 })).leads.some((each) => each.id === 'remote-1'))
  await box.reset()
  seen.push((await box.leads.list()).total)
  seen.push(await refusal(async () => await mock.sandbox({ ttlSeconds: -1 })))
  await box.close()
  await box.close()
  seen.push((await fetch(`${url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, { headers: { authorization: `Bearer ${box.token}` } })).status)
  return seen
}

t.test('the same steps give the same answers in process and over the admin API', async (t) => {
  const local = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => local.close())
  const remote = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => remote.close())
  const inProcess = await steps(local as unknown as RemoteMock, local.url)
  const connected = connect(`${remote.url}/`, { adminToken: ADMIN_TOKEN })
  const overHttp = await steps(connected, remote.url)
  t.same(overHttp, inProcess)
  t.match(inProcess[2], { total: 1, leads: [{ id: 'remote-1' }] }, 'a search, in both')
  t.ok((inProcess[3] as Array<{ ecosystem: string, leads: number }>).some((each) => each.ecosystem === EXAMPLE_ECOSYSTEM && each.leads === 25), 'each ecosystem with its count: the seed\'s 24 and the one added')
  t.match(inProcess[4], { statusCode: 400, message: /^lead 0 \(id "remote-1"\): field quota: expected number$/ }, 'a refusal is the server\'s status and message')
  t.equal(inProcess.at(-1), 401, 'a closed sandbox\'s token opens nothing')
  t.same(remote.app.fixture.sandboxes.list(), [], 'the remote sandbox was deleted')
  await connected.close()
  t.equal((await fetch(`${remote.url}/health`)).status, 200, 'close() of a connection leaves the server running')
})

t.test('a sandbox token opens its sandbox alone; what connect() cannot do, it says', async (t) => {
  const mock: MockServer = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())
  const box = await mock.sandbox({ seed: 'none' })
  const own = connect(mock.url, { token: box.token })
  t.equal(await own.leads.add([lead]), 1)
  t.same(box.leads.list().leads.map((each) => each.id), ['remote-1'], 'written into the sandbox')
  t.notOk(mock.leads.list({ limit: 1000 }).leads.some((each) => each.id === 'remote-1'), 'not into the shared data')
  t.same(await own.leads.ecosystems(), [{ ecosystem: EXAMPLE_ECOSYSTEM, leads: 1 }], 'the sandbox\'s ecosystems only')
  t.same(await refusal(async () => await own.leads.list({ sort: 'age' as never })), { statusCode: 400, message: 'querystring/sort must be one of seq, name, -name, status, -status, quota, -quota' })
  await t.rejects(own.sandbox(), new TypeError('sandbox() needs the admin token: connect(url, { adminToken })'))
  t.throws(() => connect(mock.url, {}), new TypeError('connect(url, { adminToken }) needs the server\'s admin token, or a sandbox\'s token as { token }'))
  t.throws(() => connect(mock.url, { adminToken: 'secret\nvalue' }), new TypeError('connect(): a token is letters, digits and -._~+/ only, optionally ending in ='), 'a bad token is refused, never echoed')
  t.throws(() => connect(mock.url, { adminToken: ADMIN_TOKEN, token: 'a b' }), TypeError)
  for (const url of ['127.0.0.1:3000', 'ftp://127.0.0.1']) t.throws(() => connect(url, { adminToken: ADMIN_TOKEN }), new TypeError(`connect(url): ${JSON.stringify(url)} is not an http or https URL`))
  await t.rejects(connect(mock.url, { adminToken: 'wrong' }).leads.list(), { name: 'FixtureError', statusCode: 401 })
  await t.rejects(connect(mock.url, { adminToken: 'wrong' }).leads.removeById('remote-1'), { name: 'FixtureError', statusCode: 401 }, 'only a 404 is "none had that key"')
  const gone = await connect(mock.url, { adminToken: ADMIN_TOKEN }).sandbox()
  await mock.app.fixture.sandboxes.delete(gone.id)
  await gone.close()
  t.pass('closing a sandbox that is already gone (deleted, expired) is fine')

  const withoutAdmin = await startServer()
  t.after(() => withoutAdmin.close())
  await t.rejects(connect(withoutAdmin.url, { adminToken: ADMIN_TOKEN }).leads.list(), { message: new RegExp(`^${withoutAdmin.url} has no admin API: start it with ADMIN_TOKEN set \\(GET /__admin/leads answered 404 Route GET:/__admin/leads not found\\)$`) })
  const port = await closedPort()
  await t.rejects(connect(`http://127.0.0.1:${port}`, { adminToken: ADMIN_TOKEN }).reset(), { message: new RegExp(`^cannot reach leancore-mock at http://127.0.0.1:${port}: Error: connect ECONNREFUSED`) })
})

t.test('an answer that is not the server\'s JSON is still a FixtureError with its status', async (t) => {
  const { createServer } = await import('node:http')
  const page = `<h1>Bad gateway</h1>${'<p>details</p>'.repeat(50)}`
  const answers: Record<string, [number, string]> = {
    '/__admin/scenarios': [502, page],
    '/__admin/journal': [404, '<h1>Not here</h1>'],
    '/__admin/reset': [400, '{"message":"Route parameters are wrong"}']
  }
  const proxy = createServer((request, response) => {
    const [status, body] = answers[request.url as string] as [number, string]
    response.writeHead(status, { 'content-type': body.startsWith('{') ? 'application/json' : 'text/html' }).end(body)
  })
  proxy.listen(0, '127.0.0.1')
  await new Promise((resolve) => proxy.once('listening', resolve))
  t.after(() => proxy.close())
  const { port } = proxy.address() as { port: number }
  const remote = connect(`http://127.0.0.1:${port}`, { adminToken: ADMIN_TOKEN })
  t.same(await refusal(async () => await remote.scenarios.list()), { statusCode: 502, message: `GET /__admin/scenarios answered 502: ${page.slice(0, 200)}` }, 'the first 200 characters of the page')
  t.same(await refusal(async () => await remote.journal.entries()), { statusCode: 404, message: 'GET /__admin/journal answered 404: <h1>Not here</h1>' }, 'a 404 that is not JSON is not "no admin API"')
  t.same(await refusal(async () => await remote.reset()), { statusCode: 400, message: 'Route parameters are wrong' }, 'only a 404 can be the router\'s')
})

t.test('the small print: trailing slashes, a URL that only contains http, a second close(), one token\'s scenarios, a 404 about a record', async (t) => {
  const mock: MockServer = await startServer({ adminToken: ADMIN_TOKEN })
  t.after(() => mock.close())
  const remote = connect(`${mock.url}///`, { adminToken: ADMIN_TOKEN })
  t.equal((await remote.leads.list({ limit: 1 })).leads.length, 1, 'every trailing slash goes')
  for (const url of ['webhttps://127.0.0.1', 'shttp://127.0.0.1']) {
    t.throws(() => connect(url, { adminToken: ADMIN_TOKEN }), new TypeError(`connect(url): ${JSON.stringify(url)} is not an http or https URL`))
  }
  t.ok(connect(mock.url, { adminToken: ADMIN_TOKEN, token: undefined }), 'an unset token beside the admin token is no bad token')
  t.equal(connect('https://leancore-mock.example/', { adminToken: ADMIN_TOKEN }).url, 'https://leancore-mock.example', 'https is fine, and sends nothing until asked')
  const box = await remote.sandbox()
  const calls: string[] = []
  const original = globalThis.fetch
  globalThis.fetch = async (input, init) => { calls.push(`${init?.method ?? 'GET'} ${String(input)} ${JSON.stringify(init?.headers ?? {})}`); return await original(input, init) }
  t.teardown(() => { globalThis.fetch = original })
  await box.close()
  await box.close()
  await remote.reset()
  globalThis.fetch = original
  t.equal(calls.length, 2, 'a second close() sends nothing')
  t.match(calls[0], `DELETE ${mock.url}/__admin/sandboxes/${box.id}`)
  t.notMatch(calls.join('\n'), 'content-type', 'no body, no Content-Type')
  t.equal(mock.app.fixture.sandboxes.get(box.id), undefined, 'closed')

  await remote.scenarios.add({ match: { token: 'one-token' }, respond: { status: 503 } })
  await remote.scenarios.add({ respond: { status: 500 } })
  t.equal((await remote.scenarios.list('one-token')).length, 1, 'list(token): that token\'s only')
  t.equal(await remote.scenarios.clear('one-token'), 1, 'clear(token): that token\'s only')
  t.equal((await remote.scenarios.list()).length, 1)
  await t.rejects(remote.sandbox({ ttlSeconds: 0 }), { name: 'FixtureError', statusCode: 400, message: /ttlSeconds/ }, 'a body goes as JSON, and its refusal comes back')
  t.equal(await remote.scenarios.remove('no-such-scenario'), false, 'a 404 about a record is "none had that id", not "no admin API"')
})
