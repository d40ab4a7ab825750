import type { TSchema } from '@sinclair/typebox'
import { FinancialEntityUsersPage } from '../core/financial-entities/schema.js'
import { Lead, LeadWithStatus } from '../core/leads/schema.js'
import { ConvertedUser, User } from '../core/users/schema.js'
import { Validator } from '../core/validation.js'
import type { Exchange } from './client.js'
import { bodyShape, schemaShape, shapeDifferences, type Shape } from './shape.js'

/**
 * What a case's 200 holds: leads (an array), or one record of a schema (a lead; a lead with
 * lead_status, as the lookups by id and NIT and create-lead answer; a user; the user a conversion
 * answers, with `_id`; a page of a financial entity's users), or anything else (compared with the
 * mock's body).
 */
export type Body = 'leads' | keyof typeof SCHEMAS | 'other'

// The shapes are the schemas the mock serializes with: its data is generated, the target's is
// real, and only their shapes may be compared.
const SCHEMAS = {
  lead: Lead,
  'lead-with-status': LeadWithStatus,
  user: User,
  'converted-user': ConvertedUser,
  'users-page': FinancialEntityUsersPage
} satisfies Record<string, TSchema>
type OneRecord = keyof typeof SCHEMAS
const SHAPES = Object.fromEntries(Object.entries(SCHEMAS).map(([body, schema]) => [body, schemaShape(schema)])) as Record<OneRecord, Shape>
const RULES = Object.fromEntries(Object.entries(SCHEMAS).map(([body, schema]) => [body, new Validator<TSchema>(schema)])) as Record<OneRecord, Validator<TSchema>>
const LEADS: Shape = { kinds: new Set(['array']), items: SHAPES.lead }

/**
 * How the target's answer differs from leancore-mock's for the same request: the status, the
 * headers a client acts on, the body's shape, and, for leads, the lead schema's rules. Values
 * are never compared, so no personal data ends up in a difference.
 */
export function differences (target: Exchange, mock: Exchange, body: Body): string[] {
  const found: string[] = []
  // An answer too large to read has no shape to compare.
  for (const [side, exchange] of [['target', target], ['leancore-mock', mock]] as const) {
    if (exchange.oversized !== undefined) found.push(`body: ${side}'s is over --max-body (${exchange.oversized} bytes), not read`)
  }
  if (target.status !== mock.status) found.push(`status: target ${target.status}, leancore-mock ${mock.status}`)
  const [targetType, mockType] = [mediaType(target), mediaType(mock)]
  if (targetType !== mockType) found.push(`content-type: target ${orNone(targetType)}, leancore-mock ${orNone(mockType)}`)
  const [targetScheme, mockScheme] = [scheme(target), scheme(mock)]
  if (targetScheme?.toLowerCase() !== mockScheme?.toLowerCase()) {
    found.push(`www-authenticate: target ${orNone(targetScheme)}, leancore-mock ${orNone(mockScheme)}`)
  }
  // Answers with different statuses are different answers: their bodies have nothing to agree on.
  if (target.status !== mock.status || target.oversized !== undefined || mock.oversized !== undefined) return found
  const expected = body === 'other' ? bodyShape(mock.body) : body === 'leads' ? LEADS : SHAPES[body]
  const shape = shapeDifferences(bodyShape(target.body), expected, 'body')
  found.push(...shape)
  if (shape.length === 0 && body !== 'other') found.push(...ruleProblems(JSON.parse(target.body) as unknown, body))
  return found
}

function orNone (value: string | undefined): string {
  return value ?? 'none'
}

/** The media type alone: a charset parameter is no difference a client notices. */
function mediaType ({ headers }: Exchange): string | undefined {
  const type = headers['content-type']
  return type === undefined ? undefined : (type.split(';')[0] as string).trim().toLowerCase()
}

/** The challenge's scheme (`Bearer`): its realm is the server's own name, free to differ. */
function scheme ({ headers }: Exchange): string | undefined {
  const challenge = headers['www-authenticate']
  return challenge === undefined ? undefined : challenge.trim().split(/[\s,]/)[0] as string
}

/**
 * What the schema asks beyond shapes (a phone of digits, a UUID, a URL), once per rule, with how
 * many leads break it: the recording must load into the mock, which checks the same rules.
 */
function ruleProblems (value: unknown, body: Exclude<Body, 'other'>): string[] {
  const one = body !== 'leads'
  const leads = one ? [value] : value as unknown[]
  const rules = RULES[one ? body : 'lead']
  const broken = new Map<string, number>()
  for (const candidate of leads) {
    const problem = rules.problem(candidate)
    if (problem === undefined) continue
    const line = `${one ? 'body' : 'body[]'}.${problem.replace(/^field /, '')}`
    broken.set(line, (broken.get(line) ?? 0) + 1)
  }
  return [...broken].map(([line, count]) => one ? line : `${line} (${count} of ${leads.length} leads)`)
}
