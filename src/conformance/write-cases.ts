import { randomBytes, randomInt, randomUUID } from 'node:crypto'
import { formatNit } from '../../seed/nit.js'
import type { Lead } from '../core/leads/schema.js'
import { normalizeEcosystem } from '../core/leads/validate.js'
import { byEcosystem, Unavailable, type Case, type Session, type Side } from './cases.js'
import type { Exchange } from './client.js'

/** The name of the lead the write cases create: a person finds and removes it by this name. */
export const THROWAWAY_NAME = 'leancore-mock conformance'
/** The status update-lead sets: one a new lead (`not_assigned`) does not have */
const NEW_STATUS = 'contacted'
/** How many of a financial entity's last users are searched for the new one */
const LAST_USERS = 100
/** An id that can be printed as it is: anything else a target answers is not echoed */
const PLAIN_ID = /^[A-Za-z0-9._-]{1,128}$/

/** The throwaway lead's made-up data, and a lead id nobody has, drawn once per run */
interface Throwaway { nit: string, phone: string, email: string, unknownLead: string }
const throwaways = new WeakMap<Session, Throwaway>()

function throwawayOf (session: Session): Throwaway {
  let throwaway = throwaways.get(session)
  if (throwaway === undefined) {
    const digits = (count: number): string => Array.from({ length: count }, () => String(randomInt(10))).join('')
    throwaway = {
      nit: formatNit(`8${digits(8)}`),
      // Colombia's code and Claro's 300 prefix, then a 0: a line unlikely to be anyone's.
      phone: `573000${digits(6)}`,
      email: `conformance-${randomBytes(4).toString('hex')}@example.com`,
      unknownLead: randomUUID()
    }
    throwaways.set(session, throwaway)
  }
  return throwaway
}

async function post (side: Side, session: Session, path: string, body: unknown): Promise<Exchange> {
  return await side.http.send({
    method: 'POST',
    url: `${side.baseUrl}${path}`,
    headers: { authorization: `Bearer ${await session.token(side)}`, 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
}

async function get (side: Side, session: Session, pathAndQuery: string): Promise<Exchange> {
  return await side.http.send({ method: 'GET', url: `${side.baseUrl}${pathAndQuery}`, headers: { authorization: `Bearer ${await session.token(side)}` } })
}

/** A JSON body's value; undefined for a body that is no JSON */
function json (body: string): unknown {
  try {
    return JSON.parse(body) as unknown
  } catch {
    return undefined
  }
}

/** A member of a JSON object body; undefined for anything else */
function field (body: string, name: string): unknown {
  const value = json(body)
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined
}

/** The financial entity given: the settings ask for one with --write-cases */
const entityOf = (side: Side): string => side.financialEntity as string

/** The throwaway lead, created once per side: the case create-lead, and where the others take it from */
async function created (side: Side, session: Session): Promise<Exchange> {
  const { nit, phone, email } = throwawayOf(session)
  return await session.once(side, 'create-lead', async () =>
    await post(side, session, '/create-lead', { name: THROWAWAY_NAME, lastname: 'throwaway', nit, phone, email, ecosystem: side.ecosystem }))
}

/** The throwaway lead's id, as the side's create-lead answered it */
async function leadId (side: Side, session: Session): Promise<string> {
  const { status, body } = await created(side, session)
  const id = status === 200 ? field(body, 'id') : undefined
  if (typeof id !== 'string' || id === '') throw new Unavailable(`no lead to write: POST /create-lead answered ${status} without an id (see create-lead)`)
  return id
}

/** The throwaway lead turned into a client, once per side */
async function converted (side: Side, session: Session): Promise<Exchange> {
  const lead = await leadId(side, session)
  return await session.once(side, 'turn-into-client', async () =>
    await post(side, session, '/turn-lead-into-client', { lead_id: lead, financial_entity_id: entityOf(side) }))
}

/** The converted lead's id: the new user's, as the mock's user is the lead it was (inferred) */
async function convertedId (side: Side, session: Session): Promise<string> {
  const id = await leadId(side, session)
  const { status } = await converted(side, session)
  if (status !== 200) throw new Unavailable(`no user: POST /turn-lead-into-client answered ${status} (see turn-into-client)`)
  return id
}

const query = (name: string, value: string): string => `${name}=${encodeURIComponent(value)}`

/**
 * The write cases (`--write-cases`): one throwaway lead, created, updated, assigned to the
 * financial entity given and turned into a client, then looked for where a user is. In this order.
 */
export const WRITE_CASES: readonly Case[] = [
  {
    id: 'create-lead',
    title: `Create a lead (a throwaway, named "${THROWAWAY_NAME}"): the new lead, with its id and lead_status`,
    request: `POST /create-lead {name: "${THROWAWAY_NAME}", lastname, nit, phone, email, ecosystem}`,
    body: 'lead-with-status',
    send: created,
    check: (target, side) => {
      const lead = JSON.parse(target.body) as Lead
      return [
        ...lead.name === THROWAWAY_NAME ? [] : ['body.name: not the name sent'],
        ...normalizeEcosystem(lead.ecosystem) === normalizeEcosystem(side.ecosystem) ? [] : ['body.ecosystem: not the ecosystem sent']
      ]
    }
  },
  {
    id: 'update-lead',
    title: 'Update the lead\'s lead_status: the lead with it as status, and GET /lead?id= shows it after',
    request: `POST /update-lead {id, lead_status: "${NEW_STATUS}"}`,
    body: 'lead',
    send: async (side, session) => await post(side, session, '/update-lead', { id: await leadId(side, session), lead_status: NEW_STATUS }),
    check: async (target, side, session) => {
      const found = (JSON.parse(target.body) as Lead).status === NEW_STATUS ? [] : ['body.status: not the lead_status sent']
      const after = await get(side, session, `/lead?${query('id', await leadId(side, session))}`)
      if (after.status !== 200 || field(after.body, 'lead_status') !== NEW_STATUS) {
        found.push(`GET /lead?id= after it: ${after.status}, without the lead_status sent`)
      }
      return found
    }
  },
  {
    id: 'assign',
    title: 'Assign the lead to the financial entity: the lead',
    request: 'POST /assign-lead-to-financial-entity {lead_id, financial_entity_id}',
    body: 'lead',
    send: async (side, session) =>
      await post(side, session, '/assign-lead-to-financial-entity', { lead_id: await leadId(side, session), financial_entity_id: entityOf(side) }),
    check: async (target, side, session) => field(target.body, 'id') === await leadId(side, session) ? [] : ['body.id: not the lead sent']
  },
  {
    id: 'assign-unknown-lead',
    title: 'Assign a lead that does not exist',
    request: 'POST /assign-lead-to-financial-entity {lead_id: <random UUID>, financial_entity_id}',
    body: 'other',
    send: async (side, session) =>
      await post(side, session, '/assign-lead-to-financial-entity', { lead_id: throwawayOf(session).unknownLead, financial_entity_id: entityOf(side) })
  },
  {
    id: 'turn-into-client',
    title: 'Turn the lead into a client: the new user, with _id (not id), the lead\'s id (inferred)',
    request: 'POST /turn-lead-into-client {lead_id, financial_entity_id}',
    body: 'converted-user',
    send: converted,
    check: async (target, side, session) =>
      field(target.body, '_id') === await leadId(side, session) ? [] : ['body._id: not the lead\'s id (inferred: the user is the lead it was)']
  },
  {
    id: 'lead-gone',
    title: 'The converted lead is a lead no more: not found by id, not among its ecosystem\'s leads (inferred)',
    request: 'GET /lead?id=<id of the converted lead>',
    body: 'other',
    send: async (side, session) => await get(side, session, `/lead?${query('id', await convertedId(side, session))}`),
    check: async (_target, side, session) => {
      const id = await convertedId(side, session)
      const { status, body } = await get(side, session, `/lead${byEcosystem(side)}`)
      const leads = json(body)
      if (status !== 200 || !Array.isArray(leads)) return [`GET /lead?ecosystem= answered ${status} without a list of leads: whether it still lists the lead is unknown`]
      return leads.some((lead: { id?: unknown } | null) => lead?.id === id) ? ['GET /lead?ecosystem= still lists it'] : []
    }
  },
  {
    id: 'user-by-id',
    title: 'The new user by its id: the lead\'s keys, with id and available_quota',
    request: 'GET /user?id=<id of the converted lead>',
    body: 'user',
    send: async (side, session) => await get(side, session, `/user?${query('id', await convertedId(side, session))}`),
    check: async (target, side, session) => field(target.body, 'id') === await convertedId(side, session) ? [] : ['body.id: not the user asked for']
  },
  {
    id: 'user-by-nit',
    title: 'The new user by its NIT',
    request: 'GET /user?nit=<NIT of the converted lead>',
    body: 'user',
    send: async (side, session) => {
      await convertedId(side, session)
      return await get(side, session, `/user?${query('nit', throwawayOf(session).nit)}`)
    },
    check: (target, _side, session) => field(target.body, 'nit') === throwawayOf(session).nit ? [] : ['body.nit: not the NIT asked for']
  },
  {
    id: 'financial-entity-users',
    title: `The financial entity's users: size and a page, the new user among the last ${LAST_USERS} (inferred: in the order they became users)`,
    request: 'GET /financial-entity-users?id=<financial entity>&limit=1&offset=0',
    body: 'users-page',
    send: async (side, session) => {
      await convertedId(side, session)
      return await get(side, session, `/financial-entity-users?${query('id', entityOf(side))}&limit=1&offset=0`)
    },
    check: async (target, side, session) => {
      const id = await convertedId(side, session)
      const { size } = JSON.parse(target.body) as { size: number }
      const offset = Math.max(0, size - LAST_USERS)
      const { status, body } = await get(side, session, `/financial-entity-users?${query('id', entityOf(side))}&limit=${LAST_USERS}&offset=${offset}`)
      const data = status === 200 ? field(body, 'data') : undefined
      const listed = Array.isArray(data) && data.some((user: { uid?: unknown } | null) => user?.uid === id)
      return listed ? [] : [`body.data: the new user is not among the entity's last ${LAST_USERS} users (offset ${offset} answered ${status})`]
    }
  }
]

/**
 * What the write cases left on a side, for a person to remove: the throwaway lead, or the user it
 * became, or what may be there after a write that was sent and never answered. Undefined when
 * nothing was created, as far as the answers tell.
 */
export async function leftBehind (side: Side, session: Session): Promise<string | undefined> {
  const creation = await settled(session.sent(side, 'create-lead'))
  if (creation === undefined) return undefined
  const { nit, phone } = throwawayOf(session)
  const what = `"${THROWAWAY_NAME}" (NIT ${nit}, phone ${phone}) in ecosystem ${side.ecosystem}`
  if (creation === UNANSWERED) return `perhaps a lead ${what}: POST /create-lead was sent and not answered`
  if (creation.status !== 200) return undefined
  const id = field(creation.body, 'id')
  if (typeof id !== 'string') return `perhaps a lead ${what}: POST /create-lead answered 200 without an id`
  const lead = `lead ${PLAIN_ID.test(id) ? id : '(an id that is not plain text)'} ${what}`
  const conversion = await settled(session.sent(side, 'turn-into-client'))
  if (conversion === UNANSWERED) return `${lead}, perhaps a client of financial entity ${entityOf(side)} by now: POST /turn-lead-into-client was sent and not answered`
  return conversion?.status === 200 ? `user (the ${lead}), a client of financial entity ${entityOf(side)}` : lead
}

const UNANSWERED = 'unanswered'

/** A shared request's answer; UNANSWERED for one that was sent and failed (the deadline, the network) */
async function settled (answer: Promise<Exchange | undefined>): Promise<Exchange | typeof UNANSWERED | undefined> {
  try {
    return await answer
  } catch {
    return UNANSWERED
  }
}
