import Database from 'better-sqlite3'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE } from '../src/core/leads/schema.js'
import { AUTH, build, captureLogs, temporaryDirectory, type LogCapture } from './helper.js'

/** The app on a database file, and a second connection to that file: an operator's sqlite3 shell. */
async function appAndShell (t: Test, logs?: LogCapture) {
  const path = join(temporaryDirectory(t), 'leancore.db')
  const app = await build(t, { databasePath: path }, logs === undefined ? {} : { logs })
  const shell = new Database(path)
  t.after(() => shell.close())
  const [lead] = app.fixture.leads.list({ ecosystem: EXAMPLE_ECOSYSTEM, limit: 1 }).leads
  return { app, shell, id: lead?.id as string }
}

t.test('a stored lead with broken JSON is a 500 that names it, and the log names the lead id', async (t) => {
  const logs = captureLogs()
  const { app, shell, id } = await appAndShell(t, logs)
  shell.pragma('ignore_check_constraints = ON')
  shell.prepare("UPDATE leads SET history = 'not json' WHERE id = ?").run(id)
  for (const url of [`/lead?ecosystem=${EXAMPLE_ECOSYSTEM}`, `/lead?phone=${EXAMPLE_PHONE}`]) {
    const response = await app.inject({ method: 'GET', url, headers: AUTH })
    t.equal(response.statusCode, 500)
    t.same(response.json(), {
      statusCode: 500,
      error: 'Internal Server Error',
      message: `Stored lead "${id}" has invalid JSON in history; fix or delete that row`
    })
  }
  const errors = logs.lines().filter((line) => line.level === 50)
  t.equal(errors.length, 2)
  t.match(errors[0], { leadId: id, column: 'history' })
})

t.test('the same bad data written straight to SQLite, around the app, is refused by the CHECK constraints', async (t) => {
  const { shell, id } = await appAndShell(t)
  t.throws(() => shell.prepare("UPDATE leads SET history = 'not json' WHERE id = ?").run(id), /CHECK constraint failed/)
})

t.test('an unexpected failure is a 500 without internals, logged with its stack', async (t) => {
  const logs = captureLogs()
  const app = await build(t, {}, { logs })
  app.fixture.close()
  const response = await app.inject({ method: 'GET', url: `/lead?phone=${EXAMPLE_PHONE}`, headers: AUTH })
  t.equal(response.statusCode, 500)
  t.same(response.json(), { statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error; the server log has the details' })
  t.notMatch(response.body, /database/i)
  const [error] = logs.lines().filter((line) => line.level === 50)
  t.match(error, { msg: 'request failed', err: { message: /database connection is not open/ } })
})
