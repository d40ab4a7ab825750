// Runs in each process a test starts during Stryker's dry run (see parent-coverage.cjs): writes the
// mutants this process reached where the test process will read them. It writes on exit and every
// 100 ms too, because a test may end its server with SIGKILL, and SIGKILL runs no exit handler.
'use strict'
const fs = require('node:fs')
const path = require('node:path')

const namespace = process.env.STRYKER_NAMESPACE ?? '__stryker__'
const file = path.join(process.env.STRYKER_CHILD_COVERAGE_DIR, `${process.pid}.json`)

function write () {
  const coverage = global[namespace]?.mutantCoverage
  if (coverage === undefined) return
  const hits = { ...coverage.static }
  for (const perTest of Object.values(coverage.perTest)) {
    for (const [id, count] of Object.entries(perTest)) hits[id] = (hits[id] ?? 0) + count
  }
  try {
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(hits))
    fs.renameSync(`${file}.tmp`, file)
  } catch {}
}

setInterval(write, 100).unref()
process.on('exit', write)
