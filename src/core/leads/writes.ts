import { randomUUID } from 'node:crypto'
import { FixtureError } from '../errors.js'
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../json-depth.js'
import { Validator } from '../validation.js'
import type { LeadRepository } from './repository.js'
import { CreateLeadInput, EXTRA_FIELDS, UpdateLeadInput, type Lead, type LeadExtra } from './schema.js'
import { checkLead, LeadValidationError, notWellFormed } from './validate.js'

/** The status a lead created without `lead_status` starts in */
const NEW_LEAD_STATUS = 'not_assigned'

const createInput = new Validator(CreateLeadInput)
const updateInput = new Validator(UpdateLeadInput)
const CREATE_FIELDS = new Set(Object.keys(CreateLeadInput.properties))
const UPDATE_FIELDS = new Set(Object.keys(UpdateLeadInput.properties))
const EXTRA = new Set<string>(EXTRA_FIELDS)

/** A lead create-lead will write: checked, complete but for its id, with its extra fields. */
export interface NewLead {
  lead: Omit<Lead, 'id'>
  extra: LeadExtra
}

/** What update-lead will change: the fields given, each checked; an empty `lead` changes nothing. */
export interface LeadChanges {
  id: string
  lead: Partial<Lead>
  extra: LeadExtra
}

/**
 * POST /create-lead's body, checked like fixture data: one lead (an object), or with `bulk` an
 * array of them. Throws a LeadValidationError naming the field (and, in a bulk load, the lead).
 */
export function readNewLeads (body: unknown, bulk: boolean): NewLead[] {
  if (!bulk) {
    if (!isObject(body)) {
      throw new LeadValidationError(`create-lead: expected one lead as a JSON object, got ${kindOf(body)}${Array.isArray(body) ? '; send ?bulk-load=true to create several' : ''}`)
    }
    return [readNewLead(body, 'create-lead')]
  }
  if (!Array.isArray(body)) throw new LeadValidationError(`create-lead?bulk-load=true: expected an array of leads, got ${kindOf(body)}`)
  return body.map((candidate: unknown, index) => readNewLead(candidate, `create-lead?bulk-load=true: lead ${index}`))
}

function readNewLead (candidate: unknown, which: string): NewLead {
  if (!isObject(candidate)) throw new LeadValidationError(`${which}: expected a JSON object, got ${kindOf(candidate)}`)
  for (const field of Object.keys(candidate)) {
    if (CREATE_FIELDS.has(field)) continue
    if (field === 'id') throw new LeadValidationError(`${which}: field id: the server gives a new lead its id; leave it out`)
    if (field === 'status') throw new LeadValidationError(`${which}: field status: write the status as lead_status`)
    throw new LeadValidationError(`${which}: field ${field}: not a field create-lead takes; it takes ${[...CREATE_FIELDS].join(', ')}`)
  }
  const problem = createInput.problem(candidate)
  if (problem !== undefined) throw new LeadValidationError(`${which}: ${problem}`)
  const { lead_status: status = NEW_LEAD_STATUS, ...fields } = candidate as CreateLeadInput
  const [leadFields, extra] = split(fields)
  const lead = checkLead({
    lastname: '',
    business_name: '',
    address: '',
    business_entity: '',
    quota: 0,
    ...leadFields,
    id: 'new',
    status
  }, which)
  checkValues(extra, which)
  const { id: _id, ...rest } = lead
  return { lead: rest, extra }
}

/**
 * Throws a LeadValidationError unless `body` is a JSON object of the fields `route` takes, naming the
 * first field it does not take (and, for `status` on a lead route, that it is written lead_status).
 */
export function refuseUnknownFields (body: unknown, route: string, fields: ReadonlySet<string>): asserts body is Record<string, unknown> {
  if (!isObject(body)) throw new LeadValidationError(`${route}: expected a JSON object, got ${kindOf(body)}`)
  for (const field of Object.keys(body)) {
    if (fields.has(field)) continue
    if (field === 'status' && fields.has('lead_status')) throw new LeadValidationError(`${route}: field status: write the status as lead_status`)
    throw new LeadValidationError(`${route}: field ${field}: not a field ${route} takes; it takes ${[...fields].join(', ')}`)
  }
}

/** POST /update-lead's body, checked; throws a LeadValidationError naming the field. */
export function readLeadChanges (body: unknown): LeadChanges {
  const which = 'update-lead'
  if (!isObject(body)) throw new LeadValidationError(`${which}: expected a JSON object with the lead's id, got ${kindOf(body)}`)
  refuseUnknownFields(body, which, UPDATE_FIELDS)
  const problem = updateInput.problem(body)
  if (problem !== undefined) throw new LeadValidationError(`${which}: ${problem}`)
  const { id, lead_status: status, ...fields } = body as UpdateLeadInput
  // Each field by the lead schema's own rule (UpdateLeadInput picks them), then as fixture data is:
  // no field update-lead takes depends on another, so a stored lead with these changes is a lead.
  checkValues(fields, which)
  const [lead, extra] = split(fields)
  if (status !== undefined) {
    checkValues({ lead_status: status }, which)
    lead.status = status
  }
  return { id, lead, extra }
}

/** The fields of a lead, and the extra ones, apart. */
function split (fields: Record<string, unknown>): [Partial<Lead>, LeadExtra] {
  const lead: Record<string, unknown> = {}
  const extra: Record<string, unknown> = {}
  for (const [field, value] of Object.entries(fields)) (EXTRA.has(field) ? extra : lead)[field] = value
  return [lead as Partial<Lead>, extra as LeadExtra]
}

/** Text SQLite can store as sent, JSON no deeper than the limit: what fixture data is held to beyond its schema. */
export function checkValues (fields: object, which: string): void {
  for (const [field, value] of Object.entries(fields)) {
    if (notWellFormed(value)) throw new LeadValidationError(`${which}: field ${field}: not well-formed Unicode (a lone surrogate), which the database cannot store as sent`)
    if (nestedDeeperThan(value, MAX_JSON_DEPTH)) throw new LeadValidationError(`${which}: field ${field}: nested deeper than ${MAX_JSON_DEPTH} levels`)
  }
}

function isObject (value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function kindOf (value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : typeof value
}

/**
 * LeanCore's write routes on one space's leads: every write one transaction, with the rules the
 * docs and LeanCore's clients show. A NIT or a phone is one lead's within its ecosystem.
 */
export class LeadWriter {
  constructor (private readonly repository: LeadRepository, private readonly sandbox: number) {}

  /**
   * Writes new leads, all or nothing, each with a new UUID; throws a 400 on a NIT or phone taken. A
   * client's leads count against the limits in the shared data too (the operator's seed does not).
   */
  create (leads: readonly NewLead[]): Lead[] {
    const { repository, sandbox } = this
    return repository.write(sandbox, () => {
      const taken = new Map<string, number>()
      return leads.map(({ lead, extra }, index) => {
        const where = leads.length === 1 ? '' : ` (lead ${index} of the request)`
        for (const [field, value] of [['nit', lead.nit], ['phone', lead.phone]] as const) {
          const key = `${field}\n${lead.ecosystem}\n${value}`
          const earlier = taken.get(key)
          if (earlier !== undefined || repository.holderOf(sandbox, lead.ecosystem, field, value) !== undefined) {
            throw alreadyTaken(field, value, lead.ecosystem, earlier === undefined ? where : `${where}, as lead ${earlier} does`)
          }
          taken.set(key, index)
        }
        const created = { id: randomUUID(), ...lead }
        repository.insert(sandbox, created, extra)
        return created
      })
    }, true)
  }

  /** Applies the changes to the lead with that id; throws a 404 when there is none, a 400 when the result is no valid lead. */
  update ({ id, lead: changes, extra }: LeadChanges): Lead {
    const { repository, sandbox } = this
    return repository.write(sandbox, () => {
      const current = repository.byId(sandbox, id)
      if (current === undefined) throw new FixtureError(404, `Lead with id ${id} not found`)
      if (Object.keys(changes).length === 0 && Object.keys(extra).length === 0) return current
      const lead = { ...current, ...changes }
      for (const field of ['nit', 'phone'] as const) {
        if (lead[field] === current[field]) continue
        const holder = repository.holderOf(sandbox, lead.ecosystem, field, lead[field])
        if (holder !== undefined) throw alreadyTaken(field, lead[field], lead.ecosystem, ` (lead ${holder})`)
      }
      repository.update(sandbox, current, lead, extra)
      return lead
    })
  }
}

function alreadyTaken (field: 'nit' | 'phone', value: string, ecosystem: string, where: string): LeadValidationError {
  return new LeadValidationError(field === 'nit'
    ? `User with nit: ${value} already exists in ecosystem ${ecosystem}${where}`
    : `User with phone: ${value} already exists in ecosystem ${ecosystem}${where}`)
}
