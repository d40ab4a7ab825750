#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { demoLeads } from '../seed/demo.js'
import { CONFIG_KEYS, ConfigError, configFromEnvironment, SETTINGS, type ConfigKey } from './config.js'
import { Fixture } from './fixture.js'
import { packagePath } from './package-path.js'
import { listen } from './server.js'

function usage (): string {
  const optionWidth = Math.max(...CONFIG_KEYS.map((key) => SETTINGS[key].flag.length)) + 12
  const envWidth = Math.max(...CONFIG_KEYS.map((key) => SETTINGS[key].env.length)) + 2
  const lines = CONFIG_KEYS.map((key) => {
    const { env, flag, default: fallback, help } = SETTINGS[key]
    const option = `--${flag} <value>`.padEnd(optionWidth)
    return `  ${option}${env.padEnd(envWidth)}${help}${fallback === undefined ? '' : ` (default ${fallback})`}`
  })
  return `Usage: leancore-mock [serve|seed] [options]

  serve   run the server (the default)
  seed    write the demo leads into the database again (insert or replace by id), then exit

Every option can also be given as the environment variable next to it; the option wins.

${lines.join('\n')}
  ${'--help'.padEnd(optionWidth)}show this text
  ${'--version'.padEnd(optionWidth)}print the version
`
}

function parse (argv: string[]): { command: string, flags: Partial<Record<ConfigKey, string>>, help: boolean, version: boolean } {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' }, version: { type: 'boolean' } }
  for (const key of CONFIG_KEYS) options[SETTINGS[key].flag] = { type: 'string' }
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
    if (typeof value === 'string') flags[key] = value
  }
  const command = positionals[0] ?? 'serve'
  if (!['serve', 'seed'].includes(command) || positionals.length > 1) {
    throw new ConfigError('arguments', `unknown command ${JSON.stringify(positionals.join(' '))}; use serve or seed`)
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
    process.stdout.write(`${(JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version}\n`)
    return
  }
  const config = configFromEnvironment(process.env, flags)
  if (command === 'seed') {
    const fixture = new Fixture({ ...config, seed: 'none' })
    const written = fixture.leads.upsert(demoLeads())
    fixture.close()
    process.stdout.write(`wrote ${written} demo leads to ${config.databasePath}\n`)
    return
  }

  const server = await listen(config)
  const { log } = server.app
  log.info({ url: server.url, docs: `${server.url}/docs`, database: config.databasePath }, 'leancore-mock ready')

  let stopping = false
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting without waiting for requests in flight')
      process.exit(1)
    }
    stopping = true
    log.info({ signal }, 'shutting down: no new connections, finishing requests in flight')
    // A stuck request must not keep a container from stopping: past the timeout, exit anyway.
    setTimeout(() => {
      log.error(`requests still running after ${config.shutdownTimeout} s; exiting`)
      process.exit(1)
    }, config.shutdownTimeout * 1000).unref()
    void server.close().then(() => {
      log.info('leancore-mock stopped')
      process.exit(0)
    })
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

main().catch((error: unknown) => {
  // One line a person can act on (a ConfigError names the setting), not a stack trace.
  process.stderr.write(`leancore-mock: ${(error as Error).message}\n`)
  process.exit(1)
})
