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

/** The columns SQLite holds as JSON text. */
export const JSON_COLUMNS = ['history', 'payment_data', 'additional_data'] as const

/** The fields LeanCore's docs mark optional: a lead written without them gets null, [] or {}. */
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

/**
 * A lead as GET /lead?id= and ?nit= and POST /create-lead answer it: the 18 keys and `lead_status`,
 * the same value as `status`. LeanCore's write API names the status `lead_status`, and its own
 * client reads it there from these answers (observed, not documented).
 */
export const LeadWithStatus = Type.Object({
  ...Lead.properties,
  lead_status: Type.String({ description: 'The same value as status: the name LeanCore\'s write API and its own client use' })
}, { $id: 'LeadWithStatus', additionalProperties: false })
export type LeadWithStatus = Static<typeof LeadWithStatus>

// A number, or the text a form field gave it.
const Amount = Type.Union([Type.Number(), Type.String({ maxLength: 64 })])

/**
 * Fields LeanCore's write routes take that the 18 keys of a lead do not have. They are kept with
 * the lead, so that nothing a client wrote is dropped, and never shown by GET /lead.
 */
export const LeadExtra = Type.Object({
  incomes: Type.Optional(Amount),
  expenses: Type.Optional(Amount),
  created_at: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Number()], { description: 'When the lead was taken, as the client says' })),
  records: Type.Optional(Type.Union([Type.Array(Type.Unknown()), Type.Object({}, { additionalProperties: true })])),
  loan_priority: Type.Optional(Type.Union([Type.Number(), Type.String({ maxLength: 64 }), Type.Null()])),
  branch_office: Type.Optional(Type.Union([Type.String({ maxLength: 1024 }), Type.Object({}, { additionalProperties: true }), Type.Null()]))
}, { additionalProperties: false })
export type LeadExtra = Static<typeof LeadExtra>
export const EXTRA_FIELDS = Object.keys(LeadExtra.properties) as Array<keyof LeadExtra>

const Required = Type.Pick(Lead, ['name', 'nit', 'phone', 'email', 'ecosystem'])
const LeadStatus = Type.String({ description: 'The status the lead starts in; not_assigned when left out. GET /lead shows it as status.' })

/**
 * POST /create-lead's body (observed in LeanCore's clients, not documented): `name`, `nit`,
 * `phone`, `email` and `ecosystem`, and any other field of a lead but its `id` (generated) and
 * `status` (written as `lead_status`), and the extra fields.
 */
export const CreateLeadInput = Type.Composite([
  Required,
  Type.Partial(Type.Omit(Lead, ['id', 'status', 'name', 'nit', 'phone', 'email', 'ecosystem'])),
  Type.Object({ lead_status: Type.Optional(LeadStatus) }),
  LeadExtra
], { additionalProperties: false })
export type CreateLeadInput = Static<typeof CreateLeadInput>

/** The fields LeanCore documents for POST /update-lead, every one optional but `id`. */
const UPDATABLE_FIELDS = [
  'name', 'lastname', 'nit', 'phone', 'email', 'address', 'business_entity', 'business_name', 'history', 'score', 'image', 'additional_data'
] as const satisfies ReadonlyArray<keyof Lead>
const UPDATABLE_EXTRA = ['records', 'created_at', 'loan_priority'] as const satisfies ReadonlyArray<keyof LeadExtra>

/** POST /update-lead's body, as LeanCore documents it. */
export const UpdateLeadInput = Type.Composite([
  Type.Pick(Lead, ['id']),
  Type.Partial(Type.Pick(Lead, UPDATABLE_FIELDS)),
  Type.Object({ lead_status: Type.Optional(Type.String({ description: 'The new status; the answer shows it as status' })) }),
  Type.Partial(Type.Pick(LeadExtra, UPDATABLE_EXTRA))
], { additionalProperties: false })
export type UpdateLeadInput = Static<typeof UpdateLeadInput>
