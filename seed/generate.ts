import type { Lead } from '../src/core/leads/schema.js'
import {
  AGENTS, BANKS, BUSINESS_ENTITIES, BUSINESS_KINDS, BUSINESS_NAMES, CHANNELS, CITIES, EMAIL_DOMAINS,
  FIRST_NAMES, LAST_NAMES, LEAD_SOURCES, MOBILE_PREFIXES, NOTES, PAYMENT_METHODS, STATUSES, STREET_TYPES
} from './colombia.js'
import { formatNit } from './nit.js'
import { Random } from './random.js'

export interface EcosystemSpec {
  id: string
  size: number
}

const DAY = 86_400_000
// Every date is an offset from this instant, so the data does not change with the clock.
const EPOCH = Date.UTC(2025, 0, 6, 13, 0, 0)

/**
 * Leads for the given ecosystems, in order, the same for the same seed on every run.
 * A generator, so that a million leads can be written without holding them all in memory.
 */
export function * generateLeads (ecosystems: readonly EcosystemSpec[], seed = 20260115): Generator<Lead> {
  const random = new Random(seed)
  let serial = 0
  for (const ecosystem of ecosystems) {
    for (let i = 0; i < ecosystem.size; i++) {
      yield lead(random, ecosystem.id, serial++)
    }
  }
}

function lead (random: Random, ecosystem: string, serial: number): Lead {
  const id = random.uuid()
  const name = random.pick(FIRST_NAMES)
  const lastname = `${random.pick(LAST_NAMES)} ${random.pick(LAST_NAMES)}`
  const { entity } = random.weighted(BUSINESS_ENTITIES)
  const natural = entity === 'Persona natural'
  const business = random.pick(BUSINESS_KINDS)
  const businessName = natural
    ? `${business.kind} ${name.split(' ')[0] as string}`
    : `${business.kind} ${random.pick(BUSINESS_NAMES)} ${entity}`
  // A person's NIT is their cédula; companies get the 9-digit bases DIAN hands out.
  const nitBase = natural ? `${random.int(1, 1_199_999_999)}` : `${random.pick(['800', '830', '860', '890', '900', '901'])}${random.digits(6)}`
  const place = random.pick(CITIES)
  const created = EPOCH + random.int(0, 600) * DAY + random.int(0, 36_000) * 1000
  const { status } = random.weighted(STATUSES)

  return {
    id,
    name,
    lastname,
    business_name: businessName,
    status,
    phone: mobile(random, serial),
    email: natural || random.chance(0.5) ? personalEmail(random, name, lastname) : `contacto@${slug(businessName)}.com.co`,
    nit: formatNit(nitBase),
    address: `${random.pick(STREET_TYPES)} ${random.int(1, 170)}${random.chance(0.2) ? random.pick(['A', 'B', 'C', 'Bis']) : ''} # ` +
      `${random.int(1, 120)}-${random.int(1, 99)}, ${random.pick(place.neighborhoods)}, ${place.city}, ${place.department}`,
    ecosystem,
    business_entity: entity,
    quota: random.int(10, 1600) * 50_000,
    image: random.chance(0.6) ? `https://cdn.leancore.example/leads/${id}.jpg` : null,
    score: random.chance(0.75) ? random.int(150, 950) : null,
    apn_token: random.chance(0.4) ? random.hex(64) : null,
    history: history(random, created, status),
    payment_data: random.chance(0.7) ? paymentData(random, created) : {},
    additional_data: random.chance(0.85)
      ? {
          source: random.pick(LEAD_SOURCES),
          sector: business.sector,
          employees: random.int(1, 40),
          monthly_sales_cop: random.int(20, 4000) * 100_000,
          years_in_business: random.int(0, 30)
        }
      : {}
  }
}

/** 57 + a mobile prefix + 7 digits; the 7 digits come from the serial, so no two leads share one. */
function mobile (random: Random, serial: number): string {
  const line = (serial * 7_919 + 1_234_567) % 10_000_000
  return `57${random.pick(MOBILE_PREFIXES)}${String(line).padStart(7, '0')}`
}

function personalEmail (random: Random, name: string, lastname: string): string {
  const first = slug(name.split(' ')[0] as string)
  const last = slug(lastname.split(' ')[0] as string)
  return `${first}.${last}${random.int(1, 99)}@${random.pick(EMAIL_DOMAINS)}`
}

// The same few hundred names come back again and again; slugging each once keeps a large seed fast.
const slugs = new Map<string, string>()

function slug (text: string): string {
  let slugged = slugs.get(text)
  if (slugged === undefined) {
    slugged = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '')
    slugs.set(text, slugged)
  }
  return slugged
}

// A CRM's history, kept to what a lead's card shows: creation, a step or two, the status change.
// Sized so that 100 leads weigh about as much as LeanCore's own (some 80 KB).
function history (random: Random, created: number, status: string): unknown[] {
  const events: unknown[] = [{ at: new Date(created).toISOString(), event: 'created', channel: random.pick(CHANNELS) }]
  if (status === 'new') return events
  let at = created
  const steps = random.int(0, 2)
  for (let i = 0; i < steps; i++) {
    at += random.int(1, 15) * DAY
    const event = random.pick(['contacted', 'note', 'document_uploaded'])
    events.push({
      at: new Date(at).toISOString(),
      event,
      agent: random.pick(AGENTS),
      ...(event === 'note' ? { note: random.pick(NOTES) } : { channel: random.pick(CHANNELS) })
    })
  }
  events.push({ at: new Date(at + DAY).toISOString(), event: 'status_changed', to: status })
  return events
}

function paymentData (random: Random, created: number): Record<string, unknown> {
  const paid = random.chance(0.6)
  return {
    bank: random.pick(BANKS),
    account_type: random.pick(['ahorros', 'corriente']),
    account_last4: random.digits(4),
    preferred_method: random.pick(PAYMENT_METHODS),
    billing_day: random.pick([5, 10, 15, 20, 25, 30]),
    currency: 'COP',
    last_payment: paid
      ? { date: new Date(created + random.int(30, 200) * DAY).toISOString().slice(0, 10), amount: random.int(4, 400) * 25_000 }
      : null
  }
}
