import { FixtureError } from './core/errors.js'
import { BEARER_TOKEN } from './core/formats.js'
import type { FinancialEntity } from './core/financial-entities/schema.js'
import type { JournalEntry, JournalFilter } from './core/journal/journal.js'
import type { EcosystemCount, LeadPage } from './core/leads/repository.js'
import type { LeadInput } from './core/leads/schema.js'
import type { CreatedSandbox } from './core/sandboxes/schema.js'
import type { Scenario, ScenarioInput } from './core/scenarios/schema.js'
import type { FixtureLeads } from './core/space.js'
import type { StoredUser, UserInput } from './core/users/schema.js'
import type { SandboxOptions } from './server.js'

type PageOptions = { ecosystem?: string | undefined, limit?: number | undefined, offset?: number | undefined }
type LeadListOptions = NonNullable<Parameters<FixtureLeads['list']>[0]>

/** Records of one kind, over the admin API: the members of startServer()'s `leads`, `financialEntities` and `users`, each a promise. */
export interface RemoteRecords<Input, Page, ListOptions extends object = PageOptions> {
  /** Validates and writes them (insert, or replace by key), all or nothing; how many */
  add: (records: readonly Input[]) => Promise<number>
  list: (options?: ListOptions) => Promise<Page>
  /** Deletes every one, or one ecosystem's; how many went */
  remove: (options?: { ecosystem?: string | undefined }) => Promise<number>
  /** false when none had that key */
  removeById: (key: string) => Promise<boolean>
}

/** The leads, over the admin API: startServer()'s `leads`, each member a promise */
export interface RemoteLeads extends RemoteRecords<LeadInput, LeadPage, LeadListOptions> {
  /** Each ecosystem that has leads, with how many */
  ecosystems: () => Promise<EcosystemCount[]>
}

export interface RemoteJournal {
  /** Oldest first. `token` takes the token or its fingerprint (sha256:…). */
  entries: (filter?: JournalFilter) => Promise<JournalEntry[]>
  clear: () => Promise<void>
}

export interface RemoteScenarios {
  add: (scenario: ScenarioInput) => Promise<Scenario>
  list: (token?: string) => Promise<Scenario[]>
  /** false when no scenario had that id */
  remove: (id: string) => Promise<boolean>
  /** Every scenario, or one token's; how many went */
  clear: (token?: string) => Promise<number>
}

/** The data of one space (the shared data, or a sandbox) over the admin API: what startServer() gives in process, each member a promise. */
export interface RemoteSpace {
  readonly url: string
  readonly leads: RemoteLeads
  readonly financialEntities: RemoteRecords<FinancialEntity, { total: number, financialEntities: FinancialEntity[] }>
  readonly users: RemoteRecords<UserInput, { total: number, users: StoredUser[] }>
  readonly journal: RemoteJournal
  readonly scenarios: RemoteScenarios
  /** Back to the space's seed, an empty journal, no scenarios */
  reset: () => Promise<void>
}

/** A leancore-mock running elsewhere (a container, another process), as connect() returns it. */
export interface RemoteMock extends RemoteSpace {
  /** A sandbox of its own, with the same members for its data; its close() deletes it. Needs the admin token. */
  sandbox: (options?: SandboxOptions) => Promise<RemoteSandbox>
  /** Nothing to release: the server keeps running (it is not this process's to stop). */
  close: () => Promise<void>
}

/** A sandbox made through connect(): its token and client, and its data. */
export interface RemoteSandbox extends RemoteSpace, CreatedSandbox {
  /** Deletes the sandbox, its data and its tokens. Safe to call twice. */
  close: () => Promise<void>
}

export interface ConnectOptions {
  /** The server's ADMIN_TOKEN: opens the shared data and makes sandboxes */
  adminToken?: string | undefined
  /** A sandbox's token instead: the members act on that sandbox alone */
  token?: string | undefined
}

/**
 * A leancore-mock at `url` (its admin API on), with the members startServer() gives in process:
 * `leads`, `financialEntities`, `users`, `journal`, `scenarios`, `reset` and `sandbox()`, each a
 * promise. A refusal rejects with a FixtureError carrying the server's status and message.
 */
export function connect (url: string, { adminToken, token }: ConnectOptions): RemoteMock {
  if (!URL.canParse(url) || !['http:', 'https:'].includes(new URL(url).protocol)) throw new TypeError(`connect(url): ${JSON.stringify(url)} is not an http or https URL`)
  const base = url.replace(/\/+$/, '')
  const opener = token ?? adminToken
  if (opener === undefined) throw new TypeError('connect(url, { adminToken }) needs the server\'s admin token, or a sandbox\'s token as { token }')
  // Never echoed: it is meant to be a secret.
  for (const given of [adminToken, token]) {
    // Stryker disable next-line ConditionalExpression: equivalent, the word "undefined" would pass the rule too
    if (given !== undefined && !BEARER_TOKEN.test(given)) throw new TypeError('connect(): a token is letters, digits and -._~+/ only, optionally ending in =')
  }
  return {
    ...space(base, opener),
    sandbox: async (options = {}) => {
      if (adminToken === undefined) throw new TypeError('sandbox() needs the admin token: connect(url, { adminToken })')
      const created = await call<CreatedSandbox>(base, adminToken, 'POST', '/__admin/sandboxes', options)
      let closed = false
      return {
        ...created,
        ...space(base, created.token),
        close: async () => {
          if (closed) return
          closed = true
          await call(base, adminToken, 'DELETE', `/__admin/sandboxes/${encodeURIComponent(created.id)}`).catch(ignoreNotFound)
        }
      }
    },
    close: async () => {}
  }
}

function space (base: string, token: string): RemoteSpace {
  const admin = async <T>(method: string, path: string, body?: unknown): Promise<T> => await call<T>(base, token, method, `/__admin${path}`, body)
  const records = <Input, Page, ListOptions extends object = PageOptions>(path: string): RemoteRecords<Input, Page, ListOptions> => ({
    add: async (added) => (await admin<{ written: number }>('POST', `/${path}`, added)).written,
    list: async (options) => await admin<Page>('GET', `/${path}${query(options ?? {})}`),
    remove: async (options = {}) => (await admin<{ deleted: number }>('DELETE', `/${path}${query(options)}`)).deleted,
    removeById: async (key) => await found(admin('DELETE', `/${path}/${encodeURIComponent(key)}`))
  })
  return {
    url: base,
    leads: { ...records<LeadInput, LeadPage, LeadListOptions>('leads'), ecosystems: async () => await admin<EcosystemCount[]>('GET', '/ecosystems') },
    financialEntities: records('financial-entities'),
    users: records('users'),
    journal: {
      entries: async (filter = {}) => (await admin<{ entries: JournalEntry[] }>('GET', `/journal${query(filter)}`)).entries,
      clear: async () => { await admin('DELETE', '/journal') }
    },
    scenarios: {
      add: async (scenario) => await admin<Scenario>('POST', '/scenarios', scenario),
      list: async (of) => await admin<Scenario[]>('GET', `/scenarios${query({ token: of })}`),
      remove: async (id) => await found(admin('DELETE', `/scenarios/${encodeURIComponent(id)}`)),
      clear: async (of) => (await admin<{ deleted: number }>('DELETE', `/scenarios${query({ token: of })}`)).deleted
    },
    reset: async () => { await admin('POST', '/reset') }
  }
}

/** One admin call: JSON in and out; a refusal becomes a FixtureError with the server's status and message. */
async function call<T> (base: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` }
  if (body !== undefined) headers['content-type'] = 'application/json'
  let response: Response
  try {
    // JSON.stringify(undefined) is undefined: no body.
    response = await fetch(`${base}${path}`, { method, headers, body: JSON.stringify(body) })
  } catch (error) {
    // undici's "fetch failed" says nothing; its cause says what went wrong (refused, unknown host).
    throw new Error(`cannot reach leancore-mock at ${base}: ${String((error as Error).cause)}`)
  }
  const text = await response.text()
  let answer: unknown
  try {
    answer = JSON.parse(text)
  } catch { /* not JSON (an empty body, a proxy's page): no message to read */ }
  if (response.ok) return answer as T
  const message = (answer as { message?: unknown } | null | undefined)?.message
  // Fastify's own 404 for a route it does not have: not a record that is missing.
  if (response.status === 404 && typeof message === 'string' && message.startsWith('Route ')) {
    throw new Error(`${base} has no admin API: start it with ADMIN_TOKEN set (${method} ${path} answered 404 ${message})`)
  }
  throw new FixtureError(response.status, typeof message === 'string' ? message : `${method} ${path} answered ${response.status}: ${text.slice(0, 200)}`)
}

/** true when the delete found what it named, false for a 404 */
async function found (deletion: Promise<unknown>): Promise<boolean> {
  return await deletion.then(() => true, (error: unknown) => {
    ignoreNotFound(error)
    return false
  })
}

function ignoreNotFound (error: unknown): void {
  if (!(error instanceof FixtureError) || error.statusCode !== 404) throw error
}

/** The options given as a query string, those left out left out */
function query (options: object): string {
  const given = Object.entries(options).filter(([, value]) => value !== undefined).map(([name, value]): [string, string] => [name, String(value)])
  return given.length === 0 ? '' : `?${new URLSearchParams(given).toString()}`
}
