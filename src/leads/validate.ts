import { FormatRegistry, type TSchema } from '@sinclair/typebox'
import { TypeCompiler, ValueErrorType } from '@sinclair/typebox/compiler'
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../json-depth.js'
import { completeLead, JSON_COLUMNS, LeadInput, type Lead } from './schema.js'

// The same rule as Ajv's "uuid" format, which validates ?ecosystem= on GET /lead.
const UUID = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i
FormatRegistry.Set('uuid', (value) => UUID.test(value))
FormatRegistry.Set('uri', (value) => /^[a-z][a-z0-9+.-]*:\S+$/i.test(value) && URL.canParse(value))

/** A stored ecosystem is lower-case and bare, so that every spelling of a UUID finds it. */
export function normalizeEcosystem (ecosystem: string): string {
  return ecosystem.toLowerCase().replace(/^urn:uuid:/, '')
}

// Compiled on first use: a server that is never sent fixture data does not pay for it at start-up.
let leadInput: ReturnType<typeof TypeCompiler.Compile<typeof LeadInput>> | undefined

/** Bad fixture data. The message names the lead (position and id) and the field. */
export class LeadValidationError extends Error {
  readonly statusCode = 400
  constructor (message: string) {
    super(message)
    this.name = 'LeadValidationError'
  }
}

/**
 * Checks fixture data against the lead schema and fills in the documented-optional fields.
 * All or nothing: one bad lead rejects the whole batch, so nothing of it gets written.
 */
export function validateLeads (input: unknown): Lead[] {
  if (!Array.isArray(input)) {
    throw new LeadValidationError(`expected an array of leads, got ${input === null ? 'null' : typeof input}`)
  }
  leadInput ??= TypeCompiler.Compile(LeadInput)
  const check = leadInput
  const positions = new Map<string, number>()
  return input.map((candidate: unknown, index) => {
    const error = check.Errors(candidate).First()
    if (error !== undefined) {
      const id = (candidate as { id?: unknown } | null)?.id
      const which = typeof id === 'string' ? `lead ${index} (id ${JSON.stringify(id)})` : `lead ${index}`
      const field = error.path === '' ? 'the lead' : `field ${error.path.slice(1).replaceAll('/', '.')}`
      const problem = error.type === ValueErrorType.Union ? `expected ${describeUnion(error.schema)}` : error.message.toLowerCase()
      throw new LeadValidationError(`${which}: ${field}: ${problem}`)
    }
    const lead = completeLead(candidate as LeadInput)
    const which = `lead ${index} (id ${JSON.stringify(lead.id)})`
    for (const column of JSON_COLUMNS) {
      if (nestedDeeperThan(lead[column], MAX_JSON_DEPTH)) {
        throw new LeadValidationError(`${which}: field ${column}: nested deeper than ${MAX_JSON_DEPTH} levels`)
      }
    }
    lead.ecosystem = normalizeEcosystem(lead.ecosystem)
    const earlier = positions.get(lead.id)
    if (earlier !== undefined) {
      throw new LeadValidationError(`${which}: repeats the id of lead ${earlier}`)
    }
    positions.set(lead.id, index)
    return lead
  })
}

/** "expected union value" says nothing; the nullable fields deserve "expected a uri string or null". */
function describeUnion (schema: TSchema): string {
  return (schema.anyOf as TSchema[]).map((member) => {
    if (member.type === 'null') return 'null'
    return `a ${typeof member.format === 'string' ? `${member.format as string} ` : ''}${member.type as string}`
  }).join(' or ')
}
