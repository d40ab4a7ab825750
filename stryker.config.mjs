// Mutation testing: `npm run test:mutation`. Too slow for CI (hours on two cores), so not in .ci/run.
// Stryker copies the project into .stryker-tmp/, mutates src/ there, and compiles sources and tests to
// JavaScript next to themselves (tsconfig.mutation.json), because the tap runner starts plain `node`
// per test file without tap's TypeScript loader. The CLI and bundle tests run dist/, so the build
// also runs `npm run build` on the mutated sources; the active mutant reaches those child processes
// through the environment.
import { readdirSync } from 'node:fs'
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'

// The test files that cover a mutant run one after another and stop at the first that fails. The
// runner (test/tools/mutation/ordered-tap-runner.mjs) puts the likeliest killer first; after that
// they run in this order, quick files first and the files that start processes last.
// The files that start the CLI or the bundle count too: in the dry run, the processes they start
// report the mutants they reach (test/tools/mutation/parent-coverage.cjs), so cli.ts and the parts of
// server.ts that run only in a child process are tested, not "no coverage".
// A mutant that survives runs every file that covers it, and the slow files cover nearly everything
// (each starts a whole server), so they run only for the mutants of the code they exist to test
// (TEST_SCOPES), and two are left out. Both can only lower the score, never raise it:
// - crash-safety kills the server with SIGKILL at many moments of a load, 30 s;
// - hostile-input sends 20,000 random requests (nothing answers 5xx or hangs).
// The e2e files that load a server for seconds on end (sockets by the thousand, 50,000 leads, a
// packed tarball, npm start, the docs' examples with three test runners) are left out too.
const LEFT_OUT = ['crash-safety', 'hostile-input', 'connections', 'journal-memory', 'responsiveness', 'fair-share', 'packed', 'npm-start', 'examples']
const TEST_SCOPES = {
  cli: ['src/cli.ts', 'src/server.ts', 'src/core/config.ts'],
  signals: ['src/cli.ts', 'src/server.ts'],
  shutdown: ['src/cli.ts', 'src/server.ts', 'src/http/app.ts'],
  bundle: ['src/cli.ts', 'src/index.ts'],
  'shared-database': ['src/core/db/', 'src/core/leads/', 'src/server.ts'],
  'lead-cache': ['src/core/leads/', 'src/http/routes/'],
  conformance: ['src/conformance/', 'src/cli.ts'],
  'conformance-cli': ['src/conformance/', 'src/cli.ts'],
  // Two processes on one file, and parallel writes over sockets.
  'two-servers': ['src/core/sandboxes/', 'src/core/db/', 'src/core/bulk/'],
  'write-concurrency': ['src/core/leads/', 'src/core/users/', 'src/http/routes/lead.ts'],
  bodiless: ['src/http/plugins/json-body.ts']
}
// The test files about a source file whose name does not say so: they run first for its mutants.
const RELATED_TESTS = {
  'src/http/app.ts': ['server', 'logging', 'headers', 'limits'],
  'src/http/plugins/instrumentation.ts': ['journal', 'scenarios', 'journal-stream'],
  'src/http/plugins/request-log.ts': ['logging'],
  'src/http/plugins/security-headers.ts': ['headers'],
  'src/http/plugins/openapi.ts': ['security'],
  'src/http/routes/admin.ts': ['openapi', 'journal', 'sandboxes', 'journal-stream', 'dashboard'],
  'src/http/routes/dashboard.ts': ['dashboard'],
  'src/core/journal/journal.ts': ['journal', 'journal-stream'],
  'src/core/leads/repository.ts': ['repository', 'dashboard'],
  'src/core/space.ts': ['dashboard', 'admin'],
  'src/http/routes/lead.ts': ['leads', 'lead-cache'],
  'src/core/tokens/issuer.ts': ['oauth', 'sandboxes', 'journal'],
  'src/core/db/open.ts': ['database'],
  'src/core/db/migrate.ts': ['database'],
  'src/core/config.ts': ['cli'],
  'src/core/formats.ts': ['validate'],
  'src/core/leads/schema.ts': ['validate'],
  'src/core/sandboxes/store.ts': ['sandboxes'],
  'src/core/sandboxes/schema.ts': ['sandboxes', 'openapi'],
  'src/core/scenarios/schema.ts': ['scenarios', 'openapi'],
  'src/core/fixture.ts': ['server', 'admin', 'sandboxes', 'journal-stream'],
  'src/core/tokens/scrubber.ts': ['logging', 'journal'],
  // The conformance kit's modules have unit tests named after them, which run first; record.ts is
  // tested with the look-alikes, and run.ts only by running the kit (after cases and client: the end-to-end tests).
  'src/conformance/record.ts': ['lookalikes'],
  'src/conformance/cases.ts': ['conformance', 'conformance-mutants'],
  'src/conformance/client.ts': ['conformance', 'conformance-mutants'],
  'src/conformance/run.ts': ['conformance', 'conformance-mutants'],
  // The lifecycle: its routes and fixture members (test/http/lifecycle), the whole path over sockets
  // (test/e2e/lifecycle), parallel conversions, the kit's write cases, connect().
  'src/core/users/lifecycle.ts': ['lifecycle', 'write-concurrency'],
  'src/core/users/repository.ts': ['lifecycle', 'upgrade'],
  'src/core/users/validate.ts': ['lifecycle', 'config', 'remote'],
  'src/core/users/schema.ts': ['lifecycle', 'openapi'],
  'src/core/financial-entities/repository.ts': ['lifecycle', 'upgrade'],
  'src/core/financial-entities/validate.ts': ['lifecycle', 'config', 'remote'],
  'src/core/financial-entities/schema.ts': ['lifecycle', 'openapi'],
  'src/core/seed-data.ts': ['config', 'lifecycle', 'sandboxes'],
  'src/http/routes/user.ts': ['lifecycle', 'no-token'],
  'src/http/routes/financial-entity.ts': ['lifecycle', 'no-token'],
  'src/http/plugins/json-body.ts': ['bodiless', 'lead-writes', 'journal'],
  'src/conformance/write-cases.ts': ['write-cases'],
  'src/remote.ts': ['remote']
}
const LAST = ['limits', 'sandboxes', 'conformance-mutants', 'lead-cache', 'bundle', 'shared-database', 'shutdown', 'signals', 'conformance', 'conformance-cli', 'cli']
const last = (name) => LAST.indexOf(name) + 1
// test/ and its folders (core/, http/, conformance/, e2e/, docs/), but container/.
const testFiles = readdirSync('test', { recursive: true }).filter((file) => file.endsWith('.test.ts') && !file.startsWith('container/'))
  .map((file) => file.replace(/\.test\.ts$/, ''))
  .filter((path) => !LEFT_OUT.includes(basename(path)))
  .sort((a, b) => last(basename(a)) - last(basename(b)) || a.localeCompare(b))
  .map((path) => `test/${path}.test.js`)

export default {
  // The dashboard's browser code (src/ui) runs in a browser, where test/browser tests it: no tap file can reach it.
  mutate: ['src/**/*.ts', '!src/ui/**'],
  testRunner: 'tap-ordered',
  plugins: ['@stryker-mutator/tap-runner', ...['ordered-tap-runner', 'openapi-prose-ignorer'].map((name) => fileURLToPath(new URL(`test/tools/mutation/${name}.mjs`, import.meta.url)))],
  ignorers: ['openapi-prose'],
  tap: {
    testFiles,
    nodeArgs: ['-r', './test/tools/mutation/parent-coverage.cjs', '-r', '{{hookFile}}'],
    forceBail: true
  },
  testScopes: TEST_SCOPES,
  relatedTests: RELATED_TESTS,
  maxTestFiles: 8,
  buildCommand: 'npm run build:mutation',
  coverageAnalysis: 'perTest',
  ignorePatterns: ['dist', '.tap', 'coverage', 'data', 'reports', 'test/container', 'test/browser'],
  reporters: ['clear-text', 'html', 'json', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  incremental: true,
  incrementalFile: 'reports/mutation/incremental.json',
  thresholds: { high: 95, low: 90, break: null },
  timeoutMS: 20000,
  concurrency: 3,
  cleanTempDir: 'always'
}
