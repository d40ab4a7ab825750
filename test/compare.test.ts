// One case's two answers compared, as the conformance report shows it: the status, the headers a
// client acts on, the body's shape, and for leads the lead schema's rules. Never a value.
import t from 'tap'
import type { Exchange } from '../src/conformance/client.js'
import { differences } from '../src/conformance/compare.js'

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' }

const LEAD = {
  id: 'lead-1',
  name: 'Rosa',
  lastname: 'Pérez',
  business_name: 'Tienda Rosa',
  status: 'active',
  phone: '573136434030',
  email: 'rosa@example.com',
  nit: '900123456-8',
  address: 'Calle 1 # 2-3',
  ecosystem: 'fd3705e1-3149-4c41-bfe7-cf0bee79cfad',
  business_entity: 'SAS',
  quota: 5000000,
  image: 'https://cdn.example.com/rosa.png',
  score: 700,
  apn_token: null,
  history: [],
  payment_data: {},
  additional_data: {}
}
/** Another lead with other values, and null where the schema allows it */
const OTHER_LEAD = {
  ...LEAD,
  id: 'lead-2',
  name: 'Ana',
  phone: '573001112233',
  quota: 1.5,
  image: null,
  score: null,
  apn_token: 'apn-1',
  history: [{ event: 'called', at: '2024-01-01' }],
  payment_data: { bank: 'Bancolombia', accounts: [1, 2] },
  additional_data: { channel: 'web' }
}
const BAD_PHONE = '+57 313 643 4030'
const PHONE_RULE = 'expected string to match \'^[0-9]{7,15}$\''

function answer (status: number, body: unknown, headers: Record<string, string> = JSON_TYPE): Exchange {
  return { status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) }
}

const challenge = (scheme: string): Record<string, string> => ({ ...JSON_TYPE, 'www-authenticate': scheme })
const UNAUTHORIZED = { statusCode: 401, error: 'Unauthorized', message: 'Missing or invalid bearer token' }

t.test('the same answer from both sides has no difference, whatever its values', async (t) => {
  t.same(differences(answer(200, [LEAD, OTHER_LEAD]), answer(200, [OTHER_LEAD]), 'leads'), [])
  t.same(differences(answer(200, OTHER_LEAD), answer(200, LEAD), 'lead'), [])
  t.same(differences(answer(200, []), answer(200, [LEAD]), 'leads'), [], 'no leads is a list of leads')
  t.same(differences(answer(401, UNAUTHORIZED, challenge('Bearer realm="LeanCore"')), answer(401, { ...UNAUTHORIZED, message: 'other' }, challenge('Bearer realm="leancore-mock"')), 'other'), [])
  t.same(differences(answer(204, '', {}), answer(204, '', {}), 'other'), [], 'no content type on either side')
})

t.test('a different status is one line, and the bodies of two different answers are not compared', async (t) => {
  t.same(differences(answer(404, { statusCode: 404, error: 'Not Found' }), answer(200, LEAD), 'lead'), ['status: target 404, leancore-mock 200'])
  t.same(differences(answer(403, [1]), answer(401, UNAUTHORIZED), 'other'), ['status: target 403, leancore-mock 401'])
  t.same(differences(answer(503, '<html><body>Service Unavailable</body></html>', { 'content-type': 'text/html' }), answer(200, [LEAD]), 'leads'), [
    'status: target 503, leancore-mock 200',
    'content-type: target text/html, leancore-mock application/json'
  ], 'with the headers that differ too')
})

t.test('the content type is compared by its media type alone, whatever its case or parameters', async (t) => {
  for (const type of ['application/json', 'Application/JSON; charset=UTF-8', 'application/json ; charset=utf-8', 'application/json;charset=utf-8']) {
    t.same(differences(answer(200, LEAD, { 'content-type': type }), answer(200, LEAD), 'lead'), [], type)
  }
})

t.test('a different content type is named by media type, and a missing one as none', async (t) => {
  t.same(differences(answer(200, LEAD, { 'content-type': 'Text/Plain; charset=utf-8' }), answer(200, LEAD), 'lead'),
    ['content-type: target text/plain, leancore-mock application/json'])
  t.same(differences(answer(200, LEAD, {}), answer(200, LEAD), 'lead'), ['content-type: target none, leancore-mock application/json'])
  t.same(differences(answer(200, LEAD), answer(200, LEAD, {}), 'lead'), ['content-type: target application/json, leancore-mock none'])
})

t.test('the challenge is compared by its scheme alone, in any case, whatever its realm', async (t) => {
  const same: Array<[string, string]> = [
    ['Bearer realm="LeanCore"', 'Bearer realm="leancore-mock"'],
    ['bearer realm="api"', 'Bearer realm="leancore-mock"'],
    ['Bearer', 'Bearer realm="leancore-mock"'],
    ['Bearer,error="invalid_token"', 'Bearer realm="leancore-mock"'],
    ['Bearer\trealm="api"', 'Bearer realm="leancore-mock"'],
    ['  Bearer realm="api"', 'Bearer']
  ]
  for (const [target, mock] of same) {
    t.same(differences(answer(401, UNAUTHORIZED, challenge(target)), answer(401, UNAUTHORIZED, challenge(mock)), 'other'), [], JSON.stringify(target))
  }
})

t.test('another scheme, or a challenge only one side sends, is named as each side wrote it', async (t) => {
  t.same(differences(answer(401, UNAUTHORIZED, challenge('Basic realm="api"')), answer(401, UNAUTHORIZED, challenge('Bearer realm="leancore-mock"')), 'other'),
    ['www-authenticate: target Basic, leancore-mock Bearer'])
  t.same(differences(answer(401, UNAUTHORIZED, challenge('bearer realm="api"')), answer(401, UNAUTHORIZED, challenge('Basic realm="leancore-mock"')), 'other'),
    ['www-authenticate: target bearer, leancore-mock Basic'])
  t.same(differences(answer(401, UNAUTHORIZED), answer(401, UNAUTHORIZED, challenge('Bearer realm="leancore-mock"')), 'other'),
    ['www-authenticate: target none, leancore-mock Bearer'])
  t.same(differences(answer(200, LEAD, challenge('Bearer realm="api"')), answer(200, LEAD), 'lead'),
    ['www-authenticate: target Bearer, leancore-mock none'])
})

t.test('with the same status, headers that differ come first and the body is still compared', async (t) => {
  t.same(differences(answer(401, '', {}), answer(401, UNAUTHORIZED, challenge('Bearer realm="leancore-mock"')), 'other'), [
    'content-type: target none, leancore-mock application/json',
    'www-authenticate: target none, leancore-mock Bearer',
    'body: target an empty body, leancore-mock an object'
  ])
  t.same(differences(answer(200, { ...LEAD, quota: '5000000' }, { 'content-type': 'text/plain' }), answer(200, LEAD), 'lead'), [
    'content-type: target text/plain, leancore-mock application/json',
    'body.quota: target a string, leancore-mock a number'
  ])
})

t.test('any other body is compared with the mock\'s body, by shape only', async (t) => {
  const token = { access_token: 'abc', token_type: 'Bearer', expires_in: 3600 }
  const { expires_in: _expiresIn, ...withoutExpiry } = token
  t.same(differences(answer(200, withoutExpiry), answer(200, token), 'other'), ['body.expires_in: missing at the target, leancore-mock has it (a number)'])
  t.same(differences(answer(200, { ...token, expires_in: '3600' }), answer(200, token), 'other'), ['body.expires_in: target a string, leancore-mock a number'])
  t.same(differences(answer(200, { ...token, access_token: 'another' }), answer(200, token), 'other'), [])
  t.same(differences(answer(400, '<html><body><h1>400 Bad Request</h1></body></html>'), answer(400, { statusCode: 400 }), 'other'),
    ['body: target text that is not JSON, leancore-mock an object'])
  t.same(differences(answer(200, { ...LEAD, phone: BAD_PHONE }), answer(200, LEAD), 'other'), [], 'no lead rules for a body that holds no leads')
})

t.test('one lead is compared with the lead schema, never with the mock\'s lead', async (t) => {
  for (const mockBody of ['', '[]', { other: 'thing' }]) {
    t.same(differences(answer(200, LEAD), answer(200, mockBody), 'lead'), [], JSON.stringify(mockBody))
  }
  const { name, ...unnamed } = LEAD
  t.same(differences(answer(200, { ...unnamed, nombre: name }), answer(200, LEAD), 'lead'), [
    'body.name: missing at the target, leancore-mock has it (a string)',
    'body.nombre: only at the target (a string), leancore-mock has no such key'
  ])
  t.same(differences(answer(200, { ...LEAD, image: 7 }), answer(200, LEAD), 'lead'), ['body.image: target a number, leancore-mock a string or null'])
  t.same(differences(answer(200, { ...LEAD, payment_data: [] }), answer(200, LEAD), 'lead'), ['body.payment_data: target an array, leancore-mock an object'])
  t.same(differences(answer(200, [LEAD]), answer(200, LEAD), 'lead'), ['body: target an array, leancore-mock an object'])
})

t.test('a list of leads is compared with the lead schema, element by element', async (t) => {
  t.same(differences(answer(200, [LEAD]), answer(200, '{}'), 'leads'), [], 'not with the mock\'s body')
  t.same(differences(answer(200, LEAD), answer(200, [LEAD]), 'leads'), ['body: target an object, leancore-mock an array'])
  t.same(differences(answer(200, [LEAD, { ...LEAD, quota: '1' }]), answer(200, [LEAD]), 'leads'), ['body[].quota: target a number or a string, leancore-mock a number'])
  const { image: _image, ...imageless } = LEAD
  t.same(differences(answer(200, [imageless, LEAD]), answer(200, [LEAD]), 'leads'), ['body[].image: missing from some at the target, leancore-mock always has it'])
  t.same(differences(answer(200, [LEAD, { ...LEAD, segment: 'retail' }]), answer(200, [LEAD]), 'leads'),
    ['body[].segment: only at the target (a string), leancore-mock has no such key'])
})

t.test('a lead of the right shape that breaks a rule of the schema is named by its field', async (t) => {
  const broken: Array<[object, string]> = [
    [{ phone: BAD_PHONE }, `body.phone: ${PHONE_RULE}`],
    [{ ecosystem: 'eco-1' }, 'body.ecosystem: expected string to match \'uuid\' format'],
    [{ image: 'not a url' }, 'body.image: expected a uri string or null'],
    [{ id: '' }, 'body.id: expected string length greater or equal to 1']
  ]
  for (const [change, line] of broken) {
    t.same(differences(answer(200, { ...LEAD, ...change }), answer(200, LEAD), 'lead'), [line], line)
  }
  t.same(differences(answer(200, { ...LEAD, phone: BAD_PHONE, quota: '1' }), answer(200, LEAD), 'lead'), ['body.quota: target a string, leancore-mock a number'],
    'not while its shape differs')
})

t.test('in a list, each broken rule is one line, with how many of the leads break it', async (t) => {
  const leads = [{ ...LEAD, phone: BAD_PHONE }, OTHER_LEAD, { ...LEAD, id: '' }, { ...OTHER_LEAD, phone: '57-300' }]
  t.same(differences(answer(200, leads), answer(200, [LEAD]), 'leads'), [
    `body[].phone: ${PHONE_RULE} (2 of 4 leads)`,
    'body[].id: expected string length greater or equal to 1 (1 of 4 leads)'
  ])
  t.same(differences(answer(200, [{ ...LEAD, id: '', phone: BAD_PHONE }]), answer(200, [LEAD]), 'leads'),
    ['body[].id: expected string length greater or equal to 1 (1 of 1 leads)'], 'a lead counts once, for the first rule it breaks')
  t.same(differences(answer(200, [LEAD, OTHER_LEAD]), answer(200, [LEAD]), 'leads'), [], 'leads that keep every rule')
})
