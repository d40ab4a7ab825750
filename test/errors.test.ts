import t from 'tap'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE } from '../src/leads/schema.js'
import { AUTH, build, captureLogs } from './helper.js'

t.test('a stored lead with broken JSON is a 500 that names it, and the log names the lead id', async (t) => {
  const logs = captureLogs()
  const app = await build(t, {}, { logs })
  const [lead] = app.fixture.leads.byEcosystem(EXAMPLE_ECOSYSTEM)
  app.fixture.database.pragma('ignore_check_constraints = ON')
  app.fixture.database.prepare("UPDATE leads SET history = 'not json' WHERE id = ?").run(lead?.id)
  for (const url of [`/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, `/lead?phone=${EXAMPLE_PHONE}`]) {
    const response = await app.inject({ method: 'GET', url, headers: AUTH })
    t.equal(response.statusCode, 500)
    t.same(response.json(), {
      statusCode: 500,
      error: 'Internal Server Error',
      message: `Stored lead "${lead?.id as string}" has invalid JSON in history; fix or delete that row`
    })
  }
  const errors = logs.lines().filter((line) => line.level === 50)
  t.equal(errors.length, 2)
  t.match(errors[0], { leadId: lead?.id, column: 'history' })
})

t.test('the same bad data sent through the app is refused by the CHECK constraints', async (t) => {
  const app = await build(t)
  const [lead] = app.fixture.leads.byEcosystem(EXAMPLE_ECOSYSTEM)
  t.throws(() => app.fixture.database.prepare("UPDATE leads SET history = 'not json' WHERE id = ?").run(lead?.id), /CHECK constraint failed/)
})

t.test('an unexpected failure is a 500 without internals, logged with its stack', async (t) => {
  const logs = captureLogs()
  const app = await build(t, {}, { logs })
  app.fixture.database.close()
  const response = await app.inject({ method: 'GET', url: `/lead?phone=${EXAMPLE_PHONE}`, headers: AUTH })
  t.equal(response.statusCode, 500)
  t.same(response.json(), { statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error; the server log has the details' })
  t.notMatch(response.body, /database/i)
  const [error] = logs.lines().filter((line) => line.level === 50)
  t.match(error, { msg: 'request failed', err: { message: /database connection is not open/ } })
})
