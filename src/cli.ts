#!/usr/bin/env node
import closeWithGrace from 'close-with-grace'
import { parseArgs } from 'node:util'
import { demoFinancialEntities, demoLeads, demoUsers } from '../seed/demo.js'
import { CONFORMANCE_FLAGS, settingsFromCommandLine } from './conformance/options.js'
import { formatReport } from './conformance/report.js'
import { conformance } from './conformance/run.js'
import { CONFIG_KEYS, configFromEnvironment, SETTINGS, type ConfigKey } from './core/config.js'
import { ConfigError } from './core/errors.js'
import { Fixture } from './core/fixture.js'
import { packageVersion } from './core/package-path.js'
import { listen } from './server.js'

function usage (): string {
  const optionWidth = Math.max(...CONFIG_KEYS.map((key) => SETTINGS[key].flag.length)) + 12
  const envWidth = Math.max(...CONFIG_KEYS.map((key) => SETTINGS[key].env.length)) + 2
  const lines = CONFIG_KEYS.map((key) => {
    const { env, flag, default: fallback, help } = SETTINGS[key]
    const option = `--${flag}${SETTINGS[key].boolean === true ? '' : ' <value>'}`.padEnd(optionWidth)
    return `  ${option}${env.padEnd(envWidth)}${help}${fallback === undefined ? '' : ` (default ${fallback})`}`
  })
  return `Usage: leancore-mock [serve|seed] [options]
       leancore-mock conformance --base-url <url> --ecosystem <uuid> [options]

  serve         run the server (the default)
  seed          write the demo leads into the database again (insert or replace by id), then exit
  conformance   compare a Lead API (LeanCore's, or another leancore-mock) with this mock;
                see leancore-mock conformance --help

Every option can also be given as the environment variable next to it; the option wins.

${lines.join('\n')}
  ${'--help'.padEnd(optionWidth)}show this text
  ${'--version'.padEnd(optionWidth)}print the version
`
}

const CONFORMANCE_KEYS = Object.keys(CONFORMANCE_FLAGS) as Array<keyof typeof CONFORMANCE_FLAGS>

function conformanceUsage (): string {
  const shown = (key: typeof CONFORMANCE_KEYS[number]): string => `--${CONFORMANCE_FLAGS[key].flag}${CONFORMANCE_FLAGS[key].boolean === true ? '' : ` ${CONFORMANCE_FLAGS[key].value}`}`
  const width = Math.max(...CONFORMANCE_KEYS.map((key) => shown(key).length)) + 3
  const lines = CONFORMANCE_KEYS.map((key) => {
    const { env, help } = CONFORMANCE_FLAGS[key]
    return `  ${shown(key).padEnd(width)}${help}${env === undefined ? '' : ` (or ${env})`}`
  })
  return `Usage: leancore-mock conformance --base-url <url> --ecosystem <uuid> [options]

Sends LeanCore's GET /lead cases (and, with client credentials, the token endpoint's) to the
target and to a leancore-mock of its own, and reports each case as same, differs or skipped.
Without --write-cases it only reads: GET /lead, and POST to the token endpoint. The report goes
to stdout, progress to stderr. Exit code: 0 nothing differs, 1 something differs, 2 bad usage, target unreachable,
or the --deadline passed before every case ran.

${lines.join('\n')}
  ${'--help'.padEnd(width)}show this text
`
}

/** `leancore-mock conformance`: its own flags; every failure to run it at all exits 2. */
async function conformanceCommand (argv: string[]): Promise<number> {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } }
  for (const key of CONFORMANCE_KEYS) options[CONFORMANCE_FLAGS[key].flag] = { type: CONFORMANCE_FLAGS[key].boolean === true ? 'boolean' : 'string' }
  let values
  try {
    values = parseArgs({ args: argv, options, strict: true }).values
  } catch (error) {
    throw new ConfigError('arguments', `${(error as Error).message.split('. ')[0] as string}; see leancore-mock conformance --help`)
  }
  if (values.help === true) {
    process.stdout.write(conformanceUsage())
    return 0
  }
  const flags: Partial<Record<keyof typeof CONFORMANCE_FLAGS, string>> = {}
  for (const key of CONFORMANCE_KEYS) {
    const value = values[CONFORMANCE_FLAGS[key].flag]
    flags[key] = typeof value === 'boolean' ? String(value) : value
  }
  const settings = settingsFromCommandLine(flags, process.env, (line) => process.stderr.write(`${line}\n`))
  const report = await conformance(settings)
  if (settings.out === undefined) process.stdout.write(formatReport(report, settings.format))
  else settings.progress(`report written to ${settings.out}`)
  return report.exitCode
}

function parse (argv: string[]): { command: string, flags: Partial<Record<ConfigKey, string>>, help: boolean, version: boolean } {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' }, version: { type: 'boolean' } }
  for (const key of CONFIG_KEYS) options[SETTINGS[key].flag] = { type: SETTINGS[key].boolean === true ? 'boolean' : 'string' }
  let parsed
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (error) {
    // Node's message goes on about positionals after '--'; its first sentence is the point.
    throw new ConfigError('arguments', `${(error as Error).message.split('. ')[0] as string}; see leancore-mock --help`)
  }
  const { values, positionals } = parsed
  const flags: Partial<Record<ConfigKey, string>> = {}
  for (const key of CONFIG_KEYS) {
    const value = values[SETTINGS[key].flag]
    flags[key] = typeof value === 'boolean' ? String(value) : value
  }
  const command = positionals[0] ?? 'serve'
  if (!['serve', 'seed'].includes(command) || positionals.length > 1) {
    throw new ConfigError('arguments', `unknown command ${JSON.stringify(positionals.join(' '))}; use serve, seed or conformance`)
  }
  return { command, flags, help: values.help === true, version: values.version === true }
}

async function main (): Promise<void> {
  const { command, flags, help, version } = parse(process.argv.slice(2))
  if (help) {
    process.stdout.write(usage())
    return
  }
  if (version) {
    process.stdout.write(`${packageVersion()}\n`)
    return
  }
  const config = configFromEnvironment(process.env, flags)
  if (command === 'seed') {
    const fixture = new Fixture({ ...config, seed: 'none' })
    const written = fixture.leads.add(demoLeads())
    const entities = fixture.shared.financialEntities.add(demoFinancialEntities())
    const users = fixture.shared.users.add(demoUsers())
    await fixture.close()
    process.stdout.write(`wrote ${written} demo leads, ${entities} financial entities and ${users} users to ${config.databasePath}\n`)
    return
  }

  // SIGTERM and SIGINT close the server gracefully; a stuck request must not keep a container from
  // stopping (past SHUTDOWN_TIMEOUT it exits 1), a second signal exits at once, and an uncaught
  // error is logged and ends the process with exit 1. The handlers are in place before the server
  // starts: as PID 1 in a container, a process ignores a signal it has no handler for, and a
  // `docker stop` sent while it starts would wait for Docker's kill. A signal then lets the start
  // finish (a migration is never cut), then stops.
  // The two last words are written synchronously: the process exits right after them.
  const starting = listen(config)
  let started: Awaited<typeof starting> | undefined
  closeWithGrace({
    delay: config.shutdownTimeout * 1000,
    logger: false,
    onSecondSignal: (signal) => started?.app.log.warn({ signal }, 'second signal: exiting without waiting for requests in flight'),
    onTimeout: () => started?.app.log.error(`requests still running after ${config.shutdownTimeout} s; exiting`)
  }, async ({ signal, err }) => {
    const server = await starting
    const { log } = server.app
    if (err !== undefined) log.error({ err }, 'uncaught error: shutting down')
    else log.info({ signal }, 'shutting down: no new connections, finishing requests in flight')
    await server.close()
    log.info('leancore-mock stopped')
  })

  const server = started = await starting
  const { log } = server.app
  // What is served, and from where: a SEED given for a database that already exists is not used.
  const seed = flags.seed ?? (process.env.SEED === '' ? undefined : process.env.SEED)
  const leads = server.leads.list({ limit: 1 }).total
  const ready = { url: server.url, docs: `${server.url}/docs`, database: config.databasePath, seed: seed ?? 'demo', leads, kept: !server.app.fixture.seeded }
  if (server.app.fixture.seeded) {
    log.info(ready, `leancore-mock ready at ${server.url}: ${leads} leads, seeded from ${ready.seed} into ${config.databasePath}`)
  } else if (seed !== undefined) {
    log.warn(ready, `leancore-mock ready at ${server.url}: SEED ignored: the database already holds ${leads} leads; delete it or pass --fresh`)
  } else {
    log.info(ready, `leancore-mock ready at ${server.url}: ${leads} leads, kept in ${config.databasePath} (--fresh starts again from the seed)`)
  }
}

// One line a person can act on (a ConfigError names the setting), not a stack trace.
const fail = (code: number) => (error: unknown): void => {
  process.stderr.write(`leancore-mock: ${(error as Error).message}\n`)
  process.exit(code)
}

if (process.argv[2] === 'conformance') {
  conformanceCommand(process.argv.slice(3)).then((code) => { process.exitCode = code }, fail(2))
} else {
  main().catch(fail(1))
}
