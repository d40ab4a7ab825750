import { Type, type Static } from '@sinclair/typebox'
import { PHONE_PATTERN } from '../leads/schema.js'

const SCENARIO_PATHS = [
  '/lead', '/create-lead', '/update-lead', '/assign-lead-to-financial-entity', '/turn-lead-into-client', '/user', '/update-user',
  '/financial-entity', '/financial-entity-users', '/oauth2/token'
] as const
const MAX_DELAY_MS = 30_000

const ScenarioMatch = Type.Object({
  token: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: 'Only requests that carry this bearer token' })),
  ecosystem: Type.Optional(Type.String({ format: 'uuid', description: 'Only GET /lead?ecosystem= for this ecosystem' })),
  phone: Type.Optional(Type.String({ pattern: PHONE_PATTERN, description: 'Only GET /lead?phone= for this phone' })),
  path: Type.Optional(Type.Union(SCENARIO_PATHS.map((path) => Type.Literal(path)), { description: 'Only this route' }))
}, { additionalProperties: false })

const ScenarioResponse = Type.Object({
  status: Type.Integer({ minimum: 200, maximum: 599 }),
  body: Type.Optional(Type.Unknown({ description: 'JSON to send; a string is sent as it is. Default: an error body in Fastify\'s shape.' })),
  headers: Type.Optional(Type.Record(
    Type.String({ pattern: '^[A-Za-z0-9!#$%&\'*+.^_`|~-]+$' }),
    // Visible ASCII and tabs: anything else Node refuses to send.
    Type.String({ maxLength: 4096, pattern: '^[\\t\\x20-\\x7e]*$' }),
    { additionalProperties: false, description: 'e.g. {"retry-after": "30"}' }
  ))
}, { additionalProperties: false })

/** What a test asks for: which requests, and what happens to them. */
export const ScenarioInput = Type.Object({
  match: Type.Optional(ScenarioMatch),
  respond: Type.Optional(ScenarioResponse),
  delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_DELAY_MS, description: 'Wait before answering (or before dropping)' })),
  drop: Type.Optional(Type.Boolean({ description: 'Destroy the connection instead of answering' })),
  times: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Apply to the next N matching requests only' }))
}, {
  // Stryker disable next-line StringLiteral: equivalent, the document inlines this schema; no other schema refers to it by name
  $id: 'ScenarioInput',
  additionalProperties: false
})
export type ScenarioInput = Static<typeof ScenarioInput>

/** A scenario as it is listed: the token shown by its fingerprint only. */
export const Scenario = Type.Object({
  id: Type.String(),
  match: Type.Object({
    token: Type.Optional(Type.String({ description: 'Fingerprint (sha256:…) of the token' })),
    ecosystem: Type.Optional(Type.String()),
    phone: Type.Optional(Type.String()),
    path: Type.Optional(Type.String())
  }),
  respond: Type.Optional(ScenarioResponse),
  delayMs: Type.Integer(),
  drop: Type.Boolean(),
  remaining: Type.Union([Type.Integer(), Type.Null()], { description: 'Matching requests left; null for no limit' }),
  hits: Type.Integer()
}, { $id: 'Scenario', additionalProperties: false })
export type Scenario = Static<typeof Scenario>
