// The package as `npm pack` makes it, installed into a scratch project as a user would have it:
// what the tarball holds, `npx leancore-mock --help`, an ESM import, a require(), and types that
// compile with `skipLibCheck: false`. Its dependencies are linked from this package's own
// node_modules (so nothing is downloaded or compiled), and only those the package names.
import { execFile } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { temporaryDirectory } from '../helper.js'

const exec = promisify(execFile)
const ROOT = new URL('../..', import.meta.url).pathname

/** The packages `name` needs at run time, itself included, as this package's node_modules holds them */
function closure (names: string[], seen = new Set<string>()): Set<string> {
  for (const name of names) {
    if (seen.has(name) || !existsSync(join(ROOT, 'node_modules', name, 'package.json'))) continue
    seen.add(name)
    const manifest = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>, peerDependencies?: Record<string, string> }
    closure([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})], seen)
  }
  return seen
}

t.test('npm pack: the bundle, the types, the migrations, LICENSE and CHANGELOG, and no source maps', async (t) => {
  const directory = temporaryDirectory(t)
  const { stdout } = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', directory], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 })
  const [packed] = JSON.parse(stdout) as Array<{ filename: string, unpackedSize: number, files: Array<{ path: string }> }>
  const files = packed?.files.map(({ path }) => path) ?? []
  for (const wanted of ['LICENSE', 'CHANGELOG.md', 'README.md', 'package.json', 'dist/bundle/cli.js', 'dist/bundle/index.js', 'dist/bundle/worker.js', 'dist/src/index.d.ts', 'migrations/0005_lifecycle.sql']) {
    t.ok(files.includes(wanted), wanted)
  }
  t.same(files.filter((path) => path.endsWith('.map')), [], 'no source maps')
  t.same(files.filter((path) => /^dist\/src\/.*\.js$/.test(path)), [], 'no per-file JavaScript: the bundle is the code')
  t.ok((packed?.unpackedSize ?? Infinity) < 3_000_000, `unpacked: ${((packed?.unpackedSize ?? 0) / 1e6).toFixed(1)} MB`)
})

t.test('installed in a scratch project: npx leancore-mock --help, an ESM import, a require() and strict types', async (t) => {
  const directory = temporaryDirectory(t)
  const { stdout } = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', directory], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 })
  const tarball = join(directory, (JSON.parse(stdout) as Array<{ filename: string }>)[0]?.filename as string)
  const project = join(directory, 'project')
  const modules = join(project, 'node_modules')
  mkdirSync(join(modules, 'leancore-mock'), { recursive: true })
  mkdirSync(join(modules, '.bin'))
  await exec('tar', ['-xzf', tarball, '-C', join(modules, 'leancore-mock'), '--strip-components=1'])
  const manifest = JSON.parse(readFileSync(join(modules, 'leancore-mock', 'package.json'), 'utf8')) as { dependencies: Record<string, string>, bin: Record<string, string> }
  // What the package needs, and what a TypeScript project brings of its own.
  for (const name of closure([...Object.keys(manifest.dependencies), 'typescript', '@types/node'])) {
    if (name.includes('/')) mkdirSync(join(modules, name.split('/')[0] as string), { recursive: true })
    symlinkSync(join(ROOT, 'node_modules', name), join(modules, name))
  }
  const bin = join(modules, 'leancore-mock', manifest.bin['leancore-mock'] as string)
  chmodSync(bin, 0o755)
  symlinkSync(bin, join(modules, '.bin', 'leancore-mock'))
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'a-project', private: true, type: 'module' }))

  const help = await exec('npx', ['--no-install', 'leancore-mock', '--help'], { cwd: project })
  t.match(help.stdout, /^Usage: leancore-mock \[serve\|seed\] \[options\]/, 'npx leancore-mock --help')

  // On a database file, so that the reset runs in the bulk worker: a file of the bundle of its own.
  const call = (file: string): string => `const m = await startServer({ databasePath: '${join(directory, file)}', adminToken: 'a-token' });
    const r = await fetch(m.url + '/lead?phone=573136434030', { headers: { authorization: 'Bearer leancore-dev-token' } });
    const reset = await fetch(m.url + '/__admin/reset', { method: 'POST', headers: { authorization: 'Bearer a-token' } });
    console.log(r.status, (await r.json()).phone, reset.status); await m.close()`
  // With the heap flag `npm start` uses: a worker refuses it when it is passed on by hand.
  const esm = await exec(process.execPath, ['--max-semi-space-size=2', '--input-type=module', '-e', `import { startServer } from 'leancore-mock'; ${call('esm.db')}`], { cwd: project })
  t.equal(esm.stdout, '200 573136434030 200\n', 'import')
  const cjs = await exec(process.execPath, ['--max-semi-space-size=2', '-e', `const { startServer } = require('leancore-mock'); (async () => { ${call('cjs.db')} })()`], { cwd: project })
  t.equal(cjs.stdout, '200 573136434030 200\n', 'require(), as Node 20.19 and later load an ES module')

  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, skipLibCheck: false, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, types: ['node'] }
  }))
  writeFileSync(join(project, 'index.ts'), `import { connect, startServer, type Lead, type MockServer, type RemoteMock } from 'leancore-mock'
const mock: MockServer = await startServer({ seed: 'none', adminToken: 'a-token' })
const remote: RemoteMock = connect(mock.url, { adminToken: 'a-token' })
const leads: Lead[] = (await remote.leads.list()).leads
console.log(leads.length)
await mock.close()
`)
  const tsc = await exec(process.execPath, [join(modules, 'typescript', 'bin', 'tsc'), '-p', project]).then(() => ({ code: 0, output: '' }), (error: { code: number, stdout: string }) => ({ code: error.code, output: error.stdout }))
  t.same(tsc, { code: 0, output: '' }, 'the types compile with skipLibCheck: false')
})
