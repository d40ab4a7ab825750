import Database from 'better-sqlite3'
import { join } from 'node:path'
import t from 'tap'
import { build, temporaryDirectory } from './helper.js'

t.test('GET /health answers ok without a token', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'GET', url: '/health' })
  t.equal(response.statusCode, 200)
  t.same(response.json(), { status: 'ok' })
})

t.test('GET /health answers 503 naming the problem when the database cannot answer', async (t) => {
  const closed = await build(t)
  await closed.fixture.close()
  const response = await closed.inject({ method: 'GET', url: '/health' })
  t.equal(response.statusCode, 503)
  t.same(response.json(), { statusCode: 503, error: 'Service Unavailable', message: 'the database cannot answer: The database connection is not open' })

  // An operator drops the table from a shell: the schema version still reads, the leads do not.
  const path = join(temporaryDirectory(t), 'leancore.db')
  const broken = await build(t, { databasePath: path })
  t.equal((await broken.inject({ method: 'GET', url: '/health' })).statusCode, 200)
  const shell = new Database(path)
  shell.exec('DROP TABLE leads')
  shell.close()
  const dropped = await broken.inject({ method: 'GET', url: '/health' })
  t.equal(dropped.statusCode, 503)
  t.match(dropped.json(), { statusCode: 503, message: /^the database cannot answer: .*leads/ })

  const emptied = join(temporaryDirectory(t), 'leancore.db')
  const reset = await build(t, { databasePath: emptied })
  const other = new Database(emptied)
  other.pragma('user_version = 0')
  other.close()
  t.match((await reset.inject({ method: 'GET', url: '/health' })).json(), { statusCode: 503, message: 'the database cannot answer: the schema is at version 0' })
})
