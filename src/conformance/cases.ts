import { randomBytes, randomUUID } from 'node:crypto'
import { BEARER_TOKEN } from '../core/formats.js'
import { EXAMPLE_ECOSYSTEM, type Lead } from '../core/leads/schema.js'
import { normalizeEcosystem } from '../core/leads/validate.js'
import type { Client, Exchange, Request } from './client.js'
import type { Body } from './compare.js'
import type { Settings } from './options.js'

/**
 * One server the cases are sent to: the target, or the kit's own leancore-mock. Each has its own
 * token and client; the ecosystem, the phone and the financial entity are the same on both, the
 * mock holding made-up leads and a made-up financial entity under them.
 */
export type Side = Pick<Settings, 'baseUrl' | 'tokenUrl' | 'ecosystem' | 'phone' | 'token' | 'client' | 'financialEntity'> & { http: Client }

/** Why a case cannot be sent: it is reported as skipped, with this reason. */
export class Unavailable extends Error {}

export interface Case {
  id: string
  /** What it checks, in a sentence */
  title: string
  /** The request, as the report shows it: no token, no secret, no phone */
  request: string
  body: Body
  send: (side: Side, session: Session) => Promise<Exchange>
  /** What the target must also do that no comparison shows (leads of the ecosystem asked for); run once the shapes are right */
  check?: (target: Exchange, side: Side, session: Session) => string[] | Promise<string[]>
  /** The target answered an empty list, so there was no lead to compare: skipped, with this reason */
  whenEmpty?: string
  /** Its leads go into the recording */
  recorded?: boolean
}

/** A well-formed phone that no lead is likely to have: Colombia's code, a Claro prefix, a line of zeros. */
const UNKNOWN_PHONE = '573000000000'
/** The docs' ecosystem one character short */
const MALFORMED_UUID = EXAMPLE_ECOSYSTEM.slice(0, -1)
const UNSUPPORTED_GRANT = 'urn:leancore-mock:unsupported-grant'
const NO_CREDENTIALS = 'no client credentials (--client-id and --client-secret, or LEANCORE_CLIENT_ID and LEANCORE_CLIENT_SECRET)'

/**
 * What one run asks each side once and shares between cases: the random UUID of the empty
 * ecosystem, the wrong token, and each side's answer from the token endpoint.
 */
export class Session {
  readonly emptyEcosystem = randomUUID()
  readonly wrongToken = `wrong-${randomBytes(16).toString('hex')}`
  /** Each shared request's answer, by name, then by side */
  readonly #answers = new Map<string, Map<Side, Promise<Exchange>>>()

  /** `heard` hears of every token an endpoint issues, so that none is ever printed or written. */
  constructor (readonly heard: (token: string) => void = () => {}) {}

  /**
   * The side's answer to a request several cases share, sent once per side: a token, the leads
   * of the ecosystem, a write that must happen once.
   */
  async once (side: Side, name: string, send: () => Promise<Exchange>): Promise<Exchange> {
    const answers = this.#answers.get(name) ?? new Map<Side, Promise<Exchange>>()
    this.#answers.set(name, answers)
    let exchange = answers.get(side)
    if (exchange === undefined) {
      exchange = send()
      answers.set(side, exchange)
    }
    return await exchange
  }

  /** The side's answer to a shared request, if it was sent */
  async sent (side: Side, name: string): Promise<Exchange | undefined> {
    return await this.#answers.get(name)?.get(side)
  }

  /** The token endpoint's answer to the side's client credentials, asked once per side. */
  async tokenExchange (side: Side): Promise<Exchange> {
    const { id, secret } = clientOf(side)
    return await this.once(side, 'token', async () => await side.http.send(tokenRequest(side.tokenUrl, id, secret, 'client_credentials')))
  }

  /** The side's answer to GET /lead?ecosystem=, asked once per side: the ecosystem case, and where the lookups take their lead from */
  async ecosystemExchange (side: Side): Promise<Exchange> {
    return await this.once(side, 'ecosystem', async () => await side.http.send(leadRequest(side, byEcosystem(side), `Bearer ${await this.token(side)}`)))
  }

  /** The first lead the side answered for the ecosystem: the lead the lookups by id and NIT ask for */
  async firstLead (side: Side): Promise<{ id: string, nit: string }> {
    const { status, body } = await this.ecosystemExchange(side)
    const lead = firstLeadOf(body)
    if (lead === undefined) throw new Unavailable(`no lead to look up: GET /lead?ecosystem= answered ${status} without a lead that has a text id and nit (see ecosystem)`)
    return lead
  }

  /** A token from the side's token endpoint */
  async issuedToken (side: Side): Promise<string> {
    const { status, body } = await this.tokenExchange(side)
    const token = accessToken(body)
    if (token !== undefined) this.heard(token)
    if (token === undefined) throw new Unavailable(`no token: the token endpoint answered ${status} without an access_token (see token-success)`)
    // fetch would refuse to send it, and the target would look unreachable.
    if (!BEARER_TOKEN.test(token)) throw new Unavailable(`no token: the token endpoint answered ${status} with an access_token that a Bearer header cannot carry (see token-success)`)
    return token
  }

  /** The token GET /lead is sent with: the one given, or one from the token endpoint */
  async token (side: Side): Promise<string> {
    return side.token ?? await this.issuedToken(side)
  }
}

function accessToken (body: string): string | undefined {
  try {
    const token = (JSON.parse(body) as { access_token?: unknown }).access_token
    return typeof token === 'string' ? token : undefined
  } catch {
    return undefined
  }
}

function firstLeadOf (body: string): { id: string, nit: string } | undefined {
  try {
    const [lead] = JSON.parse(body) as Array<{ id?: unknown, nit?: unknown }>
    return typeof lead?.id === 'string' && typeof lead.nit === 'string' ? { id: lead.id, nit: lead.nit } : undefined
  } catch {
    return undefined
  }
}

function leadRequest (side: Side, query: string, authorization: string | undefined): Request {
  return { method: 'GET', url: `${side.baseUrl}/lead${query}`, headers: authorization === undefined ? {} : { authorization } }
}

/** RFC 6749's client authentication: Basic, with id and secret form-encoded first. */
function basic (id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`
}

/** A token request as RFC 6749 sends it: the grant type in a form body. */
function tokenRequest (url: string, id: string, secret: string, grantType: string): Request {
  return {
    method: 'POST',
    url,
    headers: { authorization: basic(id, secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: grantType }).toString()
  }
}

/** A token request as LeanCore's own app sends it: the grant type in the query string, no body, no Content-Type. */
function queryTokenRequest (url: string, id: string, secret: string): Request {
  const withGrant = new URL(url)
  withGrant.searchParams.set('grant_type', 'client_credentials')
  return { method: 'POST', url: withGrant.toString(), headers: { authorization: basic(id, secret) } }
}

function phoneOf (side: Side): string {
  if (side.phone === undefined) throw new Unavailable('no phone given (--phone): give the phone of one of the account\'s leads')
  return side.phone
}

function clientOf (side: Side): { id: string, secret: string } {
  if (side.client === undefined) throw new Unavailable(NO_CREDENTIALS)
  return side.client
}

/** Each lead's ecosystem must be the one asked for, in any spelling of the UUID. */
function ofTheEcosystem (target: Exchange, side: Side): string[] {
  const leads = JSON.parse(target.body) as Lead[]
  const others = leads.filter((lead) => normalizeEcosystem(lead.ecosystem) !== normalizeEcosystem(side.ecosystem)).length
  return others === 0 ? [] : [`body[].ecosystem: not the ecosystem asked for (${others} of ${leads.length} leads)`]
}

export const byEcosystem = (side: Side): string => `?ecosystem=${encodeURIComponent(side.ecosystem)}`

/** The cases, in the order they run and are reported. */
export const CASES: readonly Case[] = [
  {
    id: 'ecosystem',
    title: 'The leads of an ecosystem: an array of leads, each of that ecosystem',
    request: 'GET /lead?ecosystem=<ecosystem>',
    body: 'leads',
    send: async (side, session) => await session.ecosystemExchange(side),
    check: ofTheEcosystem,
    whenEmpty: 'the target has no leads in this ecosystem, so there is no lead to compare; give an ecosystem that has leads (--ecosystem)',
    recorded: true
  },
  {
    id: 'phone',
    title: 'The lead with a phone: one lead object, with that phone',
    request: 'GET /lead?phone=<phone>',
    body: 'lead',
    send: async (side, session) => await side.http.send(leadRequest(side, `?phone=${phoneOf(side)}`, `Bearer ${await session.token(side)}`)),
    check: (target, side) => (JSON.parse(target.body) as Lead).phone === side.phone ? [] : ['body.phone: not the phone asked for'],
    recorded: true
  },
  {
    id: 'lead-by-id',
    title: 'The lead with an id (the first of the ecosystem): one lead object with lead_status, as LeanCore\'s clients read it',
    request: 'GET /lead?id=<id of the first lead of the ecosystem>',
    body: 'lead-with-status',
    send: async (side, session) => {
      const { id } = await session.firstLead(side)
      return await side.http.send(leadRequest(side, `?id=${encodeURIComponent(id)}`, `Bearer ${await session.token(side)}`))
    },
    check: async (target, side, session) => (JSON.parse(target.body) as Lead).id === (await session.firstLead(side)).id ? [] : ['body.id: not the lead asked for']
  },
  {
    id: 'lead-by-nit',
    title: 'The lead with a NIT (the first of the ecosystem): one lead object with lead_status, as LeanCore\'s clients read it',
    request: 'GET /lead?nit=<nit of the first lead of the ecosystem>',
    body: 'lead-with-status',
    send: async (side, session) => {
      const { nit } = await session.firstLead(side)
      return await side.http.send(leadRequest(side, `?nit=${encodeURIComponent(nit)}`, `Bearer ${await session.token(side)}`))
    },
    check: async (target, side, session) => (JSON.parse(target.body) as Lead).nit === (await session.firstLead(side)).nit ? [] : ['body.nit: not the NIT asked for']
  },
  {
    id: 'phone-unknown',
    title: 'A phone no lead has',
    request: `GET /lead?phone=${UNKNOWN_PHONE}`,
    body: 'other',
    send: async (side, session) => await side.http.send(leadRequest(side, `?phone=${UNKNOWN_PHONE}`, `Bearer ${await session.token(side)}`))
  },
  {
    id: 'ecosystem-empty',
    title: 'A well-formed ecosystem with no leads',
    request: 'GET /lead?ecosystem=<random UUID>',
    body: 'leads',
    send: async (side, session) => await side.http.send(leadRequest(side, `?ecosystem=${session.emptyEcosystem}`, `Bearer ${await session.token(side)}`))
  },
  {
    id: 'ecosystem-malformed',
    title: 'An ecosystem that is not a UUID',
    request: `GET /lead?ecosystem=${MALFORMED_UUID}`,
    body: 'other',
    send: async (side, session) => await side.http.send(leadRequest(side, `?ecosystem=${MALFORMED_UUID}`, `Bearer ${await session.token(side)}`))
  },
  {
    id: 'no-parameter',
    title: 'Neither ecosystem nor phone',
    request: 'GET /lead',
    body: 'other',
    send: async (side, session) => await side.http.send(leadRequest(side, '', `Bearer ${await session.token(side)}`))
  },
  {
    id: 'both-parameters',
    title: 'Both ecosystem and phone',
    request: `GET /lead?ecosystem=<ecosystem>&phone=<phone, or ${UNKNOWN_PHONE}>`,
    body: 'other',
    send: async (side, session) => await side.http.send(leadRequest(side, `${byEcosystem(side)}&phone=${side.phone ?? UNKNOWN_PHONE}`, `Bearer ${await session.token(side)}`))
  },
  {
    id: 'auth-missing',
    title: 'No Authorization header',
    request: 'GET /lead?ecosystem=<ecosystem>, no Authorization',
    body: 'other',
    send: async (side) => await side.http.send(leadRequest(side, byEcosystem(side), undefined))
  },
  {
    id: 'auth-basic',
    title: 'Another scheme: Basic',
    request: 'GET /lead?ecosystem=<ecosystem>, Basic <made-up credentials>',
    body: 'other',
    send: async (side) => await side.http.send(leadRequest(side, byEcosystem(side), `Basic ${Buffer.from('conformance:not-a-secret').toString('base64')}`))
  },
  {
    id: 'auth-wrong-token',
    title: 'A token the server never issued',
    request: 'GET /lead?ecosystem=<ecosystem>, Bearer <wrong token>',
    body: 'other',
    send: async (side, session) => await side.http.send(leadRequest(side, byEcosystem(side), `Bearer ${session.wrongToken}`))
  },
  {
    id: 'auth-lowercase-bearer',
    title: 'The scheme in lower case: bearer',
    request: 'GET /lead?ecosystem=<ecosystem>, bearer <token>',
    body: 'leads',
    send: async (side, session) => await side.http.send(leadRequest(side, byEcosystem(side), `bearer ${await session.token(side)}`))
  },
  {
    id: 'token-success',
    title: 'Client credentials get a token: access_token, token_type, expires_in',
    request: 'POST <token-url>, client credentials',
    body: 'other',
    send: async (side, session) => await session.tokenExchange(side)
  },
  {
    id: 'token-query-grant',
    title: 'grant_type in the query string, Basic credentials, no body: a token, as LeanCore\'s own app asks',
    request: 'POST <token-url>?grant_type=client_credentials, client credentials, no body',
    body: 'other',
    send: async (side) => {
      const { id, secret } = clientOf(side)
      return await side.http.send(queryTokenRequest(side.tokenUrl, id, secret))
    }
  },
  {
    id: 'token-wrong-credentials',
    title: 'A wrong client secret',
    request: 'POST <token-url>, a wrong client secret',
    body: 'other',
    send: async (side, session) => await side.http.send(tokenRequest(side.tokenUrl, clientOf(side).id, session.wrongToken, 'client_credentials'))
  },
  {
    id: 'token-unsupported-grant',
    title: 'An unsupported grant_type',
    request: `POST <token-url>, grant_type=${UNSUPPORTED_GRANT}`,
    body: 'other',
    send: async (side) => {
      const { id, secret } = clientOf(side)
      return await side.http.send(tokenRequest(side.tokenUrl, id, secret, UNSUPPORTED_GRANT))
    }
  },
  {
    id: 'token-opens-lead',
    title: 'A token from the token endpoint opens GET /lead',
    request: 'GET /lead?ecosystem=<ecosystem>, Bearer <token from token-success>',
    body: 'leads',
    send: async (side, session) => await side.http.send(leadRequest(side, byEcosystem(side), `Bearer ${await session.issuedToken(side)}`))
  }
]
