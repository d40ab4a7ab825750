import type { FinancialEntity } from '../src/core/financial-entities/schema.js'
import type { Lead } from '../src/core/leads/schema.js'
import type { StoredUser } from '../src/core/users/schema.js'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE } from './examples.js'
import { generateFinancialEntities } from './financial-entities.js'
import { generateLeads, type EcosystemSpec } from './generate.js'

/**
 * The demo data: five ecosystems of different sizes. The first is the one LeanCore's docs use in
 * their example, and its first lead has the docs' example phone, so the docs work as written.
 */
export const DEMO_ECOSYSTEMS: readonly (EcosystemSpec & { description: string, financialEntities: number, users: number })[] = [
  { id: EXAMPLE_ECOSYSTEM, size: 24, description: "LeanCore's documentation example", financialEntities: 3, users: 2 },
  { id: '7c9e6679-7425-40de-944b-e07fc1f90ae7', size: 100, description: 'a wholesaler and its 100 shopkeepers', financialEntities: 3, users: 3 },
  { id: '2f1b6a3c-5d84-4e0f-9a27-6b3c8d1e4f50', size: 40, description: 'a regional pharmacy network', financialEntities: 2, users: 2 },
  { id: '9b2d4e6f-1a3c-4b5d-8e7f-0a1b2c3d4e5f', size: 7, description: 'a small agro cooperative', financialEntities: 2, users: 1 },
  { id: 'c56a4180-65aa-42ec-a945-5fd21dec0538', size: 1, description: 'a single lead', financialEntities: 2, users: 1 }
]

export function demoLeads (): Lead[] {
  const leads = [...generateLeads(DEMO_ECOSYSTEMS)]
  ;(leads[0] as Lead).phone = EXAMPLE_PHONE
  return leads
}

/** Each demo ecosystem's lenders, each with a `simulador` product (and some a second one) */
export function demoFinancialEntities (): FinancialEntity[] {
  return generateFinancialEntities(DEMO_ECOSYSTEMS.map(({ id, financialEntities }) => ({ id, count: financialEntities })))
}

/**
 * A few leads of each demo ecosystem already turned into clients of one of its lenders: made by the
 * same generator, after the demo leads (which they are not among), so the leads stay as they were.
 */
export function demoUsers (): StoredUser[] {
  const entities = demoFinancialEntities()
  const generated = [...generateLeads([...DEMO_ECOSYSTEMS, ...DEMO_ECOSYSTEMS.map(({ id, users }) => ({ id, size: users }))])]
  return generated.slice(DEMO_ECOSYSTEMS.reduce((sum, { size }) => sum + size, 0)).map((lead, index) => {
    const lenders = entities.filter((entity) => entity.ecosystem === lead.ecosystem)
    return { ...lead, status: 'active', financial_entity: (lenders[index % lenders.length] as FinancialEntity).uid, available_quota: lead.quota }
  })
}
