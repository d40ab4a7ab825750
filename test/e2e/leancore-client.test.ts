// The requests a public lending web app built on LeanCore sends, replayed over real sockets with the
// bytes it writes: its token request (grant_type in the query, Basic, no body), its lookups by NIT
// and id, its two create-lead bodies, its updates. Before issue 21 it failed at the first call.
import t from 'tap'
import { DEV_CLIENT } from '../../src/core/config.js'
import { startServer } from '../../src/index.js'
import { sendRaw, type RawResponse } from '../helper.js'

const ECOSYSTEM = '5d1e7b2a-8c3f-4e6d-9a0b-1c2d3e4f5a6b'
const LEAD_KEYS = ['id', 'name', 'lastname', 'business_name', 'status', 'phone', 'email', 'nit', 'address', 'ecosystem',
  'business_entity', 'quota', 'image', 'score', 'apn_token', 'history', 'payment_data', 'additional_data']
type Lead = Record<string, unknown> & { id: string, status: string, lead_status?: string }

t.test('a LeanCore client\'s whole sequence, over real sockets', async (t) => {
  const mock = await startServer({ seed: 'none' })
  t.after(() => mock.close())
  const send = async (method: string, target: string, headers: Record<string, string>, body?: unknown): Promise<RawResponse & { json: () => any }> => {
    const payload = body === undefined ? '' : JSON.stringify(body)
    const lines = Object.entries({ ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) }) })
      .map(([name, value]) => `${name}: ${value}\r\n`).join('')
    const response = await sendRaw(mock.port, `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${mock.port}\r\nAccept: application/json\r\n${lines}Connection: close\r\n\r\n${payload}`)
    return { ...response, json: () => JSON.parse(response.body) }
  }

  // 1. The token: POST with grant_type in the query, the credentials as Basic, no body, no Content-Type.
  const basic = Buffer.from(`${DEV_CLIENT.id}:${DEV_CLIENT.secret}`).toString('base64')
  const token = await send('POST', '/oauth2/token?grant_type=client_credentials', { Authorization: `Basic ${basic}` })
  t.equal(token.status, 200, 'the token request of a real client is answered')
  t.match(token.json(), { access_token: String, token_type: 'Bearer', expires_in: 3600 })
  const auth = { Authorization: `Bearer ${token.json().access_token as string}` }

  // 2. It looks the person up by NIT before signing them up: not there yet.
  const missing = await send('GET', '/lead?nit=1094123456', auth)
  t.equal(missing.status, 404)
  t.same(missing.json(), { statusCode: 404, error: 'Not Found', message: 'Lead with nit 1094123456 not found' })

  // 3. Sign-up form, then the back office's body with variables.
  const signUp = await send('POST', '/create-lead?bulk-load=false', auth, {
    nit: '1094123456',
    name: 'Ana María',
    lastname: 'Ruiz',
    phone: '573001234567',
    email: 'ana@example.co',
    address: 'Calle 10 # 5-20, Armenia',
    incomes: 5000000,
    expenses: 1200000,
    lead_status: 'not_assigned',
    business_entity: 'Persona natural',
    ecosystem: ECOSYSTEM,
    created_at: '2026-12-05T10:00:00.000Z'
  })
  t.equal(signUp.status, 200, 'create-lead with the sign-up body')
  const created = signUp.json() as Lead
  t.match(created.id, /^[0-9a-f-]{36}$/)
  const backOffice = await send('POST', '/create-lead?bulk-load=false', auth, {
    image: 'https://cdn.example.co/jorge.jpg',
    name: 'Jorge',
    lastname: 'Quintero',
    phone: '573157654321',
    email: 'jorge@example.co',
    nit: '900123456-8',
    address: 'Carrera 43A # 1-50, Medellín',
    lead_status: 'pre_approved',
    created_at: '2026-12-05T11:00:00.000Z',
    business_entity: 'S.A.S.',
    ecosystem: ECOSYSTEM,
    additional_data: { variables_data: [{ key: 'ventas_mes', value: '12000000', type: 'number', label: 'Ventas del mes' }] }
  })
  t.equal(backOffice.status, 200, 'create-lead with the back-office body')
  t.equal(backOffice.json().lead_status, 'pre_approved')

  // 4. It finds the lead by NIT and polls it by id, reading lead_status.
  const byNit = (await send('GET', '/lead?nit=1094123456', auth)).json() as Lead
  const byId = (await send('GET', `/lead?id=${created.id}`, auth)).json() as Lead
  t.equal(byNit.id, created.id, 'by NIT: the same lead')
  t.same(byId, byNit, 'by id: the same answer')
  t.equal(byId.lead_status, 'not_assigned', 'lead_status is where the client reads it')
  t.equal(byId.lead_status, byId.status)

  // 5. The documented list keeps exactly the 18 keys.
  const list = (await send('GET', `/lead?ecosystem=${ECOSYSTEM}`, auth)).json() as Lead[]
  t.equal(list.length, 2)
  for (const lead of list) t.same(Object.keys(lead), LEAD_KEYS, `exactly the 18 keys: ${lead.id}`)

  // 6. Its three kinds of update.
  const edited = await send('POST', '/update-lead', auth, { id: created.id, name: 'Ana M.', nit: '1094123457', email: 'ana.m@example.co', phone: '573001234568' })
  t.equal(edited.status, 200)
  t.match(edited.json(), { id: created.id, name: 'Ana M.', nit: '1094123457', email: 'ana.m@example.co', phone: '573001234568' })
  t.same(Object.keys(edited.json()), LEAD_KEYS)
  const nothing = await send('POST', '/update-lead', auth, { id: created.id })
  t.equal(nothing.status, 200)
  t.same(nothing.json(), edited.json(), '{id} alone changes nothing')
  const approved = await send('POST', '/update-lead', auth, { id: created.id, lead_status: 'approved' })
  t.equal(approved.status, 200)
  t.equal(approved.json().status, 'approved', 'lead_status in, status out')
  t.equal(((await send('GET', `/lead?id=${created.id}`, auth)).json() as Lead).lead_status, 'approved', 'and the poll sees it')

  // 7. Signing the same person up again is refused.
  const again = await send('POST', '/create-lead?bulk-load=false', auth, { nit: '900123456-8', name: 'Jorge', phone: '573150000000', email: 'j@example.co', ecosystem: ECOSYSTEM })
  t.equal(again.status, 400)
  t.match(again.json().message, /^User with nit: 900123456-8 already exists/)
  t.same(mock.journal.entries().map((entry) => `${entry.method} ${entry.path} ${String(entry.status)}`), [
    'POST /oauth2/token 200', 'GET /lead 404', 'POST /create-lead 200', 'POST /create-lead 200', 'GET /lead 200', 'GET /lead 200',
    'GET /lead 200', 'POST /update-lead 200', 'POST /update-lead 200', 'POST /update-lead 200', 'GET /lead 200', 'POST /create-lead 400'
  ], 'every call is in the journal')
})
