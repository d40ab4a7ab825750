// Look-alikes: what a recording holds in place of a lead's personal data. In process, one
// LookAlikes per recording, as recording() uses it: every lead first, then their free-form data.
import t from 'tap'
import {
  BUSINESS_KINDS, CITIES, EMAIL_DOMAINS, MOBILE_PREFIXES, STAND_IN_BUSINESS_NAMES, STAND_IN_FIRST_NAMES,
  STAND_IN_LAST_NAMES, STREET_TYPES
} from '../seed/colombia.js'
import { formatNit } from '../seed/nit.js'
import { LookAlikes } from '../src/conformance/lookalikes.js'
import { recording } from '../src/conformance/record.js'
import type { Lead } from '../src/core/leads/schema.js'

const ECOSYSTEM = 'fd3705e1-3149-4c41-bfe7-cf0bee79cfad'
const PLACEHOLDER = 'texto reemplazado'
const FRESH_URL = /^https:\/\/cdn\.leancore-mock\.example\/recorded\/[0-9a-f]{32}\.jpg$/
const EMAIL_LOOK_ALIKE = new RegExp(`^([a-z]+)\\.([a-z]+)([1-9]\\d?)@(${EMAIL_DOMAINS.join('|').replaceAll('.', '\\.')})$`)
const ADDRESS_LOOK_ALIKE = new RegExp(`^(${STREET_TYPES.join('|')}) (\\d+) # (\\d+)-(\\d+), ([^,]+), ([^,]+), ([^,]+)$`)
/** A first name (one or two words) and a surname, as the stand-in lists spell them */
const PERSON = /^\p{Lu}\p{L}*(?: \p{Lu}\p{L}*)+$/u

function lead (overrides: Partial<Lead> = {}): Lead {
  return {
    id: 'lead-1',
    name: 'Rosa Elvira',
    lastname: 'Cárdenas Pérez',
    business_name: 'Tienda Doña Rosa S.A.S.',
    status: 'approved',
    phone: '573136434030',
    email: 'rosa.cardenas@gmail.com',
    nit: '900123456-8',
    address: 'Calle 45 # 12-30, Chapinero, Bogotá, Bogotá D.C.',
    ecosystem: ECOSYSTEM,
    business_entity: 'S.A.S.',
    quota: 5000000,
    image: 'https://cdn.example.com/rosa.png',
    score: 712,
    apn_token: 'a3f9c2e1b7d45f60a3f9c2e1b7d45f60a3f9c2e1b7d45f60a3f9c2e1b7d45f60',
    history: [{ at: '2025-03-01T10:00:00.000Z', event: 'called' }],
    payment_data: { bank: 'Bancolombia' },
    additional_data: { sector: 'comercio_minorista' },
    ...overrides
  }
}

/** `count` leads with other ids, phones and names, as a real list has them */
function leads (count: number, overrides: (index: number) => Partial<Lead> = () => ({})): Lead[] {
  return Array.from({ length: count }, (_, index) => lead({
    id: `lead-${index}`,
    name: `Cliente${String.fromCharCode(97 + (index % 26))}${String.fromCharCode(97 + Math.floor(index / 26))}`,
    lastname: 'Arboleda Quintana',
    phone: `5731${String(index).padStart(8, '0')}`,
    email: `cliente${index}@example.com`,
    nit: `${800000000 + index * 7919}-${index % 10}`,
    business_name: `Tienda Número ${index} S.A.S.`,
    address: `Carrera ${index + 1} # 10-20, Laureles, Medellín, Antioquia`,
    ...overrides(index)
  }))
}

/** Each lead replaced, then its free-form data: the order recording() keeps. */
function record (originals: readonly Lead[]): { lookAlikes: LookAlikes, recorded: Lead[] } {
  const lookAlikes = new LookAlikes(originals)
  return { lookAlikes, recorded: originals.map((each) => lookAlikes.lead(each)) }
}

const slug = (text: string): string => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
const firstWord = (text: string): string => text.split(' ')[0] as string

t.test('a lead keeps its id, ecosystem, status, legal form, quota, score and free-form data; every personal field changes', async (t) => {
  const original = lead()
  const [recorded] = record([original]).recorded as [Lead]
  t.same(
    [recorded.id, recorded.ecosystem, recorded.status, recorded.business_entity, recorded.quota, recorded.score],
    [original.id, original.ecosystem, original.status, original.business_entity, original.quota, original.score]
  )
  t.equal(recorded.history, original.history, 'the JSON columns are left to freeForm')
  t.equal(recorded.payment_data, original.payment_data)
  t.equal(recorded.additional_data, original.additional_data)
  for (const field of ['name', 'lastname', 'business_name', 'phone', 'email', 'nit', 'address', 'apn_token', 'image'] as const) {
    t.not(recorded[field], original[field], `${field} is replaced`)
  }
  t.same(Object.keys(recorded).sort(), Object.keys(original).sort(), 'no field added or lost')
})

t.test('names and surnames come from the stand-in lists, two surnames for a lastname', async (t) => {
  for (const recorded of record(leads(30)).recorded) {
    t.ok((STAND_IN_FIRST_NAMES as readonly string[]).includes(recorded.name), `a stand-in first name: ${recorded.name}`)
    const surnames = recorded.lastname.split(' ')
    t.equal(surnames.length, 2, `two surnames: ${recorded.lastname}`)
    t.ok(surnames.every((part) => (STAND_IN_LAST_NAMES as readonly string[]).includes(part)), recorded.lastname)
  }
})

t.test('a business name becomes a kind of business and a stand-in name, with the legal form only where the original had it', async (t) => {
  const kinds = BUSINESS_KINDS.map(({ kind }) => kind).join('|')
  const names = STAND_IN_BUSINESS_NAMES.join('|')
  const { recorded } = record([
    lead({ id: 'with', business_name: 'Ferretería El Progreso S.A.S.', business_entity: 'S.A.S.' }),
    lead({ id: 'without', business_name: 'Ferretería El Triunfo', business_entity: 'S.A.S.', phone: '573001112233' }),
    lead({ id: 'natural', business_name: 'Panadería La 14 Persona natural', business_entity: 'Persona natural', phone: '573001112234' })
  ])
  const [withForm, withoutForm, natural] = recorded as [Lead, Lead, Lead]
  t.match(withForm.business_name, new RegExp(`^(${kinds}) (${names}) S\\.A\\.S\\.$`))
  t.match(withoutForm.business_name, new RegExp(`^(${kinds}) (${names})$`))
  t.match(natural.business_name, new RegExp(`^(${kinds}) (${names}) Persona natural$`))
})

t.test('a Colombian mobile keeps 57 and a mobile prefix; another number keeps only its length', async (t) => {
  const { recorded } = record([
    lead({ id: 'co', phone: '573136434030' }),
    lead({ id: 'us', phone: '13105550123' }),
    lead({ id: 'short', phone: '4445566' }),
    lead({ id: 'no-code', phone: '3136434031' }),
    lead({ id: 'plus', phone: '+573136434032' }),
    lead({ id: 'long', phone: '5731364340331' }),
    ...Array.from({ length: 10 }, (_, index) => lead({ id: `landline-${index}`, phone: `5760444455${index}0` }))
  ])
  const [co, us, short, noCode, plus, long] = recorded as [Lead, Lead, Lead, Lead, Lead, Lead]
  const mobile = /^57(\d{3})\d{7}$/.exec(co.phone)
  t.ok(mobile !== null && (MOBILE_PREFIXES as readonly string[]).includes(mobile[1] as string), co.phone)
  t.match(us.phone, /^\d{11}$/)
  t.not(us.phone, '13105550123')
  t.match(short.phone, /^\d{7}$/)
  t.match(noCode.phone, /^\d{10}$/, 'without its country code a mobile is just ten digits')
  t.match(plus.phone, /^\d{13}$/, 'with a + before it, thirteen digits')
  t.match(long.phone, /^\d{13}$/, 'a digit more, thirteen digits')
  const landlines = recorded.slice(6).map(({ phone }) => phone)
  t.ok(landlines.every((phone) => /^\d{12}$/.test(phone)), 'a Colombian landline keeps its length')
  t.notOk(landlines.some((phone) => MOBILE_PREFIXES.some((prefix) => phone.startsWith(`57${prefix}`))), 'and is not made a mobile')
})

t.test('links are not searched for names: a person named like a word of them still gets an image and links', async (t) => {
  // Every link look-alike is https://cdn.leancore-mock.example/recorded/...
  const { lookAlikes, recorded } = record([lead({ lastname: 'Leancore Recorded' })])
  const [person] = recorded as [Lead]
  t.match(person.image, FRESH_URL)
  t.match(lookAlikes.freeForm('https://tienda.example.co/a'), FRESH_URL)
})

t.test('no two leads get the same phone, even when the draws collide', async (t) => {
  // Two-digit phones: 40 draws from 100 values collide, so the look-alike is drawn again.
  const originals = leads(40, (index) => ({ phone: String(10 + index) }))
  const phones = record(originals).recorded.map(({ phone }) => phone)
  t.equal(new Set(phones).size, originals.length)
  t.ok(phones.every((phone) => /^\d{2}$/.test(phone)), 'each as long as its original')
  t.ok(phones.every((phone, index) => phone !== originals[index]?.phone), 'none keeps its own')
})

t.test('when no clean look-alike exists, recording fails and names the kind instead of drawing for ever', async (t) => {
  // Every email look-alike ends in .com or .co.
  t.throws(() => record([lead({ email: '.co' })]), { message: /^cannot record: every email look-alike in 1000 draws held a recorded value or name;/ })
  t.throws(() => new LookAlikes([lead({ email: '.co' })]).freeForm('otra.persona@example.com'), { message: /every email look-alike/ }, 'an email in the data too')
  // Every link look-alike is on cdn.leancore-mock.example.
  t.throws(() => new LookAlikes([lead({ address: 'mock.example' })]).freeForm('https://tienda.example.co/a'), { message: /every url look-alike/ })
  // Every business look-alike starts with one of the kinds.
  const kinds = leads(BUSINESS_KINDS.length, (index) => ({ business_name: (BUSINESS_KINDS[index] as { kind: string }).kind }))
  t.throws(() => record(kinds), { message: /every business look-alike/ })
  // 102 phones of two characters, and only 100 two-digit numbers to give them.
  t.throws(() => record(leads(102, (index) => ({ phone: index < 100 ? String(index).padStart(2, '0') : `+${index - 99}` }))), { message: /every phone look-alike/ })
  t.throws(() => recording([lead({ email: '.co' })]), { message: /^cannot record: every email look-alike/ }, 'before anything could be written')
})

t.test('leads that share a phone, a name or an address share the look-alike', async (t) => {
  const { recorded } = record([lead({ id: 'a' }), lead({ id: 'b', email: 'otro@example.com' })])
  const [a, b] = recorded as [Lead, Lead]
  t.same([b.name, b.lastname, b.phone, b.nit, b.address, b.business_name], [a.name, a.lastname, a.phone, a.nit, a.address, a.business_name])
  t.not(b.email, a.email, 'another email gets another look-alike')
})

t.test('an email goes with the look-alike name, accents and second names left out', async (t) => {
  let accented = 0
  for (const recorded of record(leads(60)).recorded) {
    const parts = EMAIL_LOOK_ALIKE.exec(recorded.email)
    t.ok(parts !== null, recorded.email)
    t.equal(parts?.[1], slug(firstWord(recorded.name)), `${recorded.email} for ${recorded.name}`)
    t.equal(parts?.[2], slug(firstWord(recorded.lastname)), `${recorded.email} for ${recorded.lastname}`)
    if (slug(recorded.name) !== recorded.name.toLowerCase()) accented++
  }
  t.ok(accented > 0, 'some look-alike names carry accents')
})

t.test('a NIT keeps the length of its base, within 6 to 15 digits, and gets DIAN\'s check digit', async (t) => {
  const cases: Array<[string, number]> = [
    ['900123456-8', 9], ['900.123.456-8', 9], ['12345-6', 6], ['1234567-1', 7],
    ['123456789012345-1', 15], ['1234567890123456-0', 15], ['8001972684', 10]
  ]
  const originals = cases.map(([nit], index) => lead({ id: `nit-${index}`, nit, phone: `5730011122${index}0` }))
  const recorded = record(originals).recorded
  for (const [index, [original, length]] of cases.entries()) {
    const nit = (recorded[index] as Lead).nit
    const [base] = nit.split('-') as [string]
    t.equal(base.length, length, `${original} -> ${nit}`)
    t.equal(formatNit(base), nit, `a valid check digit: ${nit}`)
  }
})

t.test('a NIT look-alike never starts with a zero', async (t) => {
  const nits = record(leads(200, (index) => ({ nit: `${700000000 + index}-1` }))).recorded.map(({ nit }) => nit)
  t.notOk(nits.some((nit) => nit.startsWith('0')), 'no leading zero')
  t.ok(nits.some((nit) => nit.startsWith('9')), 'nine is a first digit too')
})

t.test('an address becomes a Colombian street address in a real neighbourhood, city and department', async (t) => {
  const numbers: number[][] = []
  const lookAlikes = new LookAlikes([])
  const addresses = [
    ...record(leads(20)).recorded.map(({ address }) => address),
    ...Array.from({ length: 2000 }, (_, index) => lookAlikes.freeForm(`Calle ${index} # 1-2`) as string)
  ]
  const unlike = addresses.filter((address) => {
    const [, , street, building, door, neighborhood, city, department] = ADDRESS_LOOK_ALIKE.exec(address) ?? []
    const place = CITIES.find((each) => each.city === city)
    numbers.push([Number(street), Number(building), Number(door)])
    return place === undefined || place.department !== department || !(place.neighborhoods as readonly string[]).includes(neighborhood as string)
  })
  t.same(unlike, [], 'every one a street type, numbers, a neighbourhood of its city, the city and its department')
  for (const [index, max] of [170, 120, 99].entries()) {
    const drawn = numbers.map((each) => each[index] as number)
    t.same([Math.min(...drawn), Math.max(...drawn)], [1, max], `numbers from 1 to ${max}`)
  }
})

t.test('an APNs token stays hex and a token of another kind gets base64url, each as long as before', async (t) => {
  const fcm = `fcm:${'APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx_'.repeat(60)}`
  const { recorded } = record([
    lead({ id: 'apns', apn_token: 'A3F9C2E1B7D45F60A3F9C2E1B7D45F60' }),
    lead({ id: 'fcm', apn_token: fcm, phone: '573001112233' }),
    lead({ id: 'hex-end', apn_token: 'fcm:0123456789abcdef', phone: '573001112235' }),
    lead({ id: 'none', apn_token: null, image: null, phone: '573001112234' })
  ])
  const [apns, other, hexEnd, none] = recorded as [Lead, Lead, Lead, Lead]
  t.match(hexEnd.apn_token, /[^0-9a-f]/, 'hex at the end only is not an APNs token')
  t.match(apns.apn_token, /^[0-9a-f]{32}$/)
  t.equal(other.apn_token?.length, fcm.length)
  const alphabet = new Set(other.apn_token)
  t.equal(alphabet.size, 64, 'every base64url character is drawn')
  t.ok([...alphabet].every((character) => /[A-Za-z0-9_-]/.test(character)), 'and nothing else')
  t.equal(none.apn_token, null, 'no token stays none')
  t.equal(none.image, null, 'no image stays none')
  t.match(apns.image, FRESH_URL, 'an image gets a fresh URL')
})

t.test('the same leads give the same look-alikes in every recording, byte for byte', async (t) => {
  const originals = leads(20)
  t.same(record(originals).recorded, record(originals).recorded)
  // Pinned: a recording committed as fixture data stays what it was when the code is rebuilt.
  t.same(record([lead()]).recorded[0], {
    ...lead(),
    name: 'Jaime',
    lastname: 'Lopera Echeverri',
    business_name: 'Comercializadora Buena Vista S.A.S.',
    phone: '573502340864',
    email: 'jaime.lopera12@gmail.com',
    nit: '769873254-1',
    address: 'Diagonal 135 # 11-36, El Poblado, Medellín, Antioquia',
    apn_token: '463ede60b25ccc02c90ab23d0e07ad8c79d5151c9057660dec3209d59cb28942',
    image: 'https://cdn.leancore-mock.example/recorded/a1b0502d11174312ca8001bb66960bf2.jpg'
  })
})

t.test('when every stand-in name is a recorded person\'s, the look-alikes are made-up words that share nothing with them', async (t) => {
  const businessWords = STAND_IN_BUSINESS_NAMES.join(' ')
  const everyone = lead({
    id: 'everyone',
    name: STAND_IN_FIRST_NAMES.join(' '),
    lastname: `${STAND_IN_LAST_NAMES.join(' ')} ${businessWords}`,
    additional_data: { contacto: 'Pedro Pablo Pérez', correo: 'pedro.perez@example.com' }
  })
  const { lookAlikes, recorded } = record([everyone])
  const [replaced] = recorded as [Lead]
  const taken = new Set(slug(`${everyone.name} ${everyone.lastname}`).split(/[^a-z]+/))
  t.match(replaced.name, /^[A-Z][a-z]+$/, `a made-up name: ${replaced.name}`)
  // Pinned: the made-up word is the one drawn right after the last stand-in attempt.
  t.same([replaced.name, replaced.lastname, replaced.business_name], ['Misasa', 'Benesa Ritodo', 'Restaurante Vesami S.A.S.'])
  t.match(replaced.lastname, /^[A-Z][a-z]+ [A-Z][a-z]+$/, `made-up surnames: ${replaced.lastname}`)
  t.match(replaced.business_name, new RegExp(`^(${BUSINESS_KINDS.map(({ kind }) => kind).join('|')}) [A-Z][a-z]+ S\\.A\\.S\\.$`))
  for (const word of slug(`${replaced.name} ${replaced.lastname} ${replaced.business_name}`).split(/[^a-z]+/)) {
    t.notOk(taken.has(word), `${word} is no one's name`)
  }
  t.match(replaced.email, EMAIL_LOOK_ALIKE)
  const data = lookAlikes.freeForm(everyone.additional_data) as { contacto: string, correo: string }
  t.match(data.contacto, /^[A-Z][a-z]+ [A-Z][a-z]+$/, 'a name in the data gets made-up words too')
  t.match(data.correo, /^[a-z]+\.[a-z]+[1-9]\d?@/)
  t.notOk(STAND_IN_FIRST_NAMES.some((name) => data.correo.startsWith(`${slug(firstWord(name))}.`)), data.correo)
})

t.test('a made-up name is three syllables: six to nine letters, capitalised', async (t) => {
  const everyone = lead({ name: STAND_IN_FIRST_NAMES.join(' '), lastname: STAND_IN_LAST_NAMES.join(' ') })
  const { lookAlikes } = record([everyone])
  // Names in the data that the stand-ins cannot replace: 60 of them, 120 made-up words.
  const words = Array.from({ length: 60 }, (_, index) => lookAlikes.freeForm(`Persona Cliente${String.fromCharCode(97 + (index % 26), 97 + Math.floor(index / 26))}`) as string)
    .flatMap((name) => name.split(' '))
  t.equal(words.length, 120)
  t.same(words.filter((word) => !/^[A-Z][a-z]{5,8}$/.test(word)), [], 'every word')
})

t.test('a value in the free-form data that repeats a lead\'s personal data gets that lead\'s look-alike', async (t) => {
  const [a, b] = leads(2) as [Lead, Lead]
  const { lookAlikes, recorded } = record([a, b])
  const [ra, rb] = recorded as [Lead, Lead]
  t.same(lookAlikes.freeForm({
    celular: a.phone,
    whatsapp: Number(a.phone),
    correo: a.email,
    referido: b.name,
    nit: b.nit,
    direccion: b.address,
    foto: a.image
  }), {
    celular: ra.phone,
    whatsapp: Number(ra.phone),
    correo: ra.email,
    referido: rb.name,
    nit: rb.nit,
    direccion: rb.address,
    foto: ra.image
  })
})

t.test('dates, booleans, null, codes, short numbers and free text with nothing personal stay as they were', async (t) => {
  const lookAlikes = record([lead()]).lookAlikes
  const kept = {
    fecha: '2025-01-06',
    hora: '2025-03-01T10:00:00.000Z',
    local: '2025-03-01 10:00',
    minutos: '2025-03-01T10:00',
    zona: '2025-03-01T10:00:00+05:00',
    compacta: '2025-03-01T10:00:00-0500',
    sector: 'comercio_minorista',
    nota: 'Envió cámara de comercio',
    ciudad: 'Medellín',
    pedido: 'pedido 123456',
    dia: '5',
    vacio: '',
    banco: 'banco de bogotá',
    activo: true,
    baja: null,
    empleados: 12,
    cupo: 1.5,
    largo: 30011122334,
    negativo: -3001112233,
    fraccion: 3001112233.5,
    otro: 4001112233,
    etiquetas: ['cliente frecuente', 7],
    anidado: { mas: [{ nivel: 'tres' }] }
  }
  t.same(lookAlikes.freeForm(kept), kept)
  t.equal(lookAlikes.freeForm(undefined), undefined)
})

t.test('text that is almost a date is digits, scrambled, or a sentence holding a number, replaced', async (t) => {
  const lookAlikes = new LookAlikes([])
  for (const text of ['2025-3-01', '12025-03-01', '2025-03-01 10', '2025-03-011', '(2025) 03 01']) {
    const replaced = lookAlikes.freeForm(text) as string
    t.not(replaced, text, text)
    t.equal(replaced.replace(/\d/g, '0'), text.replace(/\d/g, '0'), `${text} keeps its format: ${replaced}`)
  }
  for (const text of ['2025-03-01T10', '2025-03-01T10:00:00Z1', '2025-03-01T10:00:00.', '2025-03-01T1000', '2025-03-01T10:00:00+5:00', '2025-03-01 10:00:00 +05']) {
    t.equal(lookAlikes.freeForm(text), PLACEHOLDER, text)
  }
})

t.test('the look-alikes in the data are pinned too: a recording made again is the same file', async (t) => {
  const data = { email: 'otra.persona@example.com', link: 'https://tienda.example.co/pedidos', nit: '800197268-4', digits: '(604) 444 5566', address: 'Carrera 43A # 1-50', name: 'Katherine Mora', mobile: 3001112233 }
  t.same(new LookAlikes([]).freeForm(data), {
    email: 'giovanny.montoya86@gmail.com',
    link: 'https://cdn.leancore-mock.example/recorded/3830f4b3b642e9790fb55a6d8f590042.jpg',
    nit: '213406357-0',
    digits: '(627) 953 9406',
    address: 'Avenida Carrera 51 # 35-5, Bastidas, Santa Marta, Magdalena',
    name: 'Esperanza Yepes',
    mobile: 3687997038
  })
})

t.test('emails, links and NITs in the data get look-alikes of their kind, the same each time they appear', async (t) => {
  const lookAlikes = record([lead()]).lookAlikes
  const email = lookAlikes.freeForm('otra.persona@example.com') as string
  t.match(email, EMAIL_LOOK_ALIKE)
  t.equal(lookAlikes.freeForm('otra.persona@example.com'), email, 'the same email, the same look-alike')
  t.not(lookAlikes.freeForm('tercera.persona@example.com'), email)
  for (const link of ['https://tienda.example.co/pedidos', 'HTTP://TIENDA.EXAMPLE.CO/X']) {
    t.match(lookAlikes.freeForm(link), FRESH_URL, link)
  }
  const nit = lookAlikes.freeForm('800197268-4') as string
  t.equal(formatNit(nit.split('-')[0] as string), nit, 'a NIT with its check digit')
  t.match(nit, /^\d{9}-\d$/)
  t.match(lookAlikes.freeForm('123456-7'), /^\d{6}-\d$/, 'six digits is a NIT')
  const digits = lookAlikes.freeForm('12345-6') as string
  t.match(digits, /^1\d{4}-\d$/, 'five digits is only digits, its first one kept')
})

t.test('digit strings keep their format and first digit, and never come back unchanged', async (t) => {
  const lookAlikes = new LookAlikes([])
  t.match(lookAlikes.freeForm('(604) 444 5566'), /^\(6\d\d\) \d{3} \d{4}$/)
  t.match(lookAlikes.freeForm('+57 300 111 2233'), /^\+5\d \d{3} \d{3} \d{4}$/)
  for (let number = 10; number < 100; number++) {
    const replaced = lookAlikes.freeForm(String(number)) as string
    t.ok(replaced !== String(number) && replaced.length === 2 && replaced[0] === String(number)[0], `${number} -> ${replaced}`)
  }
  t.equal(lookAlikes.freeForm('7'), '7', 'a lone digit is nobody\'s')
  t.equal(lookAlikes.freeForm('-'), '-', 'nor is a dash')
})

t.test('a Colombian mobile as a number gets another, with or without its country code', async (t) => {
  const lookAlikes = new LookAlikes([])
  const mobile = lookAlikes.freeForm(3001112233) as number
  t.match(String(mobile), /^3\d{9}$/)
  t.not(mobile, 3001112233)
  const withCode = lookAlikes.freeForm(573001112233) as number
  t.match(String(withCode), /^5\d{11}$/)
  t.not(withCode, 573001112233)
  t.equal(lookAlikes.freeForm('3001112233'), String(mobile), 'as text, the same look-alike')
})

t.test('an address in the data gets an address, whatever the street type is called', async (t) => {
  const lookAlikes = new LookAlikes([])
  for (const text of ['Carrera 43A # 1-50, El Poblado, Medellín', 'cra. 7 # 12-3', 'Cl 80 sur', 'KR 5', 'Av. 68 # 1-2', 'tv 3', 'dg 12b', 'Calle 1', 'Avenida 19 # 100-20', 'Transversal 5', 'Diagonal 40A']) {
    t.match(lookAlikes.freeForm(text), ADDRESS_LOOK_ALIKE, text)
  }
  t.equal(lookAlikes.freeForm('calle real'), 'calle real', 'a street without a number is only words')
  t.match(lookAlikes.freeForm('Calle Real'), PERSON, 'and capitalised, it looks like a name')
  t.equal(lookAlikes.freeForm('Calles 5'), 'Calles 5', 'another word is no street type')
})

t.test('a sentence holding a phone, an email or a link becomes a placeholder', async (t) => {
  const lookAlikes = new LookAlikes([])
  for (const text of ['escribir a rosa@example.com', 'rosa@example.com hoy', 'ver https://tienda.example.co/a', 'https://tienda.example.co/a hoy', 'NIT 900123456-8', '900123456-8 ok', '3001234567abc']) {
    t.equal(lookAlikes.freeForm(text), PLACEHOLDER, text)
  }
  t.equal(lookAlikes.freeForm('Llamar al 300 111 2233 mañana'), PLACEHOLDER)
  t.equal(lookAlikes.freeForm('pedido 1234567'), PLACEHOLDER, 'seven digits is a phone')
  t.equal(lookAlikes.freeForm('pedido 123456'), 'pedido 123456', 'six is not')
  t.equal(lookAlikes.freeForm('escribir a rosa@example.com hoy'), PLACEHOLDER)
  t.equal(lookAlikes.freeForm('ver ftp://archivos.example.co'), PLACEHOLDER)
  t.equal(lookAlikes.freeForm('ver tienda.example.co'), 'ver tienda.example.co', 'a bare host is no link')
})

t.test('a sentence holding an address, or anyone\'s name, becomes a placeholder', async (t) => {
  const lookAlikes = new LookAlikes([])
  for (const text of ['vive en la Calle 45 # 12-30', 'vive en calle  45', 'vive en la cra. 7', 'vive en la calle No.45', 'en la CL 5 sur']) {
    t.equal(lookAlikes.freeForm(text), PLACEHOLDER, text)
  }
  for (const text of ['llamó Katherine Mora', 'Katherine Mora llamó', 'llamó Katherine  Mora', 'visita de María de  la Cruz', 'visita de María de la Cruz ayer', 'llamó Mari\u0301a Go\u0301mez']) {
    t.equal(lookAlikes.freeForm(text), PLACEHOLDER, text)
  }
  for (const text of ['contestó la señora Gómez', 'Habló con el Sr. Gómez', 'Sra. Ruiz pide cupo', 'pagó doña Rosa', 'cita con la Dra.  Vélez', 'el Dr. Vélez', 'Don Pedro llamó', 'llamó don Pedro', 'dijo el señor Ñúñez']) {
    t.equal(lookAlikes.freeForm(text), PLACEHOLDER, text)
  }
  for (const text of ['pago con Nequi', 'Pago hoy', 'la señora pagó', 'don de gentes', 'sr. ausente', 'pago cordon Rosa', 'pago PSE Bancolombia', 'pago en Banco PSE', 'vamos por la calle real', 'incl 5 ítems', 'Bancolombia S.A. 2024']) {
    t.equal(lookAlikes.freeForm(text), text, `${text} is neither`)
  }
  for (const text of ['Calle  45 # 12-30', 'Calle No.45 # 12-30']) {
    t.match(lookAlikes.freeForm(text), ADDRESS_LOOK_ALIKE, `${text} is an address`)
  }
})

t.test('a bank or a place is nobody\'s name, alone or in a sentence', async (t) => {
  const lookAlikes = new LookAlikes([])
  for (const text of ['Banco de Bogotá', 'BBVA Colombia', 'Norte de Santander', 'Se envió a Banco de Bogotá', 'Visita en Santa Marta', 'Pago Nequi pendiente', 'Transferencia Bancolombia aprobada', 'Vive en El Poblado, Medellín']) {
    t.equal(lookAlikes.freeForm(text), text, text)
  }
  t.equal(lookAlikes.freeForm('Katherine Mora en Santa Marta'), PLACEHOLDER, 'a name beside a place still goes')
  t.match(lookAlikes.freeForm('Katherine Mora'), PERSON)
})

t.test('a street type\'s common abbreviations make an address too', async (t) => {
  const lookAlikes = new LookAlikes([])
  for (const text of ['Cll 45 # 12-30', 'Kra 7 # 45-10', 'Cr 7 # 45-10', 'Ak 68 # 24-10', 'Ac 26 # 10-5']) {
    t.match(lookAlikes.freeForm(text), ADDRESS_LOOK_ALIKE, text)
    t.equal(lookAlikes.freeForm(`Visita en ${text}`), PLACEHOLDER, `in a sentence: ${text}`)
  }
})

t.test('a key of the free-form data that holds personal data is replaced; any other key stays', async (t) => {
  const original = lead()
  const { lookAlikes, recorded } = record([original])
  const [person] = recorded as [Lead]
  const data = lookAlikes.freeForm({ [original.email]: 1, [original.phone]: 2, [original.name]: 3, cedula: 4, 'contacto Rosa': 5, 'Katherine Mora': 6 })
  t.same(data, { [person.email]: 1, [person.phone]: 2, [person.name]: 3, cedula: 4, 'texto reemplazado 5': 5, 'Katherine Mora': 6 })
})

t.test('text that looks like a name gets a name, particles and all', async (t) => {
  const lookAlikes = new LookAlikes([])
  for (const text of ['Katherine Mora', 'Katherine  Mora', 'María de  la Cruz', 'María de los Ángeles', 'Juan y Pedro', 'Ana del Carmen Ruiz', 'María de las Mercedes', 'Banco de la República', 'D\'Artagnan Saint-Jean']) {
    const replaced = lookAlikes.freeForm(text) as string
    t.match(replaced, PERSON, `${text} -> ${replaced}`)
    t.not(replaced, text)
  }
  for (const text of ['Katherine', 'banco de Bogotá', 'Banco  de bogotá', 'Bancolombia S.A.', 'Banco de la']) {
    t.equal(lookAlikes.freeForm(text), text, `${text} is no name`)
  }
  t.equal(lookAlikes.freeForm('Katherine Mora'), lookAlikes.freeForm('Katherine Mora'), 'the same name, the same look-alike')
})

t.test('free text that mentions a recorded person or holds an original value goes', async (t) => {
  const { lookAlikes } = record([lead({ name: 'Ana', lastname: 'Pérez Yo', business_name: 'zx', apn_token: 'abc' })])
  t.equal(lookAlikes.freeForm('visita con PEREZ el lunes'), PLACEHOLDER, 'a surname, whatever its case and accents')
  t.equal(lookAlikes.freeForm('saludos a ana'), PLACEHOLDER, 'a three-letter name')
  t.equal(lookAlikes.freeForm('yo voy'), 'yo voy', 'a two-letter word is no one\'s name')
  t.equal(lookAlikes.freeForm('código xabcx'), PLACEHOLDER, 'an original value inside a word')
  t.equal(lookAlikes.freeForm('código zxy'), 'código zxy', 'an original shorter than three characters is not searched')
  t.equal(lookAlikes.freeForm('Mariana'), 'Mariana', 'a name word is a whole word, not part of one')
})

t.test('a look-alike never contains an original value or a recorded name word', async (t) => {
  // Originals that the first draws would contain: every stand-in surname and kind of business.
  const originals = leads(25, (index) => ({
    name: STAND_IN_FIRST_NAMES[index] as string,
    lastname: STAND_IN_LAST_NAMES[index] as string,
    // Half the kinds of business: the other half still make a business name.
    business_name: BUSINESS_KINDS[index % 7]?.kind as string,
    address: index === 0 ? 'Bogotá' : `Calle ${index}`
  }))
  const { recorded } = record(originals)
  const text = JSON.stringify(recorded.map((each) => [each.name, each.lastname, each.business_name, each.phone, each.email, each.nit, each.address]))
  for (const each of originals) {
    for (const value of [each.name, each.lastname, each.business_name, each.phone, each.email, each.nit, each.address]) {
      t.notOk(text.includes(value), `no ${value}`)
    }
  }
  t.ok(recorded.every(({ business_name: name }) => name.split(' ').length >= 2), 'a business name is still a kind and a name')
})

t.test('a recording holds each lead once, in the order first seen, checked and with its free-form data replaced', async (t) => {
  const [a, b] = leads(2)
  const first = { ...(a as Lead), additional_data: { contacto: (b as Lead).phone, nota: 'cliente frecuente' }, history: [{ agente: 'Katherine Mora' }], payment_data: { titular: `${(a as Lead).name} ${(a as Lead).lastname}` } }
  const { text, leads: count } = recording([first, b as Lead, { ...first, name: 'Repetido' }])
  t.equal(count, 2)
  t.ok(text.endsWith('}\n]\n'), 'a JSON array and a final newline')
  t.ok(text.startsWith('[\n  {\n    "id": '), 'indented by two spaces')
  const [ra, rb] = JSON.parse(text) as [Lead, Lead]
  t.same([ra.id, rb.id], ['lead-0', 'lead-1'])
  t.equal((ra.additional_data as Record<string, unknown>).contacto, rb.phone, 'the other lead\'s phone, its look-alike')
  t.equal((ra.additional_data as Record<string, unknown>).nota, 'cliente frecuente')
  t.match((ra.history as Array<Record<string, unknown>>)[0]?.agente, PERSON)
  t.not((ra.history as Array<Record<string, unknown>>)[0]?.agente, 'Katherine Mora')
  t.match((ra.payment_data as Record<string, unknown>).titular, PERSON, 'the holder, a name, gets a name')
  t.not((ra.payment_data as Record<string, unknown>).titular, `${(a as Lead).name} ${(a as Lead).lastname}`)
  t.notOk(text.includes('Repetido'), 'a lead seen again is the first one seen')
  t.notOk(text.includes((a as Lead).phone), 'no original phone')
})

t.test('a recording refuses leads that would not load', async (t) => {
  t.throws(() => recording([lead({ ecosystem: 'not-a-uuid' })]), { name: 'LeadValidationError' })
  t.same(recording([]), { text: '[]\n', leads: 0 }, 'no leads is an empty recording')
})
