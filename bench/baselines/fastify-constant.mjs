// A bare Fastify route returning a constant body of the same bytes: Fastify's own floor.
import Fastify from 'fastify'
import { readFileSync } from 'node:fs'

const app = Fastify({ logger: false })
for (const [path, file] of [['/100', process.env.BODY_100], ['/1', process.env.BODY_1]]) {
  const body = readFileSync(file)
  app.get(path, (_request, reply) => { reply.type('application/json; charset=utf-8').send(body) })
}
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
process.stdout.write('ready\n')
