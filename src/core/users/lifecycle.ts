import { Type, type Static } from '@sinclair/typebox'
import { FixtureError } from '../errors.js'
import type { FinancialEntity } from '../financial-entities/schema.js'
import type { Lead } from '../leads/schema.js'
import { checkValues, refuseUnknownFields } from '../leads/writes.js'
import { LeadValidationError } from '../leads/validate.js'
import type { Repositories } from '../seed-data.js'
import { Validator } from '../validation.js'
import { UpdateUserInput, type StoredUser } from './schema.js'

/** The body of POST /assign-lead-to-financial-entity and POST /turn-lead-into-client, as LeanCore documents it */
export const LifecycleRequest = Type.Object({
  lead_id: Type.String({ minLength: 1, maxLength: 128 }),
  financial_entity_id: Type.String({ minLength: 1, maxLength: 128 })
}, { additionalProperties: false })
export type LifecycleRequest = Static<typeof LifecycleRequest>

/** What update-user will change: the fields given, each checked */
export interface UserChanges {
  id: string
  user: Partial<StoredUser>
}

const lifecycleRequest = new Validator(LifecycleRequest)
const updateUserInput = new Validator(UpdateUserInput)

/** A lifecycle route's body, checked; `route` names it in the message. */
export function readLifecycleRequest (body: unknown, route: string): LifecycleRequest {
  refuseUnknownFields(body, route, new Set(Object.keys(LifecycleRequest.properties)))
  const problem = lifecycleRequest.problem(body)
  if (problem !== undefined) throw new LeadValidationError(`${route}: ${problem}`)
  return body as LifecycleRequest
}

/** POST /update-user's body, checked like update-lead's. */
export function readUserChanges (body: unknown): UserChanges {
  refuseUnknownFields(body, 'update-user', new Set(Object.keys(UpdateUserInput.properties)))
  const problem = updateUserInput.problem(body)
  if (problem !== undefined) throw new LeadValidationError(`update-user: ${problem}`)
  const { id, ...user } = body as UpdateUserInput
  checkValues(user, 'update-user')
  return { id, user }
}

/**
 * What happens to a lead after the read, as LeanCore documents it: assigned to a financial entity
 * of its ecosystem, then turned into a client, which makes it a user of that entity. Every step is
 * one transaction in the space's write transaction.
 */
export class Lifecycle {
  constructor (private readonly repositories: Repositories, private readonly sandbox: number) {}

  /** Records the financial entity on the lead (its status stays); 404 for an unknown lead or entity, 400 across ecosystems. */
  assign (request: LifecycleRequest): Lead {
    const { leads } = this.repositories
    return leads.write(this.sandbox, () => {
      const { lead, entity } = this.#pair(request)
      leads.assign(this.sandbox, lead.id, entity.uid)
      return lead
    })
  }

  /**
   * The lead becomes a user of the entity, in one transaction: the lead gone from every lead answer,
   * the user there with the lead's id and fields. A lead no longer there is a 404, so that of
   * parallel conversions of one lead exactly one succeeds.
   */
  convert (request: LifecycleRequest): StoredUser {
    const { leads, users } = this.repositories
    return leads.write(this.sandbox, () => {
      const { lead, entity } = this.#pair(request)
      if (users.byId(this.sandbox, lead.id) !== undefined) throw new FixtureError(409, `a user with id ${lead.id} exists already: the lead cannot become it`)
      const user: StoredUser = { ...lead, available_quota: lead.quota, financial_entity: entity.uid }
      leads.deleteById(this.sandbox, lead.id)
      users.insert(this.sandbox, user)
      return user
    })
  }

  /** Applies the changes to the user with that id; 404 when there is none, 400 for a NIT or phone another user of the ecosystem has. */
  update ({ id, user: changes }: UserChanges): StoredUser {
    const { leads, users } = this.repositories
    return leads.write(this.sandbox, () => {
      const current = users.byId(this.sandbox, id)
      if (current === undefined) throw new FixtureError(404, `User with id ${id} not found`)
      if (Object.keys(changes).length === 0) return current
      const user = { ...current, ...changes }
      for (const field of ['nit', 'phone'] as const) {
        if (user[field] === current[field]) continue
        const holder = users.holderOf(this.sandbox, user.ecosystem, field, user[field])
        if (holder !== undefined) throw new LeadValidationError(`User with ${field}: ${user[field]} already exists in ecosystem ${user.ecosystem} (user ${holder})`)
      }
      users.update(this.sandbox, current, user)
      return user
    })
  }

  #pair ({ lead_id: leadId, financial_entity_id: entityId }: LifecycleRequest): { lead: Lead, entity: FinancialEntity } {
    const lead = this.repositories.leads.byId(this.sandbox, leadId)
    if (lead === undefined) throw new FixtureError(404, `Lead with id ${leadId} not found`)
    const entity = this.repositories.financialEntities.byUid(this.sandbox, entityId)
    if (entity === undefined) throw new FixtureError(404, `Financial entity with id ${entityId} not found`)
    if (entity.ecosystem !== lead.ecosystem) {
      throw new FixtureError(400, `the lead is of ecosystem ${lead.ecosystem} and the financial entity of ecosystem ${entity.ecosystem}: a lead is assigned only within its ecosystem`)
    }
    return { lead, entity }
  }
}
