// The stack's limit for LeanCore's writes: a bare Fastify route that parses the JSON body and does
// the same INSERT (create-lead) or UPDATE (update-lead) with better-sqlite3, and nothing else: no
// auth, no validation, no uniqueness check, no journal, no log line.
import { randomUUID } from 'node:crypto'
import Database from 'better-sqlite3'
import Fastify from 'fastify'

const COLUMNS = ['id', 'name', 'lastname', 'business_name', 'status', 'phone', 'email', 'nit', 'address', 'ecosystem',
  'business_entity', 'quota', 'image', 'score', 'apn_token', 'history', 'payment_data', 'additional_data']
const db = new Database(process.env.DATABASE_PATH)
db.pragma('busy_timeout = 5000')
db.pragma('journal_mode = WAL')
db.pragma('synchronous = NORMAL')
const insert = db.prepare(`INSERT INTO leads (sandbox, ${COLUMNS.join(', ')}) VALUES (0, ${COLUMNS.map(() => '?').join(', ')})`)
const update = db.prepare('UPDATE leads SET name = ?, status = ? WHERE sandbox = 0 AND id = ?')
const select = db.prepare(`SELECT ${COLUMNS.join(', ')} FROM leads WHERE sandbox = 0 AND id = ?`)

const app = Fastify({ logger: false })
app.post('/create-lead', async (request) => {
  const body = request.body
  const lead = {
    id: randomUUID(),
    name: body.name,
    lastname: body.lastname ?? '',
    business_name: '',
    status: body.lead_status ?? 'not_assigned',
    phone: body.phone,
    email: body.email,
    nit: body.nit,
    address: body.address ?? '',
    ecosystem: body.ecosystem,
    business_entity: body.business_entity ?? '',
    quota: 0,
    image: null,
    score: null,
    apn_token: null,
    history: [],
    payment_data: {},
    additional_data: {}
  }
  insert.run(COLUMNS.map((column) => typeof lead[column] === 'object' && lead[column] !== null ? JSON.stringify(lead[column]) : lead[column]))
  return lead
})
app.post('/update-lead', async (request) => {
  const { id, name, lead_status: status } = request.body
  update.run(name, status, id)
  const row = select.get(id)
  return { ...row, history: JSON.parse(row.history), payment_data: JSON.parse(row.payment_data), additional_data: JSON.parse(row.additional_data) }
})
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
process.stdout.write('ready\n')
