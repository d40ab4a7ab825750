// Loaded with --import into the real leancore-mock command by test/signals.test.ts. On SIGWINCH (a
// signal the server does not use) it throws, or rejects, from the event loop, as a bug would.
process.on('SIGWINCH', () => {
  if (process.env.LEANCORE_TEST_FAULT === 'rejection') {
    Promise.reject(new Error('an injected rejection'))
  } else {
    setImmediate(() => { throw new Error('an injected exception') })
  }
})
