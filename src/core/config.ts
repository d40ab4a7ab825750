import { readFileSync } from 'node:fs'
import { ConfigError } from './errors.js'
import { BEARER_TOKEN } from './formats.js'
import type { LeadInput } from './leads/schema.js'
import { validateSeed, type SeedData, type SeedInput } from './seed-data.js'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = typeof LOG_LEVELS[number]

export interface OAuthClient {
  id: string
  secret: string
}

export const DEV_TOKEN = 'leancore-dev-token'
export const DEV_CLIENT: OAuthClient = { id: 'leancore-dev-client', secret: 'leancore-dev-secret' }

/** Everything the app needs, validated. buildApp takes one of these and never reads process.env. */
export interface Config {
  port: number
  host: string
  /** A file path, or ':memory:' */
  databasePath: string
  /** Bearer tokens GET /lead accepts (besides the ones /oauth2/token issues) */
  tokens: string[]
  /** What a new database starts with, and what reset() goes back to */
  seed: 'demo' | 'none' | SeedData
  logLevel: LogLevel
  /** true: any origin; false: no CORS headers; or the exact origins allowed */
  corsOrigin: boolean | string[]
  /** Enables /__admin/ when set */
  adminToken: string | undefined
  oauthClients: OAuthClient[]
  /** Lifetime of the tokens /oauth2/token issues, in seconds */
  tokenTtl: number
  /** How many requests the journal keeps; the oldest go first. 0 turns it off. */
  journalSize: number
  /** Bytes one space's journal keeps (the shared data's, each sandbox's); the oldest go first */
  journalBytes: number
  /** Bytes all the journals keep together; past it, the largest journal gives up its oldest entries */
  journalTotalBytes: number
  /** Seconds the CLI waits for requests in flight after SIGTERM before it exits anyway */
  shutdownTimeout: number
  /** Seconds a client has to send a whole request (headers and body); then 408 */
  requestTimeout: number
  /** Connections open at once; past it, the oldest idle one is closed, or the new one gets a 429 */
  maxConnections: number
  /** Seconds a connection may stay idle (no request under way) before it is closed */
  idleTimeout: number
  /** Scenarios active at once in one space (the shared data, or one sandbox), all its tokens together */
  maxScenarios: number
  /** Scenarios active at once in one space for one token (or for none, the scenarios every request may meet) */
  maxScenariosPerToken: number
  /** What one space's active scenarios take, in bytes (their JSON and a fixed overhead each) */
  maxScenarioBytes: number
  /** What one token's active scenarios take in its space, in bytes */
  maxScenarioBytesPerToken: number
  /** Live tokens /oauth2/token issues to one client; past it, 429 until one expires */
  maxTokensPerClient: number
  /** Sandboxes at once; past it, 409 until one is deleted or expires */
  maxSandboxes: number
  /** Leads one sandbox may hold (and that clients' create-lead may bring the shared data to) */
  maxLeadsPerSandbox: number
  /** Bytes of leads one sandbox may hold (and the shared data, through create-lead) */
  maxSandboxBytes: number
  /** Start from the seed even if the database file exists: the file is deleted first */
  fresh: boolean
}

interface Setting<T> {
  env: string
  flag: string
  /** The value when nothing is given, as the environment would spell it */
  default: string | undefined
  help: string
  /** A flag without a value (--fresh); its variable takes 1, true, 0 or false */
  boolean?: true
  /** Accepts the environment's string or, from the programmatic API, a typed value. */
  parse: (value: unknown) => T
}

export const SETTINGS: { [K in keyof Config]: Setting<Config[K]> } = {
  port: {
    env: 'PORT',
    flag: 'port',
    default: '3000',
    help: 'TCP port to listen on; 0 picks a free one',
    parse: (value) => integer(value, 0, 65535)
  },
  host: {
    env: 'HOST',
    flag: 'host',
    default: '127.0.0.1',
    help: 'Interface to listen on; 0.0.0.0 in a container',
    parse: (value) => nonEmptyString(value)
  },
  databasePath: {
    env: 'DATABASE_PATH',
    flag: 'database-path',
    default: './data/leancore.db',
    help: 'SQLite file (created, migrated and seeded on first start), or :memory:',
    parse: (value) => nonEmptyString(value)
  },
  tokens: {
    env: 'API_TOKENS',
    flag: 'api-tokens',
    default: DEV_TOKEN,
    help: 'Comma-separated bearer tokens that GET /lead accepts',
    parse: (value) => tokenList(value)
  },
  seed: {
    env: 'SEED',
    flag: 'seed',
    default: 'demo',
    help: 'demo (realistic Colombian leads), none, or the path of a JSON array of leads (a conformance --record file)',
    parse: (value) => seed(value)
  },
  logLevel: {
    env: 'LOG_LEVEL',
    flag: 'log-level',
    default: 'info',
    help: LOG_LEVELS.join(', '),
    parse: (value) => oneOf(value, LOG_LEVELS)
  },
  corsOrigin: {
    env: 'CORS_ORIGIN',
    flag: 'cors-origin',
    default: '*',
    help: '* for any origin, none to send no CORS headers, or comma-separated origins',
    parse: (value) => corsOrigin(value)
  },
  adminToken: {
    env: 'ADMIN_TOKEN',
    flag: 'admin-token',
    default: undefined,
    help: 'Bearer token for /__admin/; the admin API is off when unset',
    parse: (value) => token(value)
  },
  oauthClients: {
    env: 'OAUTH_CLIENTS',
    flag: 'oauth-clients',
    default: `${DEV_CLIENT.id}:${DEV_CLIENT.secret}`,
    help: 'Comma-separated id:secret pairs that POST /oauth2/token accepts',
    parse: (value) => oauthClients(value)
  },
  tokenTtl: {
    env: 'TOKEN_TTL',
    flag: 'token-ttl',
    default: '3600',
    help: 'Seconds a token from /oauth2/token stays valid',
    parse: (value) => integer(value, 1, 31_536_000)
  },
  journalSize: {
    env: 'JOURNAL_SIZE',
    flag: 'journal-size',
    default: '1000',
    help: 'Requests the journal keeps (oldest dropped first); 0 turns it off',
    parse: (value) => integer(value, 0, 1_000_000)
  },
  journalBytes: {
    env: 'JOURNAL_BYTES',
    flag: 'journal-bytes',
    default: String(4 * 1024 * 1024),
    help: 'Bytes one journal keeps (the shared data\'s, each sandbox\'s); the oldest entries go first',
    parse: (value) => integer(value, 16 * 1024, 1024 * 1024 * 1024)
  },
  journalTotalBytes: {
    env: 'JOURNAL_TOTAL_BYTES',
    flag: 'journal-total-bytes',
    // What an entry really holds in V8 is about twice what is counted: 16 MiB keeps the worst case
    // (test/e2e/journal-memory.test.ts) well under 100 MB of RSS.
    default: String(16 * 1024 * 1024),
    help: 'Bytes all journals keep together; past it, the largest journal gives up its oldest entries',
    parse: (value) => integer(value, 16 * 1024, 1024 * 1024 * 1024)
  },
  shutdownTimeout: {
    env: 'SHUTDOWN_TIMEOUT',
    flag: 'shutdown-timeout',
    default: '8',
    help: 'Seconds to finish requests in flight after SIGTERM (below Docker\'s 10 s stop timeout)',
    parse: (value) => integer(value, 1, 3600)
  },
  requestTimeout: {
    env: 'REQUEST_TIMEOUT',
    flag: 'request-timeout',
    default: '30',
    help: 'Seconds a client has to send a whole request; a slower one gets 408',
    parse: (value) => integer(value, 1, 3600)
  },
  maxConnections: {
    env: 'MAX_CONNECTIONS',
    flag: 'max-connections',
    default: '1000',
    help: 'Connections open at once; one more closes the oldest idle one, or gets a 429 when none is idle',
    parse: (value) => integer(value, 1, 1_000_000)
  },
  idleTimeout: {
    env: 'IDLE_TIMEOUT',
    flag: 'idle-timeout',
    default: '5',
    help: 'Seconds a connection may hold no request (before its first, or between two) before it is closed',
    parse: (value) => integer(value, 1, 3600)
  },
  maxScenarios: {
    env: 'MAX_SCENARIOS',
    flag: 'max-scenarios',
    default: '100',
    help: 'Scenarios active at once in one space (the shared data, or one sandbox), all its tokens together',
    parse: (value) => integer(value, 1, 1_000_000)
  },
  maxScenariosPerToken: {
    env: 'MAX_SCENARIOS_PER_TOKEN',
    flag: 'max-scenarios-per-token',
    default: '100',
    help: 'Scenarios active at once in one space for one token (or for all tokens, when a scenario names none)',
    parse: (value) => integer(value, 1, 1_000_000)
  },
  maxScenarioBytes: {
    env: 'MAX_SCENARIO_BYTES',
    flag: 'max-scenario-bytes',
    default: String(256 * 1024),
    help: 'Bytes one space\'s active scenarios take (their JSON and 512 each)',
    parse: (value) => integer(value, 1024, 1024 * 1024 * 1024)
  },
  maxScenarioBytesPerToken: {
    env: 'MAX_SCENARIO_BYTES_PER_TOKEN',
    flag: 'max-scenario-bytes-per-token',
    default: String(256 * 1024),
    help: 'Bytes one token\'s active scenarios take in its space',
    parse: (value) => integer(value, 1024, 1024 * 1024 * 1024)
  },
  maxTokensPerClient: {
    env: 'MAX_TOKENS_PER_CLIENT',
    flag: 'max-tokens-per-client',
    default: '1000',
    help: 'Live tokens /oauth2/token issues to one client; one more gets 429 until one expires',
    parse: (value) => integer(value, 1, 1_000_000)
  },
  maxSandboxes: {
    env: 'MAX_SANDBOXES',
    flag: 'max-sandboxes',
    default: '200',
    help: 'Sandboxes at once; one more gets 409 until one is deleted or expires',
    parse: (value) => integer(value, 0, 100_000)
  },
  maxLeadsPerSandbox: {
    env: 'MAX_LEADS_PER_SANDBOX',
    flag: 'max-leads-per-sandbox',
    default: '50000',
    help: 'Leads one sandbox may hold, and the shared data through create-lead; past it, 409 (413 for one request larger on its own)',
    parse: (value) => integer(value, 1, 100_000_000)
  },
  maxSandboxBytes: {
    env: 'MAX_SANDBOX_BYTES',
    flag: 'max-sandbox-bytes',
    default: String(64 * 1024 * 1024),
    help: 'Bytes of leads one sandbox may hold (their text as UTF-8), and the shared data through create-lead',
    parse: (value) => integer(value, 1024, 1024 * 1024 * 1024 * 1024)
  },
  fresh: {
    env: 'FRESH',
    flag: 'fresh',
    default: 'false',
    help: 'Start from the seed even if the database file exists (it is deleted first); 1 or true',
    boolean: true,
    parse: (value) => yesOrNo(value)
  }
}

export type ConfigKey = keyof Config
export const CONFIG_KEYS = Object.keys(SETTINGS) as ConfigKey[]

/**
 * The process's configuration: a command-line flag wins over the environment, which wins over
 * the default. An empty variable counts as unset (compose files write `ADMIN_TOKEN=` often).
 */
export function configFromEnvironment (
  env: Record<string, string | undefined>,
  flags: Partial<Record<ConfigKey, string>> = {}
): Config {
  return resolve((key) => {
    const setting = SETTINGS[key]
    if (flags[key] !== undefined) return { name: `--${setting.flag}`, value: flags[key] }
    const fromEnv = env[setting.env]
    if (fromEnv !== undefined && fromEnv !== '') return { name: setting.env, value: fromEnv }
    return { name: setting.env, value: setting.default }
  })
}

/** Options of the programmatic API; anything left out takes a default fit for a test fixture. */
export type StartOptions = {
  [K in Exclude<ConfigKey, 'seed' | 'corsOrigin' | 'oauthClients'>]?: Config[K]
} & {
  /**
   * 'demo', 'none', your own leads, your own `{ leads, financialEntities, users }`, or the path of a
   * JSON file holding either
   */
  seed?: 'demo' | 'none' | (string & Record<never, never>) | LeadInput[] | SeedInput
  corsOrigin?: boolean | string | string[]
  oauthClients?: OAuthClient[] | string
}

/** Where a fixture differs from a server: any free port, a private in-memory database, quiet logs. */
const FIXTURE_DEFAULTS: Partial<Record<ConfigKey, string>> = {
  port: '0',
  databasePath: ':memory:',
  logLevel: 'warn'
}

export function configFromOptions (options: StartOptions = {}): Config {
  return resolve((key) => {
    const value = options[key]
    if (value !== undefined) return { name: key, value }
    return { name: key, value: key in FIXTURE_DEFAULTS ? FIXTURE_DEFAULTS[key] : SETTINGS[key].default }
  })
}

function resolve (pick: (key: ConfigKey) => { name: string, value: unknown }): Config {
  const config: Record<string, unknown> = {}
  const names: Record<string, string> = {}
  for (const key of CONFIG_KEYS) {
    const { name, value } = pick(key)
    names[key] = name
    if (value === undefined) continue
    try {
      config[key] = SETTINGS[key].parse(value)
    } catch (error) {
      throw new ConfigError(name, (error as Error).message)
    }
  }
  const resolved = config as unknown as Config
  if (resolved.adminToken !== undefined && resolved.tokens.includes(resolved.adminToken)) {
    throw new ConfigError(names.adminToken as string, 'must differ from every API token, so that an API token never opens the admin API')
  }
  return resolved
}

function integer (value: unknown, min: number, max: number): number {
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw new Error(`must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`)
  }
  return number
}

function nonEmptyString (value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`must be a non-empty string, got ${JSON.stringify(value)}`)
  return value.trim()
}

function oneOf<T extends string> (value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new Error(`must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`)
  return value as T
}

function list (value: unknown): unknown[] {
  if (typeof value === 'string') return value.split(',').map((item) => item.trim()).filter((item) => item !== '')
  if (Array.isArray(value)) return value
  throw new Error(`must be a comma-separated string or an array, got ${JSON.stringify(value)}`)
}

function token (value: unknown): string {
  if (typeof value !== 'string' || !BEARER_TOKEN.test(value)) {
    // Never echo what was given: it is meant to be a secret.
    throw new Error('must be a bearer token: letters, digits and -._~+/ only, optionally ending in =')
  }
  return value
}

function tokenList (value: unknown): string[] {
  const tokens = list(value).map(token)
  if (tokens.length === 0) throw new Error('needs at least one token')
  return [...new Set(tokens)]
}

function seed (value: unknown): Config['seed'] {
  if (value === 'demo' || value === 'none') return value
  if (value !== null && typeof value === 'object') return validateSeed(value)
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`must be demo, none or the path of a JSON file of leads, got ${JSON.stringify(value)}`)
  }
  return seedFromFile(value)
}

/**
 * A file of seed data, checked like any fixture data: an array of leads (such as a conformance
 * recording), or an object with leads, financialEntities and users.
 */
function seedFromFile (path: string): SeedData {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new Error(`cannot read ${path} (${(error as NodeJS.ErrnoException).code as string}); give demo, none or the path of a JSON file of leads`)
  }
  let leads: unknown
  try {
    leads = JSON.parse(text)
  } catch (error) {
    // V8 quotes the start of the text after a comma; that is the file's data, and may span lines.
    throw new Error(`${path} is not valid JSON: ${(error as Error).message.split(/, (?:\.\.\.)?"/)[0] as string}`)
  }
  try {
    return validateSeed(leads)
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`)
  }
}

function corsOrigin (value: unknown): Config['corsOrigin'] {
  if (typeof value === 'boolean') return value
  if (value === '*') return true
  if (value === 'none') return false
  return list(value).map((origin) => {
    const text = String(origin)
    if (!URL.canParse(text) || new URL(text).origin !== text) {
      throw new Error(`${JSON.stringify(origin)} is not an origin like https://app.example.co (scheme, host and port only)`)
    }
    return text
  })
}

function oauthClients (value: unknown): OAuthClient[] {
  const clients = list(value).map((entry) => {
    if (typeof entry === 'string') {
      const colon = entry.indexOf(':')
      return { id: colon === -1 ? entry : entry.slice(0, colon), secret: colon === -1 ? '' : entry.slice(colon + 1) }
    }
    return entry as OAuthClient
  })
  const ids = new Set<string>()
  for (const client of clients) {
    if (typeof client?.id !== 'string' || client.id === '' || client.id.includes(':') ||
        typeof client.secret !== 'string' || client.secret === '') {
      throw new Error('each client must be id:secret with a non-empty id (no colon) and a non-empty secret')
    }
    if (ids.has(client.id)) throw new Error(`client ${JSON.stringify(client.id)} is listed twice`)
    ids.add(client.id)
  }
  if (clients.length === 0) throw new Error('needs at least one id:secret client')
  return clients
}

function yesOrNo (value: unknown): boolean {
  if (value === true || value === 'true' || value === '1') return true
  if (value === false || value === 'false' || value === '0') return false
  throw new Error(`must be 1, true, 0 or false, got ${JSON.stringify(value)}`)
}
