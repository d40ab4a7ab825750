import type { Lead } from '../src/core/leads/schema.js'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE } from './examples.js'
import { generateLeads, type EcosystemSpec } from './generate.js'

/**
 * The demo data: five ecosystems of different sizes. The first is the one LeanCore's docs use in
 * their example, and its first lead has the docs' example phone, so the docs work as written.
 */
export const DEMO_ECOSYSTEMS: readonly (EcosystemSpec & { description: string })[] = [
  { id: EXAMPLE_ECOSYSTEM, size: 24, description: "LeanCore's documentation example" },
  { id: '7c9e6679-7425-40de-944b-e07fc1f90ae7', size: 100, description: 'a wholesaler and its 100 shopkeepers' },
  { id: '2f1b6a3c-5d84-4e0f-9a27-6b3c8d1e4f50', size: 40, description: 'a regional pharmacy network' },
  { id: '9b2d4e6f-1a3c-4b5d-8e7f-0a1b2c3d4e5f', size: 7, description: 'a small agro cooperative' },
  { id: 'c56a4180-65aa-42ec-a945-5fd21dec0538', size: 1, description: 'a single lead' }
]

export function demoLeads (): Lead[] {
  const leads = [...generateLeads(DEMO_ECOSYSTEMS)]
  ;(leads[0] as Lead).phone = EXAMPLE_PHONE
  return leads
}
