// --record: the leads a target answered with become fixture data, personal data replaced.
// Recorded from a leancore-mock seeded with generated leads (not the demo seed), replayed by a
// second one started from the recording.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import {
  EMAIL_DOMAINS, MOBILE_PREFIXES, STAND_IN_BUSINESS_NAMES, STAND_IN_FIRST_NAMES, STAND_IN_LAST_NAMES, STREET_TYPES
} from '../seed/colombia.js'
import { generateLeads } from '../seed/generate.js'
import { formatNit } from '../seed/nit.js'
import { runConformance, startServer, type ConformanceOptions, type Lead, type MockServer } from '../src/index.js'
import { startProxy, temporaryDirectory } from './helper.js'

const TOKEN = 'record-suite-token'
const CLIENT = { id: 'record-suite-client', secret: 'record-suite-secret' }
const ECOSYSTEM = '3f2a9c1e-8b7d-4e6f-a5c4-1d2e3f4a5b6c'
/** The fields whose values are personal data, all replaced */
const PERSONAL = ['name', 'lastname', 'business_name', 'phone', 'email', 'nit', 'address', 'apn_token', 'image'] as const
const KEPT = ['id', 'status', 'ecosystem', 'business_entity', 'quota', 'score'] as const

async function target (t: Test, seed: Lead[]): Promise<MockServer> {
  const mock = await startServer({ seed, tokens: [TOKEN], oauthClients: [CLIENT] })
  t.after(() => mock.close())
  return mock
}

function options (baseUrl: string, phone: string, record?: string): ConformanceOptions {
  return { baseUrl, ecosystem: ECOSYSTEM, phone, token: TOKEN, clientId: CLIENT.id, clientSecret: CLIENT.secret, record }
}

/** A value with every leaf replaced by its JSON type: what "the same shape" means. */
function skeleton (value: unknown): unknown {
  if (Array.isArray(value)) return value.map(skeleton)
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, skeleton(item)]))
  return value === null ? 'null' : typeof value
}

/** Every original value of a personal field, and every word of a name, that appears in `text` */
function survivors (originals: Lead[], text: string): string[] {
  const found: string[] = []
  for (const lead of originals) {
    for (const field of PERSONAL) {
      const value = lead[field]
      if (typeof value === 'string' && value.length >= 3 && text.includes(value)) found.push(`${lead.id} ${field}: ${value}`)
    }
  }
  return found
}

/** Two words or more, letters only: a person's name */
const PERSON = /^\p{Lu}\p{L}*(?: \p{Lu}\p{L}*)+$/u

const generated = (size: number, seed: number): Lead[] => [...generateLeads([{ id: ECOSYSTEM, size }], seed)]

t.test('record from generated leads, replay the recording: the kit reports the same, and no original survives', async (t) => {
  const originals = generated(40, 31337)
  const original = await target(t, originals)
  const file = join(temporaryDirectory(t), 'recording.json')
  const phone = (originals[5] as Lead).phone
  const first = await runConformance(options(original.url, phone, file))
  t.same(first.summary, { same: 18, differs: 0, skipped: 0 })
  t.same(first.recording, { file, leads: 40 })

  const text = readFileSync(file, 'utf8')
  const recorded = JSON.parse(text) as Lead[]
  t.same(survivors(originals, text), [], 'no name, lastname, business name, phone, email, NIT, address, APNs token or image URL of the original')
  t.same(recorded.map(({ id }) => id), originals.map(({ id }) => id), 'every lead, in order, by id')
  for (const [index, lead] of recorded.entries()) {
    const source = originals[index] as Lead
    for (const field of KEPT) t.equal(lead[field], source[field], `${lead.id} keeps its ${field}`)
    for (const field of ['history', 'payment_data', 'additional_data'] as const) t.same(skeleton(lead[field]), skeleton(source[field]), `${lead.id}: the shape of ${field}`)
    t.equal(lead.image === null, source.image === null, 'an image stays an image, none stays none')
    t.equal(lead.apn_token === null, source.apn_token === null)
  }

  const replay = await startServer({ seed: file, tokens: [TOKEN], oauthClients: [CLIENT] })
  t.after(() => replay.close())
  const second = await runConformance(options(replay.url, (recorded[5] as Lead).phone))
  t.same(second.summary, { same: 18, differs: 0, skipped: 0 }, 'the replay answers like the original')
  t.same(second.cases.map(({ id, verdict, target }) => [id, verdict, target?.status]), first.cases.map(({ id, verdict, target }) => [id, verdict, target?.status]))
})

t.test('look-alikes are realistic and of the same kind', async (t) => {
  const originals = generated(60, 4242)
  const original = await target(t, originals)
  const file = join(temporaryDirectory(t), 'recording.json')
  await runConformance(options(original.url, (originals[0] as Lead).phone, file))
  const recorded = JSON.parse(readFileSync(file, 'utf8')) as Lead[]
  const streets = STREET_TYPES.join('|')
  for (const [index, lead] of recorded.entries()) {
    const source = originals[index] as Lead
    t.ok((STAND_IN_FIRST_NAMES as readonly string[]).includes(lead.name), `a Colombian first name: ${lead.name}`)
    t.ok(lead.lastname.split(' ').every((part) => (STAND_IN_LAST_NAMES as readonly string[]).includes(part)) && lead.lastname.split(' ').length === 2, `two surnames: ${lead.lastname}`)
    t.ok(STAND_IN_BUSINESS_NAMES.some((name) => lead.business_name.includes(name)), lead.business_name)
    t.equal(lead.business_name.endsWith(` ${lead.business_entity}`), source.business_name.endsWith(` ${source.business_entity}`), 'the legal form stays where it was')
    const mobile = /^57(\d{3})\d{7}$/.exec(lead.phone)
    t.ok(mobile !== null && (MOBILE_PREFIXES as readonly string[]).includes(mobile[1] as string), `57, a mobile prefix, 7 digits: ${lead.phone}`)
    const [base, digit] = lead.nit.split('-') as [string, string]
    t.equal(formatNit(base), lead.nit, `a valid check digit: ${lead.nit}`)
    t.equal(base.length, (source.nit.split('-')[0] as string).length, 'as long as the original')
    t.ok(digit.length === 1)
    t.match(lead.email, new RegExp(`^[a-z]+\\.[a-z]+\\d{1,2}@(${EMAIL_DOMAINS.join('|').replaceAll('.', '\\.')})$`))
    t.ok(lead.email.startsWith(`${lead.name.split(' ')[0]?.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase() as string}.`), 'the email goes with the name')
    t.match(lead.address, new RegExp(`^(${streets}) \\d+ # \\d+-\\d+, [^,]+, [^,]+, [^,]+$`))
    if (lead.apn_token !== null) t.match(lead.apn_token, /^[0-9a-f]{64}$/)
    if (lead.image !== null) t.match(lead.image, /^https:\/\/cdn\.leancore-mock\.example\/recorded\/[0-9a-f]{32}\.jpg$/)
  }
  t.equal(new Set(recorded.map(({ phone }) => phone)).size, recorded.length, 'a phone still finds one lead')

  const again = join(temporaryDirectory(t), 'again.json')
  await runConformance(options(original.url, (originals[0] as Lead).phone, again))
  t.equal(readFileSync(again, 'utf8'), readFileSync(file, 'utf8'), 'the same recording, byte for byte, every time')
})

t.test('personal data inside history, payment_data and additional_data is replaced too, keeping the shape', async (t) => {
  const [a, b, c] = generated(3, 99) as [Lead, Lead, Lead]
  a.apn_token = 'fcm:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx'
  a.history = [
    { at: '2025-03-01T10:00:00.000Z', event: 'note', agent: 'Katherine Mora', note: 'Envió RUT y cámara de comercio' },
    { at: '2025-03-02T10:00:00.000Z', event: 'note', note: `Llamar a ${a.name} al ${a.phone}` }
  ]
  a.payment_data = { bank: 'Bancolombia', account_last4: '8663', billing_day: '5', holder: `${a.name} ${a.lastname}` }
  a.additional_data = {
    contacto: { celular: a.phone, correo: a.email, whatsapp: Number(a.phone), fijo: '(604) 444 5566', otro_movil: 3001112233 },
    referido_por: b.name,
    referido_correo: b.email,
    proveedor_nit: '800197268-4',
    sitio: 'https://tienda.example.co/pedidos',
    correo_alterno: 'otra.persona@example.com',
    entregar_en: 'Carrera 43A # 1-50, El Poblado, Medellín',
    visita: `visita con ${(a.lastname.split(' ')[0] as string).toLowerCase()} el lunes`,
    empleados: 12,
    activo: true,
    baja: null,
    sector: 'comercio_minorista',
    fecha: '2025-01-06',
    etiquetas: ['cliente frecuente', 'Banco de la República', 'Banco de Bogotá']
  }
  // A lead with no history yet, a number that is not a Colombian mobile, a surname left empty.
  b.history = []
  c.phone = '13105550123'
  c.lastname = ''
  const originals = [a, b, c]
  const original = await target(t, originals)
  const file = join(temporaryDirectory(t), 'recording.json')
  const report = await runConformance(options(original.url, a.phone, file))
  t.same(report.summary, { same: 18, differs: 0, skipped: 0 })
  const text = readFileSync(file, 'utf8')
  const [ra, rb, rc] = JSON.parse(text) as [Lead, Lead, Lead]

  t.same(survivors(originals, text), [])
  for (const value of ['Katherine', 'Mora', '3001112233', '5566', '800197268-4', 'tienda.example.co', 'otra.persona', 'Carrera 43A # 1-50', 'APA91bHun4']) {
    t.notOk(text.includes(value), `no ${value}`)
  }
  t.same(skeleton(ra.additional_data), skeleton(a.additional_data))
  t.same(skeleton(ra.history), skeleton(a.history))
  t.same(skeleton(ra.payment_data), skeleton(a.payment_data))

  const extra = ra.additional_data as Record<string, unknown> & { contacto: Record<string, unknown>, etiquetas: string[] }
  t.same(extra.contacto.celular, ra.phone, 'a lead\'s phone repeated in its data gets the same look-alike')
  t.same(extra.contacto.correo, ra.email)
  t.same(extra.contacto.whatsapp, Number(ra.phone), 'also as a number')
  t.match(extra.contacto.fijo, /^\(6\d\d\) \d{3} \d{4}$/, 'a landline keeps its format')
  t.match(String(extra.contacto.otro_movil), /^3\d{9}$/, 'a mobile as a number stays one')
  t.same(extra.referido_por, rb.name, 'another lead\'s name gets that lead\'s look-alike')
  t.same(extra.referido_correo, rb.email)
  const [nitBase] = (extra.proveedor_nit as string).split('-') as [string]
  t.equal(formatNit(nitBase), extra.proveedor_nit, 'a NIT gets a NIT, with its check digit')
  t.match(extra.sitio, /^https:\/\/cdn\.leancore-mock\.example\/recorded\/[0-9a-f]{32}\.jpg$/)
  t.match(extra.correo_alterno, /^[a-z]+\.[a-z]+\d{1,2}@/)
  t.match(extra.entregar_en, new RegExp(`^(${STREET_TYPES.join('|')}) \\d+ # \\d+-\\d+, `), 'an address gets an address')
  t.equal(extra.visita, 'texto reemplazado', 'free text naming a lead goes')
  t.match(extra, { empleados: 12, activo: true, baja: null, sector: 'comercio_minorista', fecha: '2025-01-06' }, 'numbers, booleans, codes and dates stay')
  t.equal(extra.etiquetas[0], 'cliente frecuente', 'free text with nothing personal stays')
  t.match(extra.etiquetas[1], PERSON, 'anything that looks like a name gets a name')
  t.notOk(extra.etiquetas[1]?.includes('República'))
  t.equal(extra.etiquetas[2], 'Banco de Bogotá', 'but a bank or a place is nobody\'s name')

  const [agentNote, callNote] = ra.history as [Record<string, unknown>, Record<string, unknown>]
  t.match(agentNote, { agent: PERSON, note: 'Envió RUT y cámara de comercio' })
  t.not(agentNote.agent, 'Katherine Mora')
  t.equal(callNote.note, 'texto reemplazado', 'a sentence holding a phone goes')
  t.match(ra.payment_data, { bank: 'Bancolombia', account_last4: /^8\d{3}$/, billing_day: '5', holder: PERSON })
  t.not((ra.payment_data as Record<string, unknown>).account_last4, '8663')

  t.match(ra.apn_token, /^[A-Za-z0-9_-]+$/, 'an FCM token gets a token')
  t.equal(ra.apn_token?.length, a.apn_token.length, 'as long')
  t.match(rc.phone, /^\d{11}$/, 'another country\'s number keeps its length')
  t.not(rc.phone, c.phone)
  t.match(rc.lastname, PERSON)
})

t.test('even data that holds every stand-in name gets look-alikes that share no word with it', async (t) => {
  // Every stand-in first name, surname and business word is someone's name here, so the
  // look-alikes must be made up.
  const words = [...new Set(STAND_IN_BUSINESS_NAMES.flatMap((name) => name.split(' ')).filter((word) => word.length >= 3))]
  const originals = generated(STAND_IN_FIRST_NAMES.length, 7).map((lead, index) => ({
    ...lead,
    name: STAND_IN_FIRST_NAMES[index] as string,
    lastname: `${STAND_IN_LAST_NAMES[index] as string} ${words[index % words.length] as string}`,
    additional_data: { contacto: 'Pedro Pérez', correo: 'pedro.perez@example.com' }
  }))
  const original = await target(t, originals)
  const file = join(temporaryDirectory(t), 'recording.json')
  const report = await runConformance(options(original.url, (originals[0] as Lead).phone, file))
  t.same(report.summary, { same: 18, differs: 0, skipped: 0 })
  const text = readFileSync(file, 'utf8')
  const recorded = JSON.parse(text) as Lead[]
  t.same(survivors(originals, text), [])
  const nameWords = new Set(originals.flatMap(({ name, lastname }) => `${name} ${lastname}`.split(' ')))
  for (const lead of recorded) {
    for (const word of `${lead.name} ${lead.lastname}`.split(' ')) t.notOk(nameWords.has(word), `${word} is no one's name in the data`)
    t.match(lead.name, /^[A-Z][a-z]+$/, 'a made-up name')
    t.notOk(STAND_IN_BUSINESS_NAMES.some((name) => lead.business_name.includes(name)), lead.business_name)
    t.match(lead.additional_data, { contacto: /^[A-Z][a-z]+ [A-Z][a-z]+$/, correo: /^[a-z]+\.[a-z]+\d{1,2}@/ })
  }
})

t.test('only the leads of cases that are the same are recorded', async (t) => {
  const originals = generated(5, 11)
  const original = await target(t, originals)
  // The list answers leads of another ecosystem; the phone lookup is right.
  const proxy = await startProxy(t, original.url, (answer, request) => request.url.startsWith('/lead?ecosystem=') && answer.status === 200
    ? { ...answer, body: JSON.stringify((JSON.parse(answer.body) as Lead[]).map((lead) => ({ ...lead, ecosystem: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }))) }
    : answer)
  const file = join(temporaryDirectory(t), 'recording.json')
  const lines: string[] = []
  const report = await runConformance({ ...options(proxy.url, (originals[2] as Lead).phone, file), progress: (line) => lines.push(line) })
  t.equal(report.cases.find(({ id }) => id === 'ecosystem')?.verdict, 'differs')
  t.same(report.recording, { file, leads: 1 })
  t.same((JSON.parse(readFileSync(file, 'utf8')) as Lead[]).map(({ id }) => id), [(originals[2] as Lead).id])
  t.equal(lines.at(-1), `recorded 1 leads in ${file}`)
})
