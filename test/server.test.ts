import t from 'tap'
import { ConfigError } from '../src/core/errors.js'
import { startServer } from '../src/index.js'
import { EXAMPLE_ECOSYSTEM } from '../src/core/leads/schema.js'
import { AUTH } from './helper.js'

t.test('startServer listens on a free port of 127.0.0.1 with the demo data, and closes twice harmlessly', async (t) => {
  const mock = await startServer()
  t.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.equal(mock.url, `http://127.0.0.1:${mock.port}`)
  const response = await fetch(`${mock.url}/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, { headers: AUTH })
  t.equal(response.status, 200)
  t.ok((await response.json() as unknown[]).length > 0)
  await mock.close()
  await mock.close()
  await t.rejects(fetch(`${mock.url}/health`), 'the port is released')
})

t.test('an IPv6 host gets a bracketed URL', async (t) => {
  const mock = await startServer({ host: '::1' })
  t.after(() => mock.close())
  t.match(mock.url, /^http:\/\/\[::1\]:\d+$/)
  t.equal((await fetch(`${mock.url}/health`)).status, 200)
})

t.test('a port in use is a ConfigError naming PORT, and nothing is left open', async (t) => {
  const first = await startServer()
  t.after(() => first.close())
  await t.rejects(startServer({ port: first.port }), new ConfigError('PORT', `${first.port} is already in use on 127.0.0.1; stop what uses it or choose another port`))
})

t.test('reset() takes the leads back to the seed', async (t) => {
  const mock = await startServer()
  t.after(() => mock.close())
  const before = mock.leads.list().total
  mock.leads.remove()
  mock.reset()
  t.equal(mock.leads.list().total, before)
})
