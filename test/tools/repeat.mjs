// npm run test:repeat -- <test file> <runs>: runs one test file again and again, without the
// coverage gate, and counts the runs that fail. A timing-dependent test is trusted once it passes
// many runs in a row on a busy 2-core machine.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const [file, runsText = '20'] = process.argv.slice(2)
const runs = Number(runsText)
if (file === undefined || !existsSync(file) || !Number.isInteger(runs) || runs < 1) {
  console.error('usage: npm run test:repeat -- <test file> <runs>')
  process.exit(2)
}

let failed = 0
for (let run = 1; run <= runs; run++) {
  const started = Date.now()
  const result = spawnSync('npx', ['tap', '--disable-coverage', '--reporter=tap', file], { encoding: 'utf8' })
  const ok = result.status === 0
  if (!ok) failed++
  console.log(`run ${run}/${runs}: ${ok ? 'passed' : 'FAILED'} in ${Date.now() - started} ms`)
  if (!ok) console.log(result.stdout.split('\n').filter((line) => /not ok|^\s*# |found|wanted|stack|error/.test(line)).slice(0, 40).join('\n'))
}
console.log(`${file}: ${runs - failed} of ${runs} runs passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
