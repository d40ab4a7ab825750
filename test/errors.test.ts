import Database from 'better-sqlite3'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import Fastify, { type FastifySchemaValidationError } from 'fastify'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { FixtureError } from '../src/core/errors.js'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE, PHONE_PATTERN } from '../src/core/leads/schema.js'
import { errorHandler, schemaErrorFormatter } from '../src/http/errors.js'
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
  await app.fixture.close()
  const response = await app.inject({ method: 'GET', url: `/lead?phone=${EXAMPLE_PHONE}`, headers: AUTH })
  t.equal(response.statusCode, 500)
  t.same(response.json(), { statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error; the server log has the details' })
  t.notMatch(response.body, /database/i)
  const [error] = logs.lines().filter((line) => line.level === 50)
  t.match(error, { msg: 'request failed', err: { message: /database connection is not open/ } })
})

t.test('the error handler: a status outside 400 to 599, or none, is a 500 without internals; a 4xx keeps its message', async (t) => {
  // Fastify itself, with this server's handler: routes that throw what plugins and libraries throw.
  const logs = captureLogs()
  const app = Fastify({ logger: { level: 'debug', stream: logs.stream } })
  app.setErrorHandler(errorHandler)
  const thrown = (statusCode: number | undefined): Error => Object.assign(new Error(`secret detail ${String(statusCode)}`), { statusCode })
  for (const status of [undefined, 200, 302, 399, 400, 418, 599, 600, 700]) {
    app.get(`/throws/${String(status)}`, async () => { throw thrown(status) })
  }
  app.get('/fixture', async () => { throw new FixtureError(503, 'the database cannot answer') })
  t.after(() => app.close())
  for (const status of [undefined, 200, 302, 399, 600, 700]) {
    const response = await app.inject(`/throws/${String(status)}`)
    t.equal(response.statusCode, 500, `statusCode ${String(status)}`)
    t.same(response.json(), { statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error; the server log has the details' })
  }
  for (const status of [400, 418]) {
    const response = await app.inject(`/throws/${status}`)
    t.same([response.statusCode, response.json().message], [status, `secret detail ${status}`], 'a client error keeps its message')
  }
  t.match(logs.lines().find((line) => line.msg === 'secret detail 418'), { level: 20, statusCode: 418 }, 'a client error is logged at debug level, with its status')
  const invalid = await app.inject({ method: 'POST', url: '/throws/400', headers: { 'content-type': 'application/json' }, payload: '{' })
  t.equal(invalid.statusCode, 400)
  t.match(logs.lines().find((line) => line.level === 20 && line.statusCode === 400 && line.code !== undefined), { code: 'FST_ERR_CTP_INVALID_JSON_BODY' }, 'and with Fastify\'s error code, when it has one')
  const edge = await app.inject('/throws/599')
  t.same([edge.statusCode, edge.json().message], [599, 'Internal Server Error; the server log has the details'], '599 is a server error')
  const fixture = await app.inject('/fixture')
  t.same([fixture.statusCode, fixture.json().message], [503, 'the database cannot answer'], "the fixture's own 5xx keeps its message")
  t.match(logs.lines().find((line) => line.msg === 'the database cannot answer'), { level: 40, statusCode: 503 }, 'logged as a warning with its status')
})

t.test('validation messages: a UUID and a phone get an example, an unknown parameter is named, a choice lists what it takes, any other rule is Ajv\'s', async (t) => {
  const ajv = new Ajv({ strict: false })
  addFormats.default(ajv)
  const errorOf = (schema: object, value: unknown): FastifySchemaValidationError => {
    const validate = ajv.compile(schema)
    t.notOk(validate(value))
    return (validate.errors as FastifySchemaValidationError[])[0] as FastifySchemaValidationError
  }
  const message = (schema: object, value: unknown): string => schemaErrorFormatter([errorOf(schema, value)], 'querystring').message
  const query = (property: object): object => ({ type: 'object', properties: { x: property }, additionalProperties: false })
  t.equal(message(query({ type: 'string', format: 'uuid' }), { x: 'nope' }), `querystring/x must be a UUID, like ${EXAMPLE_ECOSYSTEM}`)
  t.equal(message(query({ type: 'string', format: 'date-time' }), { x: 'nope' }), 'querystring/x must match format "date-time"')
  t.equal(message(query({ type: 'string', pattern: PHONE_PATTERN }), { x: '12' }), `querystring/x must be 7 to 15 digits, country code first, like ${EXAMPLE_PHONE}`)
  t.equal(message(query({ type: 'string', pattern: '^a+$' }), { x: 'b' }), 'querystring/x must match pattern "^a+$"')
  t.equal(message(query({ type: 'string', format: 'uuid' }), { y: 1 }), 'querystring/y is not a parameter of this route')
  t.equal(message(query({ type: 'integer', maximum: 5 }), { x: 6 }), 'querystring/x must be <= 5')

  const choice = { type: 'object', properties: { x: { anyOf: [{ const: 'seq' }, { const: '-name' }] }, y: { anyOf: [{ const: 'a' }, { const: 'b' }] } } }
  // With allErrors, the other parameter's failures follow the first one's.
  const validate = new Ajv({ strict: false, allErrors: true }).compile(choice)
  t.notOk(validate({ x: 'age', y: 'c' }))
  t.equal(schemaErrorFormatter(validate.errors as FastifySchemaValidationError[], 'querystring').message, 'querystring/x must be one of seq, -name', 'a choice names what it takes, and only for the parameter that failed')
})
