// Baseline for a test file's first server: import Fastify, listen with a one-route hello world, in a
// fresh process. Prints the milliseconds since the process started.
const { default: Fastify } = await import('fastify')
const app = Fastify()
app.get('/', async () => ({ hello: 'world' }))
await app.listen({ port: 0, host: '127.0.0.1' })
process.stdout.write(`${performance.now()}\n`)
await app.close()
