// The other known path: let SQLite build the whole JSON body (json_group_array/json_object).
import Database from 'better-sqlite3'
import Fastify from 'fastify'

const db = new Database(process.env.DATABASE_PATH, { readonly: true })
const select = db.prepare(`SELECT coalesce(json_group_array(json_object(
    'id', id, 'name', name, 'lastname', lastname, 'business_name', business_name, 'status', status,
    'phone', phone, 'email', email, 'nit', nit, 'address', address, 'ecosystem', ecosystem,
    'business_entity', business_entity, 'quota', quota, 'image', image, 'score', score,
    'apn_token', apn_token, 'history', json(history), 'payment_data', json(payment_data),
    'additional_data', json(additional_data))), '[]')
  FROM (SELECT * FROM leads WHERE sandbox = 0 AND ecosystem = ? ORDER BY seq)`).pluck()
const app = Fastify({ logger: false })
app.get('/lead', (request, reply) => {
  reply.type('application/json; charset=utf-8').send(select.get(request.query.ecosystem))
})
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
process.stdout.write('ready\n')
