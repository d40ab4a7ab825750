// How `leancore-mock conformance` and runConformance() check their options, fill in the defaults,
// read the environment, and word their errors: in process, no server, no child process.
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { CONFORMANCE_FLAGS, settingsFromCommandLine, settingsFromOptions, type ConformanceOptions, type Settings } from '../src/conformance/options.js'
import { ConfigError } from '../src/core/errors.js'

const ECOSYSTEM = 'fd3705e1-3149-4c41-bfe7-cf0bee79cfad'
const BASE: ConformanceOptions = { baseUrl: 'https://lead-api.example', ecosystem: ECOSYSTEM, token: 'a-token' }
const FLAGS = { baseUrl: 'https://lead-api.example', ecosystem: ECOSYSTEM, token: 'a-token' }
const silent = (): void => {}

/** The options of runConformance(): BASE with these changes */
const options = (changes: Record<string, unknown>): Settings =>
  settingsFromOptions({ ...BASE, ...changes } as ConformanceOptions)

/** The command line: these flags and this environment */
const commandLine = (flags: Record<string, string>, env: Record<string, string | undefined> = {}): Settings =>
  settingsFromCommandLine(flags, env, silent)

/** `make` throws a ConfigError for `setting`, with exactly this message. */
function refuses (t: Test, make: () => unknown, setting: string, message: string): void {
  let error: unknown
  try {
    make()
  } catch (caught) {
    error = caught
  }
  t.type(error, ConfigError, message)
  t.equal((error as ConfigError).setting, setting, `setting of: ${message}`)
  t.equal((error as Error).message, message)
}

t.test('the command has one flag per option, three of them also read from the environment', async (t) => {
  const flags = Object.fromEntries(Object.entries(CONFORMANCE_FLAGS).map(([key, { flag, env, value }]) => [key, { flag, env, value }]))
  t.same(flags, {
    baseUrl: { flag: 'base-url', env: undefined, value: '<url>' },
    ecosystem: { flag: 'ecosystem', env: undefined, value: '<uuid>' },
    phone: { flag: 'phone', env: undefined, value: '<digits>' },
    token: { flag: 'token', env: 'LEANCORE_TOKEN', value: '<token>' },
    clientId: { flag: 'client-id', env: 'LEANCORE_CLIENT_ID', value: '<id>' },
    clientSecret: { flag: 'client-secret', env: 'LEANCORE_CLIENT_SECRET', value: '<secret>' },
    tokenUrl: { flag: 'token-url', env: undefined, value: '<url>' },
    format: { flag: 'format', env: undefined, value: 'text|json|junit' },
    out: { flag: 'out', env: undefined, value: '<file>' },
    record: { flag: 'record', env: undefined, value: '<file>' },
    rate: { flag: 'rate', env: undefined, value: '<n>' },
    timeout: { flag: 'timeout', env: undefined, value: '<seconds>' },
    maxBody: { flag: 'max-body', env: undefined, value: '<bytes>' },
    deadline: { flag: 'deadline', env: undefined, value: '<seconds>' },
    force: { flag: 'force', env: undefined, value: '' },
    writeCases: { flag: 'write-cases', env: undefined, value: '' },
    financialEntity: { flag: 'financial-entity', env: undefined, value: '<uuid>' }
  })
  t.same(Object.keys(CONFORMANCE_FLAGS), ['baseUrl', 'ecosystem', 'phone', 'token', 'clientId', 'clientSecret', 'tokenUrl', 'format', 'out', 'record', 'rate', 'timeout', 'maxBody', 'deadline', 'force', 'writeCases', 'financialEntity'], 'in the order --help lists them')
  t.same(Object.entries(CONFORMANCE_FLAGS).filter(([, flag]) => flag.boolean === true).map(([key]) => key), ['force', 'writeCases'], 'two flags take no value')
})

t.test('with only the required options, the defaults of the README are filled in', async (t) => {
  const settings = settingsFromOptions({ baseUrl: 'https://lead-api.example', ecosystem: ECOSYSTEM, token: 'a-token' })
  t.same({ ...settings, progress: undefined }, {
    baseUrl: 'https://lead-api.example',
    tokenUrl: 'https://lead-api.example/oauth2/token',
    ecosystem: ECOSYSTEM,
    phone: undefined,
    token: 'a-token',
    client: undefined,
    format: 'text',
    out: undefined,
    record: undefined,
    rate: undefined,
    timeoutMs: 10000,
    maxBodyBytes: 16 * 1024 * 1024,
    deadlineMs: 300_000,
    force: false,
    writeCases: false,
    financialEntity: undefined,
    progress: undefined
  })
  t.type(settings.progress, 'function', 'progress defaults to a function')
  t.equal(settings.progress('a line'), undefined, 'that does nothing')
})

t.test('every option given is kept, checked, in the settings', async (t) => {
  const directory = t.testdir({ reports: {} })
  const progress = (line: string): void => { t.comment(line) }
  const settings = settingsFromOptions({
    baseUrl: 'https://lead-api.example/v2',
    ecosystem: ECOSYSTEM,
    phone: '573136434030',
    token: 'a-token',
    clientId: 'client',
    clientSecret: 'secret',
    tokenUrl: 'https://auth.example/oauth2/token',
    format: 'junit',
    out: join(directory, 'reports', 'report.xml'),
    record: join(directory, 'leads.json'),
    rate: 5,
    timeout: 2.5,
    maxBody: 2048,
    deadline: 60,
    force: true,
    writeCases: true,
    financialEntity: 'fe-1',
    progress
  })
  t.same(settings, {
    baseUrl: 'https://lead-api.example/v2',
    tokenUrl: 'https://auth.example/oauth2/token',
    ecosystem: ECOSYSTEM,
    phone: '573136434030',
    token: 'a-token',
    client: { id: 'client', secret: 'secret' },
    format: 'junit',
    out: join(directory, 'reports', 'report.xml'),
    record: join(directory, 'leads.json'),
    rate: 5,
    timeoutMs: 2500,
    maxBodyBytes: 2048,
    deadlineMs: 60_000,
    force: true,
    writeCases: true,
    financialEntity: 'fe-1',
    progress
  })
  t.equal(settings.progress, progress, 'the progress function given')
})

t.test('the command line gives every option as text, and the settings are the same as from code', async (t) => {
  const directory = t.testdir()
  const progress = (line: string): void => { t.comment(line) }
  const settings = settingsFromCommandLine({
    baseUrl: 'http://127.0.0.1:3000/',
    ecosystem: ECOSYSTEM,
    phone: '573136434030',
    token: 'a-token',
    clientId: 'client',
    clientSecret: 'secret',
    tokenUrl: 'http://127.0.0.1:4000/token/',
    format: 'json',
    out: join(directory, 'report.json'),
    record: join(directory, 'leads.json'),
    rate: '0.5',
    timeout: '30',
    maxBody: '1048576',
    deadline: '0.5',
    force: 'true',
    writeCases: 'true',
    financialEntity: '3f0c2a9e-8b1d-4c6e-9f2a-7d5b1e0c4a38'
  }, {}, progress)
  t.same(settings, {
    baseUrl: 'http://127.0.0.1:3000',
    tokenUrl: 'http://127.0.0.1:4000/token',
    ecosystem: ECOSYSTEM,
    phone: '573136434030',
    token: 'a-token',
    client: { id: 'client', secret: 'secret' },
    format: 'json',
    out: join(directory, 'report.json'),
    record: join(directory, 'leads.json'),
    rate: 0.5,
    timeoutMs: 30000,
    maxBodyBytes: 1048576,
    deadlineMs: 500,
    force: true,
    writeCases: true,
    financialEntity: '3f0c2a9e-8b1d-4c6e-9f2a-7d5b1e0c4a38',
    progress
  })
})

t.test('--max-body, --deadline and --force are checked like every flag', async (t) => {
  refuses(t, () => options({ maxBody: 1023 }), 'maxBody', 'maxBody: must be a whole number from 1024 to 1073741824, got 1023')
  refuses(t, () => commandLine({ ...FLAGS, maxBody: '16 MiB' }), '--max-body', '--max-body: must be a whole number from 1024 to 1073741824, got "16 MiB"')
  refuses(t, () => options({ deadline: 0 }), 'deadline', 'deadline: must be a number above 0 and at most 86400, got 0')
  refuses(t, () => commandLine({ ...FLAGS, deadline: 'soon' }), '--deadline', '--deadline: must be a number above 0 and at most 86400, got "soon"')
  refuses(t, () => options({ force: 'yes' }), 'force', 'force: must be true or false, got "yes"')
  t.equal(options({ force: false }).force, false)
  t.equal(commandLine({ ...FLAGS, force: 'false' }).force, false)
  t.equal(commandLine({ ...FLAGS, force: '' }).force, true, 'a flag without a value')
})

t.test('the rate is left to the client, for a target on this machine and for another host alike', async (t) => {
  t.equal(options({ baseUrl: 'http://localhost:3000' }).rate, undefined)
  t.equal(options({ baseUrl: 'https://lead-api.example' }).rate, undefined)
  t.equal(commandLine({ ...FLAGS, baseUrl: 'http://127.0.0.1:3000' }).rate, undefined)
})

t.test('a missing base URL or ecosystem is required, base URL first', async (t) => {
  refuses(t, () => settingsFromOptions({ token: 'a-token' } as ConformanceOptions), 'baseUrl', 'baseUrl: is required; see leancore-mock conformance --help')
  refuses(t, () => options({ baseUrl: undefined }), 'baseUrl', 'baseUrl: is required; see leancore-mock conformance --help')
  refuses(t, () => options({ ecosystem: undefined }), 'ecosystem', 'ecosystem: is required; see leancore-mock conformance --help')
  refuses(t, () => commandLine({}), '--base-url', '--base-url: is required; see leancore-mock conformance --help')
  refuses(t, () => commandLine({ baseUrl: 'http://127.0.0.1:9' }), '--ecosystem', '--ecosystem: is required; see leancore-mock conformance --help')
})

t.test('the base URL is normalised: lower-case scheme and host, no default port, no trailing slash, its path kept', async (t) => {
  const cases: Array<[string, string]> = [
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
    ['https://lead-api.example/', 'https://lead-api.example'],
    ['HTTPS://Lead-API.Example:443/api/v1///', 'https://lead-api.example/api/v1'],
    ['  http://localhost:8080/leancore/  ', 'http://localhost:8080/leancore']
  ]
  for (const [given, baseUrl] of cases) t.equal(options({ baseUrl }).baseUrl, baseUrl, given)
  for (const [given, baseUrl] of cases) t.equal(options({ baseUrl: given }).baseUrl, baseUrl, given)
})

t.test('the token URL defaults to <base-url>/oauth2/token, with the base URL\'s path prefix kept', async (t) => {
  t.equal(options({ baseUrl: 'https://lead-api.example' }).tokenUrl, 'https://lead-api.example/oauth2/token')
  t.equal(options({ baseUrl: 'https://lead-api.example/api/v1/' }).tokenUrl, 'https://lead-api.example/api/v1/oauth2/token')
  t.equal(options({ tokenUrl: 'https://auth.leancore.co/oauth2/token/' }).tokenUrl, 'https://auth.leancore.co/oauth2/token', 'one given is normalised like the base URL')
  t.equal(commandLine({ ...FLAGS, baseUrl: 'http://127.0.0.1:3000/mock' }).tokenUrl, 'http://127.0.0.1:3000/mock/oauth2/token')
})

t.test('a base URL or token URL that is not a plain http(s) URL is refused, with the reason', async (t) => {
  const cases: Array<[unknown, string]> = [
    ['lead-api.example', 'must be an http or https URL, like http://127.0.0.1:3000, got "lead-api.example"'],
    [' nope ', 'must be an http or https URL, like http://127.0.0.1:3000, got " nope "'],
    ['', 'must be an http or https URL, like http://127.0.0.1:3000, got ""'],
    [42, 'must be an http or https URL, like http://127.0.0.1:3000, got 42'],
    ['ftp://lead-api.example', 'must be an http or https URL, got "ftp:"'],
    ['file:///etc/passwd', 'must be an http or https URL, got "file:"'],
    ['https://user:pass@lead-api.example', 'must not carry credentials; give them with --token or --client-id and --client-secret'],
    ['https://user@lead-api.example', 'must not carry credentials; give them with --token or --client-id and --client-secret'],
    ['https://:pass@lead-api.example', 'must not carry credentials; give them with --token or --client-id and --client-secret'],
    ['https://lead-api.example/?token=x', 'must not have a query or a fragment'],
    ['https://lead-api.example/#top', 'must not have a query or a fragment'],
    ['https://lead-api.example/api?', 'must not have a query or a fragment'],
    ['https://lead-api.example/api#', 'must not have a query or a fragment']
  ]
  for (const [value, problem] of cases) {
    refuses(t, () => options({ baseUrl: value }), 'baseUrl', `baseUrl: ${problem}`)
    refuses(t, () => options({ tokenUrl: value }), 'tokenUrl', `tokenUrl: ${problem}`)
  }
  refuses(t, () => commandLine({ ...FLAGS, baseUrl: 'leancore' }), '--base-url', '--base-url: must be an http or https URL, like http://127.0.0.1:3000, got "leancore"')
  refuses(t, () => commandLine({ ...FLAGS, tokenUrl: 'ftp://auth.example' }), '--token-url', '--token-url: must be an http or https URL, got "ftp:"')
})

t.test('the ecosystem is a UUID in any case, with or without urn:uuid:, kept as given', async (t) => {
  for (const ecosystem of [ECOSYSTEM, ECOSYSTEM.toUpperCase(), `urn:uuid:${ECOSYSTEM}`, `URN:UUID:${ECOSYSTEM}`, '00000000-0000-0000-0000-000000000000']) {
    t.equal(options({ ecosystem }).ecosystem, ecosystem, ecosystem)
  }
})

t.test('an ecosystem that is not exactly a UUID is refused, showing what was given', async (t) => {
  const like = 'must be a UUID, like fd3705e1-3149-4c41-bfe7-cf0bee79cfad, got'
  for (const ecosystem of [
    'fd3705e1',
    '',
    'fd3705e-3149-4c41-bfe7-cf0bee79cfad',
    'fd3705e1-3149-4c41-bfe7-cf0bee79cfa',
    'fd3705e1-3149-4c41-bfe7-cf0bee79cfad0',
    'fd3705e1-3149-4c41-cf0bee79cfad',
    'fd3705e1-3149-4c41-bfe7-0000-cf0bee79cfad',
    'gd3705e1-3149-4c41-bfe7-cf0bee79cfad',
    'fd3705e13149-4c41-bfe7-cf0bee79cfad',
    ` ${ECOSYSTEM}`,
    `${ECOSYSTEM} `,
    `x${ECOSYSTEM}`,
    `uuid:${ECOSYSTEM}`,
    `xurn:uuid:${ECOSYSTEM}`
  ]) {
    refuses(t, () => options({ ecosystem }), 'ecosystem', `ecosystem: ${like} ${JSON.stringify(ecosystem)}`)
  }
  refuses(t, () => options({ ecosystem: 12345 }), 'ecosystem', `ecosystem: ${like} 12345`)
  refuses(t, () => commandLine({ ...FLAGS, ecosystem: 'nope' }), '--ecosystem', `--ecosystem: ${like} "nope"`)
})

t.test('the phone is 7 to 15 digits: 7 and 15 pass, 6 and 16 do not', async (t) => {
  t.equal(options({ phone: '1234567' }).phone, '1234567')
  t.equal(options({ phone: '123456789012345' }).phone, '123456789012345')
  t.equal(commandLine({ ...FLAGS, phone: '573136434030' }).phone, '573136434030')
  const problem = 'must be 7 to 15 digits, country code first, like 573136434030, got'
  for (const phone of ['123456', '1234567890123456', '+573136434030', '57 313 643 4030', '', 'abcdefg']) {
    refuses(t, () => options({ phone }), 'phone', `phone: ${problem} ${JSON.stringify(phone)}`)
  }
  refuses(t, () => options({ phone: 573136434030 }), 'phone', `phone: ${problem} 573136434030`)
  refuses(t, () => commandLine({ ...FLAGS, phone: '313-643' }), '--phone', `--phone: ${problem} "313-643"`)
})

t.test('a bearer token is RFC 6750 text, and a refused one is never echoed', async (t) => {
  for (const token of ['A', 'aZ09-._~+/', 'abc=', 'abc==', 'eyJhbGciOi.eyJzdWIi.c2ln']) {
    t.equal(options({ token }).token, token, token)
  }
  const problem = 'must be a bearer token: letters, digits and -._~+/ only, optionally ending in ='
  for (const token of ['', '=', 'a=b', 'has a space', ' leading', 'trailing ', 'tab\there', 'ünïcode', 'quote"d', 'comma,']) {
    refuses(t, () => options({ token }), 'token', `token: ${problem}`)
  }
  refuses(t, () => options({ token: 1234 }), 'token', `token: ${problem}`)
})

t.test('client credentials are any non-empty text without control characters, never echoed', async (t) => {
  const settings = options({ token: undefined, clientId: 'id with spaces: é', clientSecret: 'p@ss w0rd!' })
  t.same(settings.client, { id: 'id with spaces: é', secret: 'p@ss w0rd!' })
  t.equal(settings.token, undefined)
  const problem = 'must be non-empty text without control characters'
  for (const bad of ['', 'line\nbreak', 'tab\there', 'nul\u0000', 'delete\u007f']) {
    refuses(t, () => options({ clientId: bad, clientSecret: 'secret' }), 'clientId', `clientId: ${problem}`)
    refuses(t, () => options({ clientId: 'client', clientSecret: bad }), 'clientSecret', `clientSecret: ${problem}`)
  }
  refuses(t, () => options({ clientId: 7, clientSecret: 'secret' }), 'clientId', `clientId: ${problem}`)
  refuses(t, () => options({ clientId: 'client', clientSecret: 7 }), 'clientSecret', `clientSecret: ${problem}`)
})

t.test('a client id needs its secret and a secret its id, each error naming the other', async (t) => {
  refuses(t, () => options({ clientId: 'client' }), 'clientSecret', 'clientSecret: is needed with clientId')
  refuses(t, () => options({ clientSecret: 'secret' }), 'clientId', 'clientId: is needed with clientSecret')
  refuses(t, () => commandLine({ ...FLAGS, clientId: 'client' }), '--client-secret', '--client-secret: is needed with --client-id')
  refuses(t, () => commandLine({ ...FLAGS, clientSecret: 'secret' }), '--client-id', '--client-id: is needed with --client-secret')
  refuses(t, () => commandLine(FLAGS, { LEANCORE_CLIENT_SECRET: 'secret' }), '--client-id', '--client-id: is needed with LEANCORE_CLIENT_SECRET')
  refuses(t, () => commandLine(FLAGS, { LEANCORE_CLIENT_ID: 'client' }), '--client-secret', '--client-secret: is needed with LEANCORE_CLIENT_ID')
})

t.test('without a token or client credentials there is nothing to open GET /lead with', async (t) => {
  refuses(t, () => options({ token: undefined }), 'token', 'token: give a bearer token, or client credentials (clientId and clientSecret) to get one')
  const { token, ...flags } = FLAGS
  t.equal(token, 'a-token')
  refuses(t, () => commandLine(flags), '--token', '--token: give a bearer token, or client credentials (--client-id and --client-secret) to get one')
  refuses(t, () => commandLine(flags, { LEANCORE_TOKEN: '', LEANCORE_CLIENT_ID: '', LEANCORE_CLIENT_SECRET: '' }), '--token',
    '--token: give a bearer token, or client credentials (--client-id and --client-secret) to get one')
})

t.test('a token alone, client credentials alone, or both are enough', async (t) => {
  const tokenOnly = options({})
  t.equal(tokenOnly.token, 'a-token')
  t.equal(tokenOnly.client, undefined)
  const clientOnly = options({ token: undefined, clientId: 'client', clientSecret: 'secret' })
  t.equal(clientOnly.token, undefined)
  t.same(clientOnly.client, { id: 'client', secret: 'secret' })
  const both = options({ clientId: 'client', clientSecret: 'secret' })
  t.equal(both.token, 'a-token')
  t.same(both.client, { id: 'client', secret: 'secret' })
})

t.test('the secrets are read from the environment when their flag is not given', async (t) => {
  const { token, ...flags } = FLAGS
  t.equal(token, 'a-token')
  const settings = commandLine(flags, { LEANCORE_TOKEN: 'env-token', LEANCORE_CLIENT_ID: 'env-client', LEANCORE_CLIENT_SECRET: 'env-secret' })
  t.equal(settings.token, 'env-token')
  t.same(settings.client, { id: 'env-client', secret: 'env-secret' })
})

t.test('a flag wins over its environment variable', async (t) => {
  const settings = commandLine({ ...FLAGS, token: 'flag-token', clientId: 'flag-client', clientSecret: 'flag-secret' },
    { LEANCORE_TOKEN: 'env-token', LEANCORE_CLIENT_ID: 'env-client', LEANCORE_CLIENT_SECRET: 'env-secret' })
  t.equal(settings.token, 'flag-token')
  t.same(settings.client, { id: 'flag-client', secret: 'flag-secret' })
})

t.test('an error names the variable when the value came from it, and the flag when it came from the flag', async (t) => {
  const { token, ...flags } = FLAGS
  t.equal(token, 'a-token')
  const problem = 'must be a bearer token: letters, digits and -._~+/ only, optionally ending in ='
  refuses(t, () => commandLine(flags, { LEANCORE_TOKEN: 'not a token' }), 'LEANCORE_TOKEN', `LEANCORE_TOKEN: ${problem}`)
  refuses(t, () => commandLine({ ...flags, token: 'not a token' }, { LEANCORE_TOKEN: 'good-token' }), '--token', `--token: ${problem}`)
  refuses(t, () => commandLine({ ...flags, token: '' }, { LEANCORE_TOKEN: 'good-token' }), '--token', `--token: ${problem}`)
  const credential = 'must be non-empty text without control characters'
  refuses(t, () => commandLine(flags, { LEANCORE_CLIENT_ID: 'a\tb', LEANCORE_CLIENT_SECRET: 'secret' }), 'LEANCORE_CLIENT_ID', `LEANCORE_CLIENT_ID: ${credential}`)
  refuses(t, () => commandLine(flags, { LEANCORE_CLIENT_ID: 'client', LEANCORE_CLIENT_SECRET: 'a\nb' }), 'LEANCORE_CLIENT_SECRET', `LEANCORE_CLIENT_SECRET: ${credential}`)
  refuses(t, () => commandLine({ ...flags, clientId: '', clientSecret: 'secret' }), '--client-id', `--client-id: ${credential}`)
})

t.test('an empty environment variable counts as not set', async (t) => {
  const settings = commandLine(FLAGS, { LEANCORE_TOKEN: '', LEANCORE_CLIENT_ID: '', LEANCORE_CLIENT_SECRET: '' })
  t.equal(settings.token, 'a-token')
  t.equal(settings.client, undefined)
})

t.test('only the three secrets are read from the environment, never the other options', async (t) => {
  const env = {
    undefined: 'https://wrong.example',
    BASE_URL: 'https://wrong.example',
    LEANCORE_BASE_URL: 'https://wrong.example',
    'base-url': 'https://wrong.example',
    baseUrl: 'https://wrong.example',
    ecosystem: ECOSYSTEM,
    timeout: '1'
  }
  refuses(t, () => commandLine({ token: 'a-token' }, env), '--base-url', '--base-url: is required; see leancore-mock conformance --help')
  const settings = commandLine(FLAGS, env)
  t.equal(settings.baseUrl, 'https://lead-api.example')
  t.equal(settings.timeoutMs, 10000)
})

t.test('the format is text, json or junit, text by default', async (t) => {
  for (const format of ['text', 'json', 'junit']) {
    t.equal(options({ format }).format, format)
    t.equal(commandLine({ ...FLAGS, format }).format, format)
  }
  t.equal(commandLine(FLAGS).format, 'text')
  for (const format of ['xml', 'JSON', '', ' text']) {
    refuses(t, () => options({ format }), 'format', `format: must be one of text, json, junit, got ${JSON.stringify(format)}`)
  }
  refuses(t, () => commandLine({ ...FLAGS, format: 'html' }), '--format', '--format: must be one of text, json, junit, got "html"')
})

t.test('the timeout is in seconds, above 0 and at most 600, 10 by default, given to the client in milliseconds', async (t) => {
  t.equal(options({}).timeoutMs, 10000)
  t.equal(commandLine(FLAGS).timeoutMs, 10000)
  t.equal(options({ timeout: 600 }).timeoutMs, 600000)
  t.equal(options({ timeout: 0.001 }).timeoutMs, 1)
  t.equal(options({ timeout: 1 }).timeoutMs, 1000)
  t.equal(commandLine({ ...FLAGS, timeout: '600' }).timeoutMs, 600000)
  t.equal(commandLine({ ...FLAGS, timeout: '0.25' }).timeoutMs, 250)
  t.equal(commandLine({ ...FLAGS, timeout: ' 15 ' }).timeoutMs, 15000)
  const problem = 'must be a number above 0 and at most 600, got'
  for (const timeout of [0, -1, 600.001, 601, Number.NaN, Number.POSITIVE_INFINITY]) {
    refuses(t, () => options({ timeout }), 'timeout', `timeout: ${problem} ${String(timeout)}`)
  }
  for (const timeout of ['0', '0.0', '600.5', '601', '-1', '+5', '10s', '1e1', '0x10', '5.', '.5', '', ' ']) {
    refuses(t, () => commandLine({ ...FLAGS, timeout }), '--timeout', `--timeout: ${problem} ${JSON.stringify(timeout)}`)
  }
  refuses(t, () => options({ timeout: '10s' }), 'timeout', `timeout: ${problem} "10s"`)
  refuses(t, () => options({ timeout: true }), 'timeout', `timeout: ${problem} true`)
  refuses(t, () => options({ timeout: null }), 'timeout', `timeout: ${problem} null`)
})

t.test('the rate is requests per second, above 0 and at most 1000', async (t) => {
  t.equal(options({ rate: 1000 }).rate, 1000)
  t.equal(options({ rate: 0.01 }).rate, 0.01)
  t.equal(commandLine({ ...FLAGS, rate: '1000' }).rate, 1000)
  t.equal(commandLine({ ...FLAGS, rate: '12' }).rate, 12)
  t.equal(commandLine({ ...FLAGS, rate: '2.25' }).rate, 2.25)
  t.equal(options({ rate: '3' }).rate, 3, 'a number as text from code is read too')
  const problem = 'must be a number above 0 and at most 1000, got'
  for (const rate of [0, -0.5, 1000.5, 1001, Number.NaN, Number.POSITIVE_INFINITY]) {
    refuses(t, () => options({ rate }), 'rate', `rate: ${problem} ${String(rate)}`)
  }
  for (const rate of ['0', '1001', 'fast', '1e3']) {
    refuses(t, () => commandLine({ ...FLAGS, rate }), '--rate', `--rate: ${problem} ${JSON.stringify(rate)}`)
  }
})

t.test('out and record are files in a directory that exists, kept as given', async (t) => {
  const directory = t.testdir({ sub: {}, 'a-file': 'not a directory' })
  const settings = options({ out: join(directory, 'sub', 'report.txt'), record: join(directory, 'leads.json') })
  t.equal(settings.out, join(directory, 'sub', 'report.txt'))
  t.equal(settings.record, join(directory, 'leads.json'))
  t.equal(options({ out: 'report.txt' }).out, 'report.txt', 'a relative path, in the working directory')
  const fromFlags = commandLine({ ...FLAGS, out: join(directory, 'out.xml'), record: join(directory, 'sub', 'seed.json') })
  t.equal(fromFlags.out, join(directory, 'out.xml'))
  t.equal(fromFlags.record, join(directory, 'sub', 'seed.json'))
})

t.test('out or record in a directory that does not exist, under a file, or that is a directory itself, is refused before the run', async (t) => {
  const directory = t.testdir({ 'a-file': 'not a directory' })
  const missing = join(directory, 'missing')
  const underFile = join(directory, 'a-file')
  refuses(t, () => options({ out: join(missing, 'report.txt') }), 'out', `out: the directory ${missing} does not exist`)
  refuses(t, () => options({ record: join(missing, 'leads.json') }), 'record', `record: the directory ${missing} does not exist`)
  refuses(t, () => options({ out: join(underFile, 'report.txt') }), 'out', `out: the directory ${underFile} does not exist`)
  refuses(t, () => commandLine({ ...FLAGS, out: join(missing, 'report.xml') }), '--out', `--out: the directory ${missing} does not exist`)
  refuses(t, () => commandLine({ ...FLAGS, record: join(underFile, 'leads.json') }), '--record', `--record: the directory ${underFile} does not exist`)
  refuses(t, () => options({ out: directory }), 'out', `out: ${directory} is a directory; give a file in it`)
  refuses(t, () => commandLine({ ...FLAGS, record: join(directory, '.') }), '--record', `--record: ${directory} is a directory; give a file in it`)
})

t.test('out or record that is not a path is refused, showing what was given', async (t) => {
  for (const value of ['', ' ', '\t']) {
    refuses(t, () => options({ out: value }), 'out', `out: must be a file path, got ${JSON.stringify(value)}`)
    refuses(t, () => options({ record: value }), 'record', `record: must be a file path, got ${JSON.stringify(value)}`)
  }
  refuses(t, () => options({ out: 5 }), 'out', 'out: must be a file path, got 5')
  refuses(t, () => commandLine({ ...FLAGS, record: '' }), '--record', '--record: must be a file path, got ""')
})

t.test('out and record must be two files, however the paths are spelled', async (t) => {
  const directory = t.testdir({ sub: {} })
  refuses(t, () => options({ out: join(directory, 'same.json'), record: join(directory, 'same.json') }), 'record', 'record: must be another file than out')
  refuses(t, () => options({ out: join(directory, 'same.json'), record: `${directory}/sub/../same.json` }), 'record', 'record: must be another file than out')
  refuses(t, () => commandLine({ ...FLAGS, out: join(directory, 'x'), record: `${directory}/./x` }), '--record', '--record: must be another file than --out')
  const settings = options({ out: join(directory, 'report.json'), record: join(directory, 'sub', 'report.json') })
  t.equal(settings.out, join(directory, 'report.json'))
  t.equal(settings.record, join(directory, 'sub', 'report.json'))
})
