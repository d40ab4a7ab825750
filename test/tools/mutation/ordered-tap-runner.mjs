// StrykerJS's tap runner, with one change: the test files that cover a mutant run most likely killer
// first. The tap runner runs them one after another and stops at the first that fails, so a mutant in
// src/core/journal/journal.ts that only test/journal.test.js kills would otherwise wait for every
// file before it in alphabetical order. Apart from the cap below, the order changes when a file runs,
// never whether:
// 1. the files named after the source file (journal.ts: journal.test.js), or its first word, and the
//    files `relatedTests` (stryker.config.mjs) lists for it;
// 2. the files that have already killed a mutant of the same source file, most kills first (named
//    files first: otherwise files that killed one mutant each fill the cap below before them);
// 3. the files that have killed the most mutants anywhere;
// 4. the rest, in the order the config gives (quickest first).
// Each Stryker worker learns on its own; a worker is one process.
// A file listed in `testScopes` (stryker.config.mjs) runs only for mutants under one of its paths:
// the slow files that start processes run for the code they exist to test. And a mutant runs at most
// `maxTestFiles` of the files that cover it, the likeliest killers: a surviving mutant would otherwise
// run every file that imports its module, which for the app's core is nearly all of them, a minute
// and more per survivor. Both can only lower the score: a mutant runs fewer files, never more.
import { basename } from 'node:path'
import { commonTokens, declareFactoryPlugin, PluginKind, tokens } from '@stryker-mutator/api/plugin'
import { createTapTestRunnerFactory } from '@stryker-mutator/tap-runner'

const createTapTestRunner = createTapTestRunnerFactory()
const killsBySource = new Map()
const killsAnywhere = new Map()

function count (counts, test) {
  counts.set(test, (counts.get(test) ?? 0) + 1)
}

function order (testFilter, sourceFile, relatedTests) {
  const local = killsBySource.get(sourceFile) ?? new Map()
  const related = Object.entries(relatedTests).find(([path]) => sourceFile.endsWith(`/${path}`))?.[1] ?? []
  // oauth-token.ts: oauth.test.js; scenario-book.ts: scenario-book.test.js and scenarios.test.js
  const stem = basename(sourceFile).replace(/\.[cm]?[jt]s$/, '').split('-')[0].replace(/s$/, '')
  const rank = (test) => [
    basename(test).startsWith(stem) || related.includes(basename(test).replace(/\.test\.js$/, '')) ? 0 : 1,
    -(local.get(test) ?? 0),
    -(killsAnywhere.get(test) ?? 0)
  ]
  const position = new Map(testFilter.map((test, index) => [test, index]))
  return [...testFilter].sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)]
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i]
    return position.get(a) - position.get(b)
  })
}

function inScope (scopes, test, sourceFile) {
  const paths = scopes[basename(test).replace(/\.test\.js$/, '')]
  return paths === undefined || paths.some((path) => sourceFile.includes(`/${path}`))
}

function createOrderedTapRunner (injector, { testScopes = {}, relatedTests = {}, maxTestFiles = Number.POSITIVE_INFINITY }) {
  const runner = createTapTestRunner(injector)
  const mutantRun = runner.mutantRun.bind(runner)
  runner.mutantRun = async (options) => {
    const { testFilter, activeMutant } = options
    const scoped = testFilter?.filter((test) => inScope(testScopes, test, activeMutant.fileName))
    const ordered = scoped === undefined ? undefined : order(scoped, activeMutant.fileName, relatedTests).slice(0, maxTestFiles)
    const result = await mutantRun({ ...options, testFilter: ordered })
    if (result.status === 'killed') {
      const local = killsBySource.get(activeMutant.fileName) ?? new Map()
      killsBySource.set(activeMutant.fileName, local)
      for (const test of result.killedBy) {
        count(local, test)
        count(killsAnywhere, test)
      }
    }
    return result
  }
  return runner
}
createOrderedTapRunner.inject = tokens(commonTokens.injector, commonTokens.options)

export const strykerValidationSchema = {
  properties: {
    testScopes: {
      description: 'Test file name (without .test.js) to the source paths whose mutants it runs for',
      type: 'object',
      additionalProperties: { type: 'array', items: { type: 'string' } }
    },
    relatedTests: {
      description: 'Source file to the test files (without .test.js) about it, run first',
      type: 'object',
      additionalProperties: { type: 'array', items: { type: 'string' } }
    },
    maxTestFiles: {
      description: 'The most test files a mutant runs, likeliest killers first',
      type: 'integer',
      minimum: 1
    }
  }
}

export const strykerPlugins = [declareFactoryPlugin(PluginKind.TestRunner, 'tap-ordered', createOrderedTapRunner)]
