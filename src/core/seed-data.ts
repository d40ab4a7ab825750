import { FixtureError } from './errors.js'
import type { FinancialEntityRepository } from './financial-entities/repository.js'
import type { FinancialEntity } from './financial-entities/schema.js'
import { validateFinancialEntities } from './financial-entities/validate.js'
import type { LeadRepository } from './leads/repository.js'
import type { Lead, LeadInput } from './leads/schema.js'
import { validateLeads } from './leads/validate.js'
import type { UserRepository } from './users/repository.js'
import type { StoredUser, UserInput } from './users/schema.js'
import { validateUsers } from './users/validate.js'

/** What a space starts with, and what its reset goes back to: leads, financial entities, users. */
export interface SeedData {
  leads: Lead[]
  financialEntities: FinancialEntity[]
  users: StoredUser[]
}

/** Seed data as a test gives it: every part optional, the records' optional fields too. */
export interface SeedInput {
  leads?: readonly LeadInput[]
  financialEntities?: readonly FinancialEntity[]
  users?: readonly UserInput[]
}

/** The repositories of a space's data, on one connection */
export interface Repositories {
  leads: LeadRepository
  financialEntities: FinancialEntityRepository
  users: UserRepository
}

const PARTS = ['leads', 'financialEntities', 'users'] as const

/**
 * Seed data as a file or a test gives it: a bare array of leads (what `conformance --record`
 * writes), or an object with `leads`, `financialEntities` and `users`, each optional. Checked as
 * fixture data is, all or nothing; the message names the record and the field.
 */
export function validateSeed (input: unknown): SeedData {
  if (Array.isArray(input)) return { leads: validateLeads(input), financialEntities: [], users: [] }
  if (input === null || typeof input !== 'object') {
    throw new FixtureError(400, `expected an array of leads, or an object with leads, financialEntities and users, got ${input === null ? 'null' : typeof input}`)
  }
  const unknown = Object.keys(input).find((key) => !(PARTS as readonly string[]).includes(key))
  if (unknown !== undefined) throw new FixtureError(400, `seed: ${unknown} is not a part of seed data; it holds leads, financialEntities and users`)
  const { leads = [], financialEntities = [], users = [] } = input as Partial<Record<typeof PARTS[number], unknown>>
  return { leads: validateLeads(leads), financialEntities: validateFinancialEntities(financialEntities), users: validateUsers(users) }
}

/** Writes seed data into a space, after emptying it when `replace`; call it inside the space's write transaction. Returns how many leads. */
export function writeSeed (repositories: Repositories, sandbox: number, seed: SeedData, replace: boolean): number {
  if (replace) {
    repositories.financialEntities.deleteAll(sandbox)
    repositories.users.deleteAll(sandbox)
  }
  repositories.financialEntities.upsertAll(sandbox, seed.financialEntities)
  repositories.users.upsertAll(sandbox, seed.users)
  return replace ? repositories.leads.replaceAll(sandbox, seed.leads) : repositories.leads.upsert(sandbox, seed.leads)
}

/** No data at all */
export const EMPTY_SEED: SeedData = { leads: [], financialEntities: [], users: [] }
