import t from 'tap'
import { DEMO_ECOSYSTEMS, demoLeads } from '../seed/demo.js'
import { generateLeads } from '../seed/generate.js'
import { formatNit } from '../seed/nit.js'
import { Random } from '../seed/random.js'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE } from '../src/core/leads/schema.js'
import { validateLeads } from '../src/core/leads/validate.js'

t.test("DIAN's check digit matches NITs published by real companies", async (t) => {
  // DIAN, Bancolombia, Ecopetrol, Almacenes Éxito, Davivienda
  for (const nit of ['800197268-4', '890903938-8', '899999068-1', '890900608-9', '860034313-7']) {
    t.equal(formatNit(nit.slice(0, -2)), nit, nit)
  }
  t.not(formatNit('800197268'), '800197268-5', 'a wrong digit is caught')
  t.equal(formatNit('1'), '1-8', 'remainders of 0 and 1 stand for themselves, others are 11 - r')
  t.throws(() => formatNit('12a'), /a NIT base is 1 to 15 digits/)
})

t.test('the demo data is the same on every run', async (t) => {
  t.same(demoLeads(), demoLeads())
  t.not(JSON.stringify([...generateLeads(DEMO_ECOSYSTEMS, 1)]), JSON.stringify([...generateLeads(DEMO_ECOSYSTEMS, 2)]), 'and the seed matters')
})

t.test('the demo data has several ecosystems of different sizes, the docs example among them', async (t) => {
  const leads = demoLeads()
  const sizes = new Map<string, number>()
  for (const lead of leads) sizes.set(lead.ecosystem, (sizes.get(lead.ecosystem) ?? 0) + 1)
  t.same([...sizes.entries()], DEMO_ECOSYSTEMS.map(({ id, size }) => [id, size]))
  t.ok(sizes.size >= 3)
  t.ok(new Set(sizes.values()).size === sizes.size, 'all sizes differ')
  const example = leads.find((lead) => lead.phone === EXAMPLE_PHONE)
  t.equal(example?.ecosystem, EXAMPLE_ECOSYSTEM, "the docs' phone belongs to the docs' ecosystem")
})

t.test('every demo lead is valid against the lead schema, with unique ids and phones', async (t) => {
  const leads = demoLeads()
  t.same(validateLeads(leads), leads)
  t.equal(new Set(leads.map((lead) => lead.phone)).size, leads.length)
})

t.test('demo leads look like a Colombian CRM', async (t) => {
  const leads = demoLeads()
  const bad = (check: (lead: typeof leads[number]) => boolean): string[] => leads.filter((lead) => !check(lead)).map((lead) => lead.id)
  t.same(bad((lead) => /^\d{1,15}-\d$/.test(lead.nit) && formatNit(lead.nit.slice(0, -2)) === lead.nit), [], 'every NIT has its DIAN check digit')
  t.same(bad((lead) => /^573\d{9}$/.test(lead.phone)), [], 'every phone is a mobile: 57, then 3, then 9 digits')
  t.same(bad((lead) => /^(Calle|Carrera|Avenida Calle|Avenida Carrera|Transversal|Diagonal) \d+[A-Za-z]* # \d+-\d+, .+, .+, .+$/.test(lead.address)), [], 'addresses are Colombian')
  t.same(bad((lead) => /^[^@\s]+@[^@\s]+\.[a-z.]+$/.test(lead.email)), [], 'emails are well formed')
  t.same(bad((lead) => lead.history.length > 0), [], 'every lead has at least its creation event')
  t.ok(new Set(leads.map((lead) => lead.status)).size >= 5, 'statuses vary')
  t.ok(leads.some((lead) => Object.keys(lead.payment_data).length === 0), 'some payment_data is empty')
  t.ok(leads.some((lead) => Object.keys(lead.payment_data).length > 0), 'some payment_data is filled')
  t.ok(leads.some((lead) => lead.score === null) && leads.some((lead) => lead.score !== null), 'score is sometimes null')
  t.ok(leads.some((lead) => /[áéíóúñ]/i.test(`${lead.name} ${lead.lastname}`)), 'Spanish names keep their accents')
})

t.test('Random draws stay within their bounds', async (t) => {
  const random = new Random(7)
  for (let i = 0; i < 1000; i++) {
    const n = random.int(3, 5)
    t.ok(n >= 3 && n <= 5)
  }
  const picks = new Set<string>()
  for (let i = 0; i < 200; i++) picks.add(random.weighted([{ weight: 1, v: 'a' }, { weight: 1, v: 'b' }, { weight: 0, v: 'never' }]).v)
  t.same([...picks].sort(), ['a', 'b'])
  for (let i = 0; i < 20; i++) t.match(random.uuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  for (const length of [1, 5, 8, 13, 64]) t.match(random.hex(length), new RegExp(`^[0-9a-f]{${length}}$`), `hex(${length})`)
})
