import { accessSync, constants, existsSync, lstatSync, statSync, type Stats } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { ConfigError } from '../core/errors.js'
import { BEARER_TOKEN, UUID } from '../core/formats.js'
import { PHONE_PATTERN } from '../core/leads/schema.js'

const FORMATS = ['text', 'json', 'junit'] as const
export type ReportFormat = typeof FORMATS[number]

/** What runConformance() takes; the `conformance` command's flags, one for one. */
export interface ConformanceOptions {
  /** Where the Lead API answers: the URL before /lead (a path prefix is kept) */
  baseUrl: string
  /** An ecosystem of the account, with leads: the kit reads them and compares their shape */
  ecosystem: string
  /** The phone of one of the account's leads; without it, the phone lookup is skipped */
  phone?: string | undefined
  /** A bearer token GET /lead accepts; without it, one is fetched with the client credentials */
  token?: string | undefined
  clientId?: string | undefined
  clientSecret?: string | undefined
  /** Where client credentials get a token; `<baseUrl>/oauth2/token` when left out */
  tokenUrl?: string | undefined
  /** How the report is written to `out` (default text) */
  format?: ReportFormat | undefined
  /** A file to write the report to */
  out?: string | undefined
  /** A file to write the leads the target answered with, personal data replaced, as fixture data */
  record?: string | undefined
  /** Requests per second to the target; left out, a gentle pace for another host and none for this machine */
  rate?: number | undefined
  /** Seconds each request may take before the target counts as unreachable */
  timeout?: number | undefined
  /** Bytes of an answer's body the kit reads at most (16 MiB by default); a larger one is a difference, not read */
  maxBody?: number | undefined
  /** Seconds the whole run may take (300 by default); the cases still to run then are reported as not run */
  deadline?: number | undefined
  /** Overwrite `out` and `record` when they exist (never through a symbolic link) */
  force?: boolean | undefined
  /**
   * Also run the write cases: create one throwaway lead named `leancore-mock conformance`, update it,
   * assign it to `financialEntity` and turn it into a client. Never against LeanCore's production host.
   */
  writeCases?: boolean | undefined
  /** The uid of a financial entity of the ecosystem: the write cases assign the throwaway lead to it */
  financialEntity?: string | undefined
  /** Told one line at a time how the run goes; the command sends these lines to stderr */
  progress?: ((line: string) => void) | undefined
}

/** The options, checked, with their defaults filled in. */
export interface Settings {
  baseUrl: string
  tokenUrl: string
  ecosystem: string
  phone: string | undefined
  token: string | undefined
  client: { id: string, secret: string } | undefined
  format: ReportFormat
  out: string | undefined
  record: string | undefined
  rate: number | undefined
  timeoutMs: number
  maxBodyBytes: number
  deadlineMs: number
  force: boolean
  writeCases: boolean
  financialEntity: string | undefined
  progress: (line: string) => void
}

type Key = Exclude<keyof ConformanceOptions, 'progress'>

interface Flag {
  flag: string
  /** A flag without a value (--force) */
  boolean?: true
  /** The environment variable the command also reads it from (a secret is better kept off the command line) */
  env?: string
  value: string
  help: string
}

/** The `conformance` command's flags, in the order --help lists them. */
export const CONFORMANCE_FLAGS: Record<Key, Flag> = {
  baseUrl: { flag: 'base-url', value: '<url>', help: 'where the Lead API answers (required)' },
  ecosystem: { flag: 'ecosystem', value: '<uuid>', help: 'an ecosystem of the account that has leads (required)' },
  phone: { flag: 'phone', value: '<digits>', help: 'the phone of one of its leads; without it the phone lookup is skipped' },
  token: { flag: 'token', env: 'LEANCORE_TOKEN', value: '<token>', help: 'a bearer token for GET /lead' },
  clientId: { flag: 'client-id', env: 'LEANCORE_CLIENT_ID', value: '<id>', help: 'OAuth client id: the token endpoint is checked, and gives the token if --token is not set' },
  clientSecret: { flag: 'client-secret', env: 'LEANCORE_CLIENT_SECRET', value: '<secret>', help: 'OAuth client secret' },
  tokenUrl: { flag: 'token-url', value: '<url>', help: 'the token endpoint (default <base-url>/oauth2/token)' },
  format: { flag: 'format', value: 'text|json|junit', help: 'how the report is written (default text)' },
  out: { flag: 'out', value: '<file>', help: 'write the report to this file instead of stdout' },
  record: { flag: 'record', value: '<file>', help: 'write the leads seen, personal data replaced, as a seed file (SEED=<file>)' },
  rate: { flag: 'rate', value: '<n>', help: 'requests per second (default 2; no limit for a target on this machine)' },
  timeout: { flag: 'timeout', value: '<seconds>', help: 'how long each request may take (default 10)' },
  maxBody: { flag: 'max-body', value: '<bytes>', help: 'the most of an answer\'s body it reads (default 16777216); a larger one differs, unread' },
  deadline: { flag: 'deadline', value: '<seconds>', help: 'how long the whole run may take (default 300); cases left then are not run (exit 2)' },
  force: { flag: 'force', value: '', boolean: true, help: 'overwrite --out and --record if they exist (never through a symbolic link)' },
  writeCases: { flag: 'write-cases', value: '', boolean: true, help: 'also create one throwaway lead and walk it through update, assign and turn-into-client (never on production)' },
  financialEntity: { flag: 'financial-entity', value: '<uuid>', help: 'a financial entity of the ecosystem, that the write cases assign their lead to' }
}

const KEYS = Object.keys(CONFORMANCE_FLAGS) as Key[]
const PHONE = new RegExp(PHONE_PATTERN)
/** An id as LeanCore's records have them: a UUID, or any word of letters, digits and -._ */
const RECORD_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/
const DEFAULT_TIMEOUT = 10
const DEFAULT_MAX_BODY = 16 * 1024 * 1024
const DEFAULT_DEADLINE = 300
/** LeanCore's production host: the write cases would leave a lead and a user among real ones */
const PRODUCTION_HOST = 'api.leancore.co'

/** Options of runConformance(); an error names the option (`baseUrl: ...`). */
export function settingsFromOptions (options: ConformanceOptions): Settings {
  return check(options, (key) => key, options.progress)
}

/**
 * The command's flags, then the environment for the secrets: an error names the flag or the
 * variable the value came from (`--base-url: ...`, `LEANCORE_TOKEN: ...`).
 */
export function settingsFromCommandLine (
  flags: Partial<Record<Key, string>>,
  env: Record<string, string | undefined>,
  progress: (line: string) => void
): Settings {
  const given: Partial<Record<Key, string>> = {}
  const names: Partial<Record<Key, string>> = {}
  for (const key of KEYS) {
    const { flag, env: variable } = CONFORMANCE_FLAGS[key]
    const fromEnv = variable === undefined ? undefined : env[variable]
    if (flags[key] !== undefined) {
      given[key] = flags[key]
      names[key] = `--${flag}`
    } else if (fromEnv !== undefined && fromEnv !== '') {
      given[key] = fromEnv
      names[key] = variable
    }
  }
  return check(given, (key) => names[key] ?? `--${CONFORMANCE_FLAGS[key].flag}`, progress)
}

function check (input: Partial<Record<Key, unknown>>, nameOf: (key: Key) => string, progress?: (line: string) => void): Settings {
  const read = <T>(key: Key, parse: (value: unknown) => T): T | undefined => {
    const value = input[key]
    if (value === undefined) return undefined
    try {
      return parse(value)
    } catch (error) {
      throw new ConfigError(nameOf(key), (error as Error).message)
    }
  }
  const required = <T>(key: Key, value: T | undefined): T => {
    if (value === undefined) throw new ConfigError(nameOf(key), 'is required; see leancore-mock conformance --help')
    return value
  }

  const baseUrl = required('baseUrl', read('baseUrl', httpUrl))
  const ecosystem = required('ecosystem', read('ecosystem', (value) => matching(value, UUID, 'a UUID, like fd3705e1-3149-4c41-bfe7-cf0bee79cfad')))
  const phone = read('phone', (value) => matching(value, PHONE, '7 to 15 digits, country code first, like 573136434030'))
  const token = read('token', secret)
  const clientId = read('clientId', credential)
  const clientSecret = read('clientSecret', credential)
  if ((clientId === undefined) !== (clientSecret === undefined)) {
    const missing: Key = clientId === undefined ? 'clientId' : 'clientSecret'
    const other: Key = missing === 'clientId' ? 'clientSecret' : 'clientId'
    throw new ConfigError(nameOf(missing), `is needed with ${nameOf(other)}`)
  }
  if (token === undefined && clientId === undefined) {
    throw new ConfigError(nameOf('token'), `give a bearer token, or client credentials (${nameOf('clientId')} and ${nameOf('clientSecret')}) to get one`)
  }
  const force = read('force', flag) ?? false
  const out = read('out', (value) => writableFile(value, force))
  const record = read('record', (value) => writableFile(value, force))
  if (out !== undefined && record !== undefined && resolve(out) === resolve(record)) {
    throw new ConfigError(nameOf('record'), `must be another file than ${nameOf('out')}`)
  }
  const timeout = read('timeout', (value) => positiveNumber(value, 600)) ?? DEFAULT_TIMEOUT
  const writeCases = read('writeCases', flag) ?? false
  const financialEntity = read('financialEntity', (value) => matching(value, RECORD_ID, 'the uid of a financial entity, like a UUID'))
  if (writeCases) {
    if (new URL(baseUrl).hostname.replace(/\.$/, '') === PRODUCTION_HOST) {
      throw new ConfigError(nameOf('writeCases'), `refuses to write to ${baseUrl}, LeanCore's production: it would leave a lead and a user among real ones. ` +
        'Point --base-url at your LeanCore sandbox host')
    }
    if (financialEntity === undefined) throw new ConfigError(nameOf('financialEntity'), `is needed with ${nameOf('writeCases')}: a financial entity of the ecosystem to assign the throwaway lead to`)
  } else if (financialEntity !== undefined) {
    throw new ConfigError(nameOf('financialEntity'), `is only used with ${nameOf('writeCases')}`)
  }
  return {
    baseUrl,
    tokenUrl: read('tokenUrl', httpUrl) ?? `${baseUrl}/oauth2/token`,
    ecosystem,
    phone,
    token,
    client: clientId === undefined ? undefined : { id: clientId, secret: clientSecret as string },
    format: read('format', (value) => oneOf(value, FORMATS)) ?? 'text',
    out,
    record,
    rate: read('rate', (value) => positiveNumber(value, 1000)),
    timeoutMs: timeout * 1000,
    maxBodyBytes: read('maxBody', (value) => wholeNumber(value, 1024, 1024 * 1024 * 1024)) ?? DEFAULT_MAX_BODY,
    deadlineMs: (read('deadline', (value) => positiveNumber(value, 86_400)) ?? DEFAULT_DEADLINE) * 1000,
    force,
    writeCases,
    financialEntity,
    progress: progress ?? (() => {})
  }
}

/** An http(s) URL without credentials, query or fragment, and without a trailing slash. */
function httpUrl (value: unknown): string {
  const text = String(value).trim()
  if (!URL.canParse(text)) throw new Error(`must be an http or https URL, like http://127.0.0.1:3000, got ${JSON.stringify(value)}`)
  const url = new URL(text)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`must be an http or https URL, got ${JSON.stringify(url.protocol)}`)
  // Credentials in a URL would end up in the report, which names the target.
  if (url.username !== '' || url.password !== '') throw new Error('must not carry credentials; give them with --token or --client-id and --client-secret')
  // The href, not search and hash: an empty query or fragment ('https://host/api?') is '' in both.
  if (/[?#]/.test(url.href)) throw new Error('must not have a query or a fragment')
  return url.href.replace(/\/+$/, '')
}

function matching (value: unknown, pattern: RegExp, what: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw new Error(`must be ${what}, got ${JSON.stringify(value)}`)
  return value
}

function secret (value: unknown): string {
  // Never echo what was given: it is meant to be a secret.
  if (typeof value !== 'string' || !BEARER_TOKEN.test(value)) throw new Error('must be a bearer token: letters, digits and -._~+/ only, optionally ending in =')
  return value
}

function credential (value: unknown): string {
  // Sent form-encoded in a Basic header, as RFC 6749 asks, so any printable text works.
  if (typeof value !== 'string' || value === '' || /\p{Cc}/u.test(value)) throw new Error('must be non-empty text without control characters')
  return value
}

function oneOf<T extends string> (value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new Error(`must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`)
  return value as T
}

function positiveNumber (value: unknown, max: number): number {
  const number = typeof value === 'string' && /^\d+(?:\.\d+)?$/.test(value.trim()) ? Number(value) : value
  if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0 || number > max) {
    throw new Error(`must be a number above 0 and at most ${max}, got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}`)
  }
  return number
}

/**
 * A file the run may write, found out before it sends anything: in a directory that exists and this
 * user may write, not a symbolic link (whatever it points to), and not an existing file unless `force`.
 */
function writableFile (value: unknown, force: boolean): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`must be a file path, got ${JSON.stringify(value)}`)
  const directory = dirname(resolve(value))
  if (!existsSync(directory) || !statSync(directory).isDirectory()) throw new Error(`the directory ${directory} does not exist`)
  try {
    accessSync(directory, constants.W_OK)
  } catch {
    throw new Error(`the directory ${directory} is not writable by this user`)
  }
  const existing = lstatOf(value)
  if (existing?.isSymbolicLink() === true) throw new Error(`${resolve(value)} is a symbolic link; give the file itself (it is never followed)`)
  if (existing?.isDirectory() === true) throw new Error(`${resolve(value)} is a directory; give a file in it`)
  if (existing !== undefined && !force) throw new Error(`${resolve(value)} exists; give --force to overwrite it`)
  return value
}

function lstatOf (path: string): Stats | undefined {
  try {
    return lstatSync(path)
  } catch {
    return undefined
  }
}

function flag (value: unknown): boolean {
  if (value === true || value === 'true' || value === '') return true
  if (value === false || value === 'false') return false
  throw new Error(`must be true or false, got ${JSON.stringify(value)}`)
}

function wholeNumber (value: unknown, min: number, max: number): number {
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw new Error(`must be a whole number from ${min} to ${max}, got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}`)
  }
  return number
}
