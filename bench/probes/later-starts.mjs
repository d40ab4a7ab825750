// Every later startServer({ adminToken }) in one process, as a test file that starts a fresh server
// per test would: prints each start's milliseconds as JSON, after a first one that is not counted.
const { startServer } = await import('../../dist/bundle/index.js')
await (await startServer({ adminToken: 'bench-admin-token' })).close()
const times = []
for (let i = 0; i < Number(process.argv[2] ?? 21); i++) {
  const started = performance.now()
  const mock = await startServer({ adminToken: 'bench-admin-token' })
  times.push(performance.now() - started)
  await mock.close()
}
process.stdout.write(`${JSON.stringify(times)}\n`)
