import { checkLead, LeadValidationError } from '../leads/validate.js'
import { Validator } from '../validation.js'
import { UserInput, type StoredUser } from './schema.js'

const userInput = new Validator(UserInput)

/**
 * Checks fixture data for users, all or nothing: each is a lead (checked as one) and the financial
 * entity it is a client of; available_quota defaults to its quota. The message names the user (its
 * position and id) and the field, as for leads.
 */
export function validateUsers (input: unknown): StoredUser[] {
  if (!Array.isArray(input)) {
    throw new LeadValidationError(`expected an array of users, got ${input === null ? 'null' : typeof input}`)
  }
  const positions = new Map<string, number>()
  return input.map((candidate: unknown, index) => {
    const id = (candidate as { id?: unknown } | null)?.id
    const which = typeof id === 'string' ? `user ${index} (id ${JSON.stringify(id)})` : `user ${index}`
    const problem = userInput.problem(candidate)
    if (problem !== undefined) throw new LeadValidationError(`${which}: ${problem.startsWith('field ') ? problem : `the user: ${problem}`}`)
    const { financial_entity: financialEntity, available_quota: availableQuota, ...fields } = candidate as UserInput
    const lead = checkLead(fields, which)
    const earlier = positions.get(lead.id)
    if (earlier !== undefined) throw new LeadValidationError(`${which}: repeats the id of user ${earlier}`)
    positions.set(lead.id, index)
    return { ...lead, available_quota: availableQuota ?? lead.quota, financial_entity: financialEntity }
  })
}
