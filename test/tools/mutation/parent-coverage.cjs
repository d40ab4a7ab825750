// Loaded before StrykerJS's tap hook in every test process (stryker.config.mjs, tap.nodeArgs).
// In the dry run, where Stryker measures which test file reaches which mutant, the processes a test
// file starts (the CLI, the bundle) run instrumented code too, but their coverage dies with them.
// This hook hands them child-coverage.cjs through NODE_OPTIONS, and on exit, before Stryker's hook
// writes this process's coverage, adds what they reported to it: a mutant reached only in a child
// process then counts as covered by the test file that started it, and runs with it.
'use strict'
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

if (process.env.STRYKER_DRY_RUN === 'true') {
  const namespace = process.env.STRYKER_NAMESPACE ?? '__stryker__'
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'stryker-children-'))
  process.env.STRYKER_CHILD_COVERAGE_DIR = directory
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(path.join(__dirname, 'child-coverage.cjs'))}`.trim()
  process.on('exit', () => {
    const state = (global[namespace] ??= {})
    const coverage = (state.mutantCoverage ??= { static: {}, perTest: {} })
    for (const file of fs.readdirSync(directory)) {
      const child = JSON.parse(fs.readFileSync(path.join(directory, file), 'utf8'))
      for (const [id, hits] of Object.entries(child)) coverage.static[id] = (coverage.static[id] ?? 0) + hits
    }
    fs.rmSync(directory, { recursive: true, force: true })
  })
}
