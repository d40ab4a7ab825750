// Mutation testing: `npm run test:mutation`. Too slow for CI (hours on two cores), so not in .ci/run.
// Stryker copies the project into .stryker-tmp/, mutates src/ there, and compiles sources and tests to
// JavaScript next to themselves (tsconfig.mutation.json), because the tap runner starts plain `node`
// per test file without tap's TypeScript loader. The CLI and bundle tests run dist/, so the build
// also runs `npm run build` on the mutated sources; the active mutant reaches those child processes
// through the environment.
import { readdirSync } from 'node:fs'

// The tap runner runs the test files that cover a mutant one after another, in this order, and stops
// at the first that fails, so the quick files go first. A mutant that survives runs every file that
// covers it, so two kinds of file are left out, which makes the score a floor (with them, the suite
// kills at least as many mutants):
// - the files that start processes (the CLI, the bundle, signals, crash safety, a second process on
//   one database): the tap runner sees coverage in its own process only, so Stryker cannot tell which
//   mutants they reach, and would run them, a minute and more, for every mutant;
// - the fuzzing and pacing files, hostile-input (20,000 random requests: nothing answers 5xx or hangs)
//   and conformance (the kit against a proxy, with real delays between requests).
const LEFT_OUT = ['bundle', 'cli', 'conformance-cli', 'crash-safety', 'lead-cache', 'shared-database', 'shutdown', 'signals', 'hostile-input', 'conformance']
const LAST = ['limits']
const testFiles = readdirSync('test').filter((file) => file.endsWith('.test.ts'))
  .map((file) => file.replace(/\.test\.ts$/, ''))
  .filter((name) => !LEFT_OUT.includes(name))
  .sort((a, b) => Number(LAST.includes(a)) - Number(LAST.includes(b)) || a.localeCompare(b))
  .map((name) => `test/${name}.test.js`)

export default {
  mutate: ['src/**/*.ts'],
  testRunner: 'tap',
  tap: {
    testFiles,
    forceBail: true
  },
  buildCommand: 'npm run build:mutation',
  coverageAnalysis: 'perTest',
  ignorePatterns: ['dist', '.tap', 'coverage', 'data', 'reports', 'test/container'],
  reporters: ['clear-text', 'html', 'json', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  incremental: true,
  incrementalFile: 'reports/mutation/incremental.json',
  thresholds: { high: 95, low: 90, break: null },
  timeoutMS: 20000,
  concurrency: 2,
  cleanTempDir: 'always'
}
