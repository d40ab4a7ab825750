import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { PassThrough } from 'node:stream'
import { Type } from '@sinclair/typebox'
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify'
import { FixtureError } from '../../core/errors.js'
import { JournalEntry } from '../../core/journal/journal.js'
import type { BulkTable } from '../../core/bulk/jobs.js'
import { FinancialEntity } from '../../core/financial-entities/schema.js'
import { ORDERS } from '../../core/leads/repository.js'
import { LeadInput } from '../../core/leads/schema.js'
import { StoredUser, UserInput } from '../../core/users/schema.js'
import { CreatedSandbox, Sandbox, SandboxInput } from '../../core/sandboxes/schema.js'
import { Scenario, ScenarioInput } from '../../core/scenarios/schema.js'
import type { Space } from '../../core/space.js'

/** Fixture data can be large (about 40,000 leads); anything bigger is a 413. */
const ADMIN_BODY_LIMIT = 32 * 1024 * 1024
/** Past any table this server could hold; bounded so that SQLite is never handed a number it refuses. */
const MAX_OFFSET = 1_000_000_000

const errorRef = Type.Ref('HttpError')
const Ecosystem = Type.String({ format: 'uuid' })
// A misspelled parameter of the admin API is a 400 naming it, not a filter silently dropped: a test
// that asks for ?stauts=500 must not get every entry. (GET /lead ignores unknown parameters.)
const STRICT = { additionalProperties: false }
const LeadsQuery = Type.Object({
  ecosystem: Type.Optional(Ecosystem),
  limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 }),
  offset: Type.Integer({ minimum: 0, maximum: MAX_OFFSET, default: 0 })
}, STRICT)
const LeadsSearchQuery = Type.Object({
  ...LeadsQuery.properties,
  search: Type.Optional(Type.String({ maxLength: 200, description: 'Only leads with this text in their id, name, NIT, phone or email' })),
  sort: Type.Optional(Type.Union(Object.keys(ORDERS).map((order) => Type.Literal(order)), { description: 'The order: a column (seq, name, status, quota), descending with a minus; stored order by default' }))
}, STRICT)
// Schemas live here, not in the plugin: the same objects in every app, so that each is compiled
// once per process (compilers.ts).
/** The three kinds of records a space holds, each with the same four routes */
const RECORDS = [
  {
    path: 'leads',
    table: 'leads',
    one: 'lead',
    many: 'leads',
    key: 'id',
    facade: 'leads',
    query: LeadsSearchQuery,
    page: Type.Object({ total: Type.Integer(), leads: Type.Array(Type.Ref('Lead')) }),
    input: LeadInput,
    description: '`image`, `score`, `apn_token`, `history`, `payment_data` and `additional_data` may be left out (they become null, [] and {}).'
  },
  {
    path: 'financial-entities',
    table: 'financial-entities',
    one: 'financial entity',
    many: 'financial entities',
    key: 'uid',
    facade: 'financialEntities',
    query: LeadsQuery,
    page: Type.Object({ total: Type.Integer(), financialEntities: Type.Array(Type.Ref('FinancialEntity')) }),
    input: FinancialEntity,
    description: 'Each has its `loan_products`, keyed by product id.'
  },
  {
    path: 'users',
    table: 'users',
    one: 'user',
    many: 'users',
    key: 'id',
    facade: 'users',
    query: LeadsQuery,
    page: Type.Object({ total: Type.Integer(), users: Type.Array(StoredUser) }),
    input: UserInput,
    description: 'A user is a lead and the `financial_entity` (uid) it is a client of; `available_quota` defaults to its quota.'
  }
] as const satisfies ReadonlyArray<{ table: BulkTable, facade: 'leads' | 'financialEntities' | 'users' } & Record<string, unknown>>

/** What the three facades have in common, as the routes use them */
interface FixtureRecords {
  add: (records: unknown[]) => number
  list: (options: { ecosystem?: string | undefined, search?: string | undefined, sort?: string | undefined, limit?: number | undefined, offset?: number | undefined }) => unknown
  removeById: (id: string) => boolean
}
const EcosystemQuery = Type.Object({ ecosystem: Type.Optional(Ecosystem) }, STRICT)
const Written = Type.Object({ written: Type.Integer() })
const Deleted = Type.Object({ deleted: Type.Integer() })
const Id = Type.Object({ id: Type.String() })
const Nothing = Type.Null()
const ResetAnswer = Type.Object({ leads: Type.Integer() })
const JournalQuery = Type.Object({
  path: Type.Optional(Type.String()),
  status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
  token: Type.Optional(Type.String({ description: 'The token itself, or its fingerprint (sha256:…)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 }))
}, STRICT)
const JournalPage = Type.Object({
  capacity: Type.Integer(),
  dropped: Type.Integer({ description: 'Entries pushed out by newer ones since the last clear' }),
  entries: Type.Array(JournalEntry)
})
/** A comment line that keeps a quiet stream's connection (and any proxy on the way) from timing out */
const HEARTBEAT_MS = 15_000
/** What a live stream may hold for a reader that does not keep up; past it the stream is ended, so memory stays bounded */
const MAX_STREAM_BACKLOG = 1024 * 1024
const SandboxParameter = Type.Optional(Type.String({ description: "With the admin token: one sandbox's scenarios instead of the shared data's" }))
const TokenQuery = Type.Object({ token: Type.Optional(Type.String({ description: 'Only the scenarios of this token' })), sandbox: SandboxParameter }, STRICT)
const SandboxQuery = Type.Object({ sandbox: SandboxParameter }, STRICT)
const Scenarios = Type.Array(Scenario)
const Sandboxes = Type.Array(Sandbox)
const errors = { 400: errorRef, 401: errorRef, 404: errorRef }
const ADMIN = { tags: ['admin'], security: [{ adminAuth: [] }] }
// The routes about one space's data open with the admin token (the shared data) or a sandbox's own
// token (that sandbox only); the sandboxes themselves, with the admin token alone.
const ofSpace = { auth: 'space' } as const
const ofServer = { auth: 'admin' } as const
// Bodies the fixture validates itself, so that both of its doors (this API and startServer) give
// the same message for the same mistake; the schema still documents them.
const validatedByTheFixture: FastifySchemaCompiler<unknown> = () => (value) => ({ value })

/**
 * /__admin/: what a test suite uses to load leads, read the journal, inject scenarios and manage
 * sandboxes. Registered only when an admin token is set. Every route is one call to the facade of
 * the space the token opened (the same members startServer() and sandbox() return), or of the
 * fixture's sandboxes.
 */
export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { fixture } = app
  // The auth plugin sets it on every route here before the handler runs.
  const spaceOf = (request: FastifyRequest): Space => request.space as Space

  for (const kind of RECORDS) {
    const { path, table, one, many, key, facade, query, page, input, description } = kind
    const records = (request: FastifyRequest): FixtureRecords => spaceOf(request)[facade] as unknown as FixtureRecords

    app.get(`/${path}`, {
      config: ofSpace,
      schema: { ...ADMIN, summary: `List ${many}, all or one ecosystem's, in their stored order`, querystring: query, response: { 200: page, ...errors } }
    }, async (request) => records(request).list(request.query))

    app.post(`/${path}`, {
      config: { ...ofSpace, rawJson: true },
      bodyLimit: ADMIN_BODY_LIMIT,
      schema: {
        ...ADMIN,
        summary: `Add ${many}, or replace them by ${key}; all or nothing`,
        description: `The body is an array of ${many}. ${description} One invalid ${one} rejects the whole request, ` +
          `with a message naming the ${one} and the field, and nothing is written.`,
        body: Type.Array(input),
        response: { 201: Written, ...errors, 409: errorRef, 413: errorRef }
      },
      validatorCompiler: validatedByTheFixture
    }, async (request, reply) => {
      const body: unknown = request.body
      // Parsed, validated and written off the event loop on a database file; no body fails as the fixture says.
      const written = Buffer.isBuffer(body) ? await spaceOf(request).bulk.load(table, body) : records(request).add(body as never)
      return reply.code(201).send({ written })
    })

    app.delete(`/${path}`, {
      config: ofSpace,
      schema: { ...ADMIN, summary: `Delete every ${one}, or one ecosystem's`, querystring: EcosystemQuery, response: { 200: Deleted, ...errors } }
    }, async (request) => ({ deleted: await spaceOf(request).bulk.remove(table, request.query.ecosystem) }))

    app.delete(`/${path}/:id`, {
      config: ofSpace,
      schema: { ...ADMIN, summary: `Delete one ${one}, by ${key}`, params: Id, response: { 204: Nothing, ...errors } }
    }, async (request, reply) => {
      const space = spaceOf(request)
      if (!await space.bulk.exclusive(() => records(request).removeById(request.params.id))) throw new FixtureError(404, `no ${one} has ${key} ${request.params.id}`)
      return reply.code(204).send(null)
    })
  }

  app.get('/ecosystems', {
    config: ofSpace,
    schema: {
      ...ADMIN,
      summary: 'Each ecosystem that has leads, with how many',
      response: { 200: Type.Array(Type.Object({ ecosystem: Type.String(), leads: Type.Integer() })), ...errors }
    }
  }, async (request) => spaceOf(request).leads.ecosystems())

  app.post('/reset', {
    config: ofSpace,
    schema: {
      ...ADMIN,
      summary: 'Back to a fresh start: the seed\'s leads, an empty journal, no scenarios',
      response: { 200: ResetAnswer, ...errors }
    }
  }, async (request) => {
    return { leads: await spaceOf(request).bulk.reset() }
  })

  app.get('/journal', {
    config: ofSpace,
    schema: {
      ...ADMIN,
      summary: 'The requests GET /lead and POST /oauth2/token received, oldest first',
      querystring: JournalQuery,
      response: { 200: JournalPage, ...errors }
    }
  }, async (request) => {
    const { journal } = spaceOf(request)
    return { capacity: journal.capacity, dropped: journal.dropped, entries: journal.entries(request.query) }
  })

  // Every stream, so that a shutdown ends them instead of waiting for their readers to hang up.
  const streams = new Set<PassThrough>()
  app.addHook('preClose', async () => { for (const stream of streams) stream.end() })
  app.get('/journal/stream', {
    config: ofSpace,
    // A HEAD would open a stream that no one reads and that never ends.
    exposeHeadRoute: false,
    schema: {
      ...ADMIN,
      summary: 'Every request to the LeanCore routes as it happens, as server-sent events',
      description: 'An `event: request` whose `data` is a journal entry (as GET /__admin/journal shows it) and the ' +
        '`sandbox` whose journal kept it (null: the shared data). The admin token sees every request, the shared ' +
        "data's and every sandbox's; a sandbox's token sees its own. A comment line every 15 s keeps the connection " +
        'open. Four streams for the admin token and four per sandbox, 32 in all (429 past them); a reader that falls 1 MiB behind is cut off, and a deleted sandbox\'s streams end.',
      response: { 200: { description: 'The events, until the reader hangs up', content: { 'text/event-stream': { schema: Type.String() } } }, ...errors, 429: errorRef }
    }
  }, async (request, reply) => {
    const stream = new PassThrough()
    const stop = fixture.watchJournal(spaceOf(request), (entry) => {
      if (stream.writableLength > MAX_STREAM_BACKLOG) stream.destroy()
      else stream.write(`event: request\ndata: ${JSON.stringify(entry)}\n\n`)
    }, () => stream.end())
    // However the request ends (the reader hangs up, the socket breaks), the stream goes with it.
    reply.raw.once('close', () => stream.destroy())
    const heartbeat = setInterval(() => stream.write(': still here\n\n'), HEARTBEAT_MS)
    streams.add(stream)
    stream.on('close', () => {
      stop()
      clearInterval(heartbeat)
      streams.delete(stream)
    })
    // The first bytes go out at once: a reader knows the stream is open before any request comes.
    stream.write('retry: 2000\n\n')
    return reply.type('text/event-stream; charset=utf-8').send(stream)
  })

  app.delete('/journal', {
    config: ofSpace,
    schema: { ...ADMIN, summary: 'Empty the journal', response: { 204: Nothing, ...errors } }
  }, async (request, reply) => {
    spaceOf(request).journal.clear()
    return reply.code(204).send(null)
  })

  // The scenarios of the space the token opens or, for the admin token, of the sandbox ?sandbox= names.
  const scenariosOf = (request: FastifyRequest): Space => fixture.spaceFor(spaceOf(request), (request.query as { sandbox?: string }).sandbox)

  app.get('/scenarios', {
    config: ofSpace,
    schema: { ...ADMIN, summary: 'The active scenarios, in the order they apply', querystring: TokenQuery, response: { 200: Scenarios, ...errors } }
  }, async (request) => scenariosOf(request).scenarios.list(request.query.token))

  app.post('/scenarios', {
    config: ofSpace,
    schema: {
      ...ADMIN,
      summary: 'Add a scenario: a status, a body, a delay or a dropped connection for matching requests',
      querystring: SandboxQuery,
      body: ScenarioInput,
      response: { 201: Scenario, ...errors, 409: errorRef, 413: errorRef }
    },
    validatorCompiler: validatedByTheFixture
  }, async (request, reply) => reply.code(201).send(scenariosOf(request).scenarios.add(request.body)))

  app.delete('/scenarios/:id', {
    config: ofSpace,
    schema: { ...ADMIN, summary: 'Remove one scenario', params: Id, querystring: SandboxQuery, response: { 204: Nothing, ...errors } }
  }, async (request, reply) => {
    if (!scenariosOf(request).scenarios.remove(request.params.id)) throw new FixtureError(404, `no scenario has id ${request.params.id}`)
    return reply.code(204).send(null)
  })

  app.delete('/scenarios', {
    config: ofSpace,
    schema: { ...ADMIN, summary: 'Remove every scenario, or one token\'s', querystring: TokenQuery, response: { 200: Deleted, ...errors } }
  }, async (request) => ({ deleted: scenariosOf(request).scenarios.clear(request.query.token) }))

  app.post('/sandboxes', {
    config: { ...ofServer, rawJson: true },
    bodyLimit: ADMIN_BODY_LIMIT,
    schema: {
      ...ADMIN,
      summary: 'Create a sandbox: a private copy of the data, opened by its own token',
      description: 'Every field is optional: the demo seed and one hour by default. The answer is the only time the ' +
        'token and the client secret are shown. The token opens GET /lead and, for this sandbox only, the leads, journal, ' +
        'scenarios and reset routes of /__admin; tokens POST /oauth2/token issues to its client open GET /lead.',
      body: SandboxInput,
      response: { 201: CreatedSandbox, ...errors, 409: errorRef, 413: errorRef }
    },
    validatorCompiler: validatedByTheFixture
  }, async (request, reply) => {
    // Every field is optional, so no body at all (curl -X POST) is a sandbox with the defaults. A
    // body (its seed may be 32 MiB) is read and written off the event loop on a database file.
    const body: unknown = request.body
    const { space, ...created } = Buffer.isBuffer(body) ? await fixture.createSandbox(body) : fixture.sandboxes.create(body ?? {})
    return reply.code(201).send(created)
  })

  app.get('/sandboxes', {
    config: ofServer,
    schema: { ...ADMIN, summary: 'The sandboxes, oldest first, without their tokens', response: { 200: Sandboxes, ...errors } }
  }, async () => fixture.sandboxes.list())

  app.get('/sandboxes/:id', {
    config: ofServer,
    schema: { ...ADMIN, summary: 'One sandbox, without its tokens', params: Id, response: { 200: Sandbox, ...errors } }
  }, async (request) => {
    const sandbox = fixture.sandboxes.get(request.params.id)
    if (sandbox === undefined) throw new FixtureError(404, `no sandbox has id ${request.params.id}`)
    return sandbox
  })

  app.delete('/sandboxes/:id', {
    config: ofServer,
    schema: { ...ADMIN, summary: 'Delete a sandbox, its data and its tokens', params: Id, response: { 204: Nothing, ...errors } }
  }, async (request, reply) => {
    if (!await fixture.sandboxes.delete(request.params.id)) throw new FixtureError(404, `no sandbox has id ${request.params.id}`)
    return reply.code(204).send(null)
  })
}
