// node test/tools/mutation/table.mjs [reports/mutation/mutation.json]: the mutation table of
// CONTRIBUTING.md, made from Stryker's JSON report (mutation-testing-report-schema) and its config,
// so that a published score is one anyone can make again: the same command, the same caps.
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'

const report = JSON.parse(readFileSync(process.argv[2] ?? 'reports/mutation/mutation.json', 'utf8'))
const { default: config } = await import(new URL('../../../stryker.config.mjs', import.meta.url))

const KINDS = ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'Ignored', 'RuntimeError', 'CompileError']
const rows = []
const total = Object.fromEntries(KINDS.map((kind) => [kind, 0]))
for (const [file, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  const counts = Object.fromEntries(KINDS.map((kind) => [kind, mutants.filter(({ status }) => status === kind).length]))
  for (const kind of KINDS) total[kind] += counts[kind]
  rows.push([relative(process.cwd(), file), counts])
}
const score = (c) => {
  const detected = c.Killed + c.Timeout
  const valid = detected + c.Survived + c.NoCoverage
  return valid === 0 ? 'n/a' : `${(100 * detected / valid).toFixed(1)}%`
}
const line = (name, c) => `| ${name} | ${score(c)} | ${c.Killed} | ${c.Timeout} | ${c.Survived} | ${c.NoCoverage} | ${c.Ignored} | ${c.RuntimeError + c.CompileError} |`

console.log('| file | score | killed | timed out | survived | no coverage | disabled | errors |')
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
for (const [file, counts] of rows) console.log(line(`\`${file}\``, counts))
console.log(line('**all**', total))
console.log()
console.log(`Caps (stryker.config.mjs), which can only lower a score: each mutant runs at most ${config.maxTestFiles} of the ` +
  `test files that cover it, likeliest killers first; ${Object.keys(config.testScopes).length} slow files run only for the code ` +
  `they exist to test (testScopes); ${config.tap.testFiles.length} test files take part, and these are left out: ` +
  `${readdirLeftOut(config)}. A mutant times out after ${config.timeoutMS / 1000} s more than its tests took in the dry run.`)

function readdirLeftOut (config) {
  const source = readFileSync(new URL('../../../stryker.config.mjs', import.meta.url), 'utf8')
  const match = /const LEFT_OUT = \[([^\]]*)\]/.exec(source)
  return match === null ? 'none' : match[1].replace(/'/g, '').split(',').map((name) => name.trim()).filter(Boolean).join(', ')
}
