// Baseline for the CLI's cold start: a bare Fastify hello world, started as a process, listening on
// PORT; the bench times it to its first 200 the same way it times leancore-mock.
import Fastify from 'fastify'

const app = Fastify()
app.get('/', async () => ({ hello: 'world' }))
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
