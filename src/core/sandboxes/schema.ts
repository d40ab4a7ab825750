import { Type, type Static } from '@sinclair/typebox'
import { FinancialEntity } from '../financial-entities/schema.js'
import { LeadInput } from '../leads/schema.js'
import { UserInput } from '../users/schema.js'

/** The longest a sandbox may live: a month */
const MAX_TTL_SECONDS = 30 * 24 * 3600

/** What a test asks for when it creates a sandbox; every field may be left out. */
export const SandboxInput = Type.Object({
  seed: Type.Optional(Type.Union([Type.Literal('demo'), Type.Literal('none'), Type.Array(LeadInput), Type.Object({
    leads: Type.Optional(Type.Array(LeadInput)),
    financialEntities: Type.Optional(Type.Array(FinancialEntity)),
    users: Type.Optional(Type.Array(UserInput))
  }, { additionalProperties: false })], {
    description: 'What the sandbox starts with, and what its reset goes back to: the demo data (the default), none, these leads, ' +
      'or these leads, financial entities and users'
  })),
  ttlSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TTL_SECONDS, description: 'Seconds it lives; 3600 by default' })),
  name: Type.Optional(Type.String({ maxLength: 200, description: 'A label for people: the suite, the CI job' }))
}, {
  // Stryker disable next-line StringLiteral: equivalent, the document inlines this schema; no other schema refers to it by name
  $id: 'SandboxInput',
  additionalProperties: false
})
export type SandboxInput = Static<typeof SandboxInput>

/** A sandbox as it is listed: never its token or its client secret. */
export const Sandbox = Type.Object({
  id: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  clientId: Type.String({ description: 'Its OAuth client: tokens from POST /oauth2/token for it open this sandbox' }),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  leads: Type.Integer({ description: 'How many leads it holds' }),
  financialEntities: Type.Integer({ description: 'How many financial entities (fintechs) it holds' }),
  users: Type.Integer({ description: 'How many users (leads turned into clients) it holds' })
}, { $id: 'Sandbox', additionalProperties: false })
export type Sandbox = Static<typeof Sandbox>

/** What creating a sandbox answers, once: the only time its token and client secret are shown. */
export const CreatedSandbox = Type.Object({
  id: Type.String(),
  token: Type.String({ description: 'Opens GET /lead and this sandbox\'s admin routes (leads, journal, scenarios, reset)' }),
  clientId: Type.String(),
  clientSecret: Type.String(),
  expiresAt: Type.String({ format: 'date-time' })
}, {
  // Stryker disable next-line StringLiteral: equivalent, the document inlines this schema; no other schema refers to it by name
  $id: 'CreatedSandbox',
  additionalProperties: false
})
export type CreatedSandbox = Static<typeof CreatedSandbox>
