import { LeadValidationError, normalizeEcosystem, notWellFormed } from '../leads/validate.js'
import { Validator } from '../validation.js'
import { FinancialEntity } from './schema.js'

const financialEntity = new Validator(FinancialEntity)

/**
 * Checks fixture data for financial entities, all or nothing: the message names the entity (its
 * position and uid) and the field, as for leads.
 */
export function validateFinancialEntities (input: unknown): FinancialEntity[] {
  if (!Array.isArray(input)) {
    throw new LeadValidationError(`expected an array of financial entities, got ${input === null ? 'null' : typeof input}`)
  }
  const positions = new Map<string, number>()
  return input.map((candidate: unknown, index) => {
    const uid = (candidate as { uid?: unknown } | null)?.uid
    const which = typeof uid === 'string' ? `financial entity ${index} (uid ${JSON.stringify(uid)})` : `financial entity ${index}`
    const problem = financialEntity.problem(candidate)
    if (problem !== undefined) throw new LeadValidationError(`${which}: ${problem.startsWith('field ') ? problem : `the financial entity: ${problem}`}`)
    const entity = candidate as FinancialEntity
    const broken = Object.entries(entity).find(([, value]) => notWellFormed(value))?.[0]
    if (broken !== undefined) throw new LeadValidationError(`${which}: field ${broken}: not well-formed Unicode (a lone surrogate), which the database cannot store as sent`)
    const earlier = positions.get(entity.uid)
    if (earlier !== undefined) throw new LeadValidationError(`${which}: repeats the uid of financial entity ${earlier}`)
    positions.set(entity.uid, index)
    return { ...entity, ecosystem: normalizeEcosystem(entity.ecosystem) }
  })
}
