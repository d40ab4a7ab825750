import { FixtureError } from '../errors.js'
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../json-depth.js'
import { Validator } from '../validation.js'
import { completeLead, JSON_COLUMNS, LeadInput, type Lead } from './schema.js'

/** A stored ecosystem is lower-case and bare, so that every spelling of a UUID finds it. */
export function normalizeEcosystem (ecosystem: string): string {
  // Stryker disable next-line Regex: equivalent, stored ecosystems are UUIDs, and text with urn:uuid: inside it matches none of them either way
  return ecosystem.toLowerCase().replace(/^urn:uuid:/, '')
}

const leadInput = new Validator(LeadInput)
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Bad fixture data. The message names the lead (position and id) and the field. */
export class LeadValidationError extends FixtureError {
  constructor (message: string) {
    super(400, message)
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
  const positions = new Map<string, number>()
  return input.map((candidate: unknown, index) => {
    const id = (candidate as { id?: unknown } | null)?.id
    const lead = checkLead(candidate, typeof id === 'string' ? `lead ${index} (id ${JSON.stringify(id)})` : `lead ${index}`)
    const earlier = positions.get(lead.id)
    if (earlier !== undefined) {
      throw new LeadValidationError(`lead ${index} (id ${JSON.stringify(lead.id)}): repeats the id of lead ${earlier}`)
    }
    positions.set(lead.id, index)
    return lead
  })
}

/**
 * One lead checked as fixture data is, whichever door it came through: the schema, text SQLite can
 * store as sent, JSON no deeper than the limit. `which` starts every message ("lead 3 (id …)").
 */
export function checkLead (candidate: unknown, which: string): Lead {
  const problem = leadInput.problem(candidate)
  if (problem !== undefined) {
    throw new LeadValidationError(`${which}: ${problem.startsWith('field ') ? problem : `the lead: ${problem}`}`)
  }
  const lead = completeLead(candidate as LeadInput)
  // SQLite stores text as UTF-8, which cannot hold half a surrogate pair: it would keep U+FFFD
  // instead, and the lead could no longer be found by what the client sent.
  const broken = Object.keys(lead).find((field) => notWellFormed(lead[field as keyof Lead]))
  if (broken !== undefined) {
    throw new LeadValidationError(`${which}: field ${broken}: not well-formed Unicode (a lone surrogate), which the database cannot store as sent`)
  }
  for (const column of JSON_COLUMNS) {
    if (nestedDeeperThan(lead[column], MAX_JSON_DEPTH)) {
      throw new LeadValidationError(`${which}: field ${column}: nested deeper than ${MAX_JSON_DEPTH} levels`)
    }
  }
  lead.ecosystem = normalizeEcosystem(lead.ecosystem)
  return lead
}

/** Text holding half a surrogate pair, which UTF-8 (and so SQLite) cannot hold. */
export function notWellFormed (value: unknown): boolean {
  return typeof value === 'string' && LONE_SURROGATE.test(value)
}
