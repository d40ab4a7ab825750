// A test file's first leancore-mock: import the package and startServer({ adminToken }), in a
// fresh process. Prints the milliseconds since the process started.
const { startServer } = await import('../../dist/bundle/index.js')
const mock = await startServer({ adminToken: 'bench-admin-token' })
process.stdout.write(`${performance.now()}\n`)
await mock.close()
