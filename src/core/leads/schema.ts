import { Type, type Static } from '@sinclair/typebox'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE } from '../../../seed/examples.js'
import { MAX_JSON_DEPTH } from '../json-depth.js'

// The one description of a lead. Fixture validation, the TypeScript types, the response
// serializer and the OpenAPI document are all derived from it; only the SQL columns repeat it.

export const PHONE_PATTERN = '^[0-9]{7,15}$'
export { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE }

// Stryker disable next-line StringLiteral: OpenAPI prose, for the reader of /docs
const DEPTH = `Arrays and objects nest at most ${MAX_JSON_DEPTH} levels deep.`
const JsonObject = (description: string) => Type.Object({}, { additionalProperties: true, description: `${description} ${DEPTH}` })

export const Lead = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 128 }),
    name: Type.String(),
    lastname: Type.String(),
    business_name: Type.String(),
    status: Type.String(),
    phone: Type.String({ pattern: PHONE_PATTERN, description: 'Digits only, country code first', example: EXAMPLE_PHONE }),
    email: Type.String(),
    nit: Type.String({ description: 'Colombian tax id with its DIAN check digit, e.g. 900123456-8' }),
    address: Type.String(),
    ecosystem: Type.String({ format: 'uuid', example: EXAMPLE_ECOSYSTEM }),
    business_entity: Type.String(),
    quota: Type.Number({ description: 'Credit quota in COP' }),
    image: Type.Union([Type.String({ format: 'uri' }), Type.Null()]),
    score: Type.Union([Type.Number(), Type.Null()]),
    apn_token: Type.Union([Type.String(), Type.Null()]),
    history: Type.Array(Type.Unknown(), { description: `CRM events, oldest first; [] when none. ${DEPTH}` }),
    // Stryker disable next-line StringLiteral: OpenAPI prose, for the reader of /docs
    payment_data: JsonObject('Payment details; {} when none.'),
    // Stryker disable next-line StringLiteral: OpenAPI prose, for the reader of /docs
    additional_data: JsonObject('Anything else LeanCore holds about the lead; {} when none.')
  },
  { $id: 'Lead', additionalProperties: false }
)
export type Lead = Static<typeof Lead>

/** The fields LeanCore's docs mark optional: a lead written without them gets null, [] or {}. */
/** The columns SQLite holds as JSON text. */
export const JSON_COLUMNS = ['history', 'payment_data', 'additional_data'] as const

const OPTIONAL_FIELDS = ['image', 'score', 'apn_token', 'history', 'payment_data', 'additional_data'] as const

/** What a fixture may send: a Lead whose documented-optional fields may be left out. */
export const LeadInput = Type.Composite(
  [Type.Omit(Lead, OPTIONAL_FIELDS), Type.Partial(Type.Pick(Lead, OPTIONAL_FIELDS))],
  { additionalProperties: false }
)
export type LeadInput = Static<typeof LeadInput>

export function completeLead (input: LeadInput): Lead {
  return {
    ...input,
    image: input.image ?? null,
    score: input.score ?? null,
    apn_token: input.apn_token ?? null,
    history: input.history ?? [],
    payment_data: input.payment_data ?? {},
    additional_data: input.additional_data ?? {}
  }
}
