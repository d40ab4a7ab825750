// The straightforward handler: query, JSON.parse of the three JSON columns, serialize through the
// same response schema. leancore-mock's bodies must be byte for byte what this produces.
import { Type } from '@sinclair/typebox'
import Database from 'better-sqlite3'
import Fastify from 'fastify'
import { Lead } from '../../dist/src/core/leads/schema.js'

const db = new Database(process.env.DATABASE_PATH, { readonly: true })
const select = db.prepare(`SELECT id, name, lastname, business_name, status, phone, email, nit, address, ecosystem,
  business_entity, quota, image, score, apn_token, history, payment_data, additional_data
  FROM leads WHERE sandbox = 0 AND ecosystem = ? ORDER BY seq`)
const app = Fastify({ logger: false })
app.addSchema(Lead)
app.get('/lead', { schema: { response: { 200: Type.Array(Type.Ref(Lead)) } } }, async (request) =>
  select.all(request.query.ecosystem).map((row) => ({
    ...row,
    history: JSON.parse(row.history),
    payment_data: JSON.parse(row.payment_data),
    additional_data: JSON.parse(row.additional_data)
  })))
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
process.stdout.write('ready\n')
