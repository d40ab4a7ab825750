import t from 'tap'
import { demoLeads } from '../seed/demo.js'
import { LeadValidationError, normalizeEcosystem, validateLeads } from '../src/core/leads/validate.js'

const [lead] = demoLeads()

t.test('fixture data must be an array of leads', async (t) => {
  for (const [input, kind] of [[null, 'null'], [{}, 'object'], ['x', 'string']] as const) {
    t.throws(() => validateLeads(input), new LeadValidationError(`expected an array of leads, got ${kind}`))
  }
  t.same(validateLeads([]), [])
})

t.test('an invalid lead is named by position and id, with the field that is wrong', async (t) => {
  const cases: Array<[unknown, string]> = [
    [{ ...lead, quota: '5000' }, `lead 1 (id "${lead?.id as string}"): field quota: expected number`],
    [{ ...lead, phone: '+57 313 643 4030' }, `lead 1 (id "${lead?.id as string}"): field phone: expected string to match '^[0-9]{7,15}$'`],
    [{ ...lead, ecosystem: 'eco-1' }, `lead 1 (id "${lead?.id as string}"): field ecosystem: expected string to match 'uuid' format`],
    [{ ...lead, image: 'not a url' }, `lead 1 (id "${lead?.id as string}"): field image: expected a uri string or null`],
    [{ ...lead, score: '700' }, `lead 1 (id "${lead?.id as string}"): field score: expected a number or null`],
    [{ ...lead, nickname: 'Rosi' }, `lead 1 (id "${lead?.id as string}"): field nickname: unexpected property`],
    [{ ...lead, id: 7 }, 'lead 1: field id: expected string'],
    [{ ...lead, name: undefined }, `lead 1 (id "${lead?.id as string}"): field name: expected string`],
    [Object.fromEntries(Object.entries(lead as object).filter(([key]) => key !== 'email')), `lead 1 (id "${lead?.id as string}"): field email: expected required property`],
    [{ ...lead, id: '' }, 'lead 1 (id ""): field id: expected string length greater or equal to 1'],
    [{ ...lead, id: 'x'.repeat(129) }, `lead 1 (id "${'x'.repeat(129)}"): field id: expected string length less or equal to 128`],
    [{ ...lead, ecosystem: `x${lead?.ecosystem as string}` }, `lead 1 (id "${lead?.id as string}"): field ecosystem: expected string to match 'uuid' format`],
    [{ ...lead, ecosystem: `${lead?.ecosystem as string}0` }, `lead 1 (id "${lead?.id as string}"): field ecosystem: expected string to match 'uuid' format`],
    [{ ...lead, image: ' https://cdn.example.com/rosa.png' }, `lead 1 (id "${lead?.id as string}"): field image: expected a uri string or null`],
    [{ ...lead, image: 'https://cdn.example.com/rosa perez.png' }, `lead 1 (id "${lead?.id as string}"): field image: expected a uri string or null`],
    [{ ...lead, image: 'https://[cdn.example.com/rosa.png' }, `lead 1 (id "${lead?.id as string}"): field image: expected a uri string or null`],
    ['a lead', 'lead 1: the lead: expected object'],
    [null, 'lead 1: the lead: expected object']
  ]
  for (const [bad, message] of cases) {
    t.throws(() => validateLeads([lead, bad]), new LeadValidationError(message), message)
  }
})

t.test('an id repeated within one batch is refused, naming both positions', async (t) => {
  t.throws(() => validateLeads([lead, { ...lead, phone: '573000000001' }]),
    new LeadValidationError(`lead 1 (id "${lead?.id as string}"): repeats the id of lead 0`))
})

t.test('optional fields are filled in and the ecosystem is normalized', async (t) => {
  const { image, score, apn_token: apnToken, history, payment_data: paymentData, additional_data: additionalData, ...required } = lead as NonNullable<typeof lead>
  const [filled] = validateLeads([{ ...required, ecosystem: `URN:UUID:${required.ecosystem.toUpperCase()}` }])
  t.same(filled, { ...required, image: null, score: null, apn_token: null, history: [], payment_data: {}, additional_data: {} })
  t.equal(normalizeEcosystem('urn:uuid:ABC'), 'abc')
  t.ok(image === null || typeof image === 'string')
  t.ok([score, apnToken, history, paymentData, additionalData].every((value) => value !== undefined))
})
