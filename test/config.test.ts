import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { configFromEnvironment, configFromOptions, DEV_CLIENT, DEV_TOKEN } from '../src/core/config.js'
import { ConfigError } from '../src/core/errors.js'
import { validateLeads } from '../src/core/leads/validate.js'
import { demoFinancialEntities, demoLeads, demoUsers } from '../seed/demo.js'
import type { SeedData } from '../src/core/seed-data.js'
import { generateLeads } from '../seed/generate.js'
import { temporaryDirectory } from './helper.js'

t.test('with nothing set, the server defaults of the README apply', async (t) => {
  t.same(configFromEnvironment({}), {
    port: 3000,
    host: '127.0.0.1',
    databasePath: './data/leancore.db',
    tokens: [DEV_TOKEN],
    seed: 'demo',
    logLevel: 'info',
    corsOrigin: true,
    oauthClients: [DEV_CLIENT],
    tokenTtl: 3600,
    journalSize: 1000,
    journalBytes: 4 * 1024 * 1024,
    journalTotalBytes: 16 * 1024 * 1024,
    shutdownTimeout: 8,
    requestTimeout: 30,
    maxConnections: 1000,
    idleTimeout: 5,
    maxScenarios: 100,
    maxScenariosPerToken: 100,
    maxScenarioBytes: 256 * 1024,
    maxScenarioBytesPerToken: 256 * 1024,
    maxTokensPerClient: 1000,
    maxSandboxes: 200,
    maxLeadsPerSandbox: 50_000,
    maxSandboxBytes: 64 * 1024 * 1024,
    fresh: false
  })
})

t.test('every variable is read from the environment', async (t) => {
  const config = configFromEnvironment({
    PORT: '8080',
    HOST: '0.0.0.0',
    DATABASE_PATH: ':memory:',
    API_TOKENS: ' one , two,,one ',
    SEED: 'none',
    LOG_LEVEL: 'debug',
    CORS_ORIGIN: 'https://app.example.co,http://localhost:5173',
    ADMIN_TOKEN: 'admin-secret',
    OAUTH_CLIENTS: 'app:s3cret,other:pa:ss',
    TOKEN_TTL: '60',
    JOURNAL_SIZE: '0',
    JOURNAL_BYTES: '20000',
    JOURNAL_TOTAL_BYTES: '40000',
    SHUTDOWN_TIMEOUT: '3',
    REQUEST_TIMEOUT: '5',
    MAX_CONNECTIONS: '10',
    IDLE_TIMEOUT: '2',
    MAX_SCENARIOS: '20',
    MAX_SCENARIOS_PER_TOKEN: '2',
    MAX_SCENARIO_BYTES: '4096',
    MAX_SCENARIO_BYTES_PER_TOKEN: '2048',
    MAX_TOKENS_PER_CLIENT: '7',
    MAX_SANDBOXES: '3',
    MAX_LEADS_PER_SANDBOX: '11',
    MAX_SANDBOX_BYTES: '5000',
    FRESH: 'true'
  })
  t.same(config, {
    port: 8080,
    host: '0.0.0.0',
    databasePath: ':memory:',
    tokens: ['one', 'two'],
    seed: 'none',
    logLevel: 'debug',
    corsOrigin: ['https://app.example.co', 'http://localhost:5173'],
    adminToken: 'admin-secret',
    oauthClients: [{ id: 'app', secret: 's3cret' }, { id: 'other', secret: 'pa:ss' }],
    tokenTtl: 60,
    journalSize: 0,
    journalBytes: 20000,
    journalTotalBytes: 40000,
    shutdownTimeout: 3,
    requestTimeout: 5,
    maxConnections: 10,
    idleTimeout: 2,
    maxScenarios: 20,
    maxScenariosPerToken: 2,
    maxScenarioBytes: 4096,
    maxScenarioBytesPerToken: 2048,
    maxTokensPerClient: 7,
    maxSandboxes: 3,
    maxLeadsPerSandbox: 11,
    maxSandboxBytes: 5000,
    fresh: true
  })
})

t.test('a flag wins over the environment, and an empty variable counts as unset', async (t) => {
  const config = configFromEnvironment({ PORT: '8080', ADMIN_TOKEN: '', CORS_ORIGIN: 'none' }, { port: '9090' })
  t.equal(config.port, 9090)
  t.equal(config.adminToken, undefined)
  t.equal(config.corsOrigin, false)
})

t.test('a bad value is one ConfigError naming the variable, or the flag it came from', async (t) => {
  const cases: Array<[Record<string, string>, Record<string, string>, RegExp]> = [
    [{ PORT: 'abc' }, {}, /^PORT: must be a whole number from 0 to 65535, got "abc"$/],
    [{ PORT: '70000' }, {}, /^PORT: must be a whole number/],
    [{}, { port: '-1' }, /^--port: must be a whole number/],
    [{ HOST: '   ' }, {}, /^HOST: must be a non-empty string/],
    [{ SEED: 'lots' }, {}, /^SEED: cannot read lots \(ENOENT\); give demo, none or the path of a JSON file of leads$/],
    [{ LOG_LEVEL: 'loud' }, {}, /^LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent/],
    [{ API_TOKENS: ',,' }, {}, /^API_TOKENS: needs at least one token$/],
    [{ API_TOKENS: 'good,has space' }, {}, /^API_TOKENS: must be a bearer token: letters, digits and -._~\+\/ only/],
    [{ ADMIN_TOKEN: 'a"b' }, {}, /^ADMIN_TOKEN: must be a bearer token/],
    [{ CORS_ORIGIN: 'https://app.example.co/path' }, {}, /^CORS_ORIGIN: "https:\/\/app.example.co\/path" is not an origin/],
    [{ CORS_ORIGIN: 'not a url' }, {}, /^CORS_ORIGIN: "not a url" is not an origin/],
    [{ OAUTH_CLIENTS: 'no-secret' }, {}, /^OAUTH_CLIENTS: each client must be id:secret/],
    [{ OAUTH_CLIENTS: ':secret' }, {}, /^OAUTH_CLIENTS: each client must be id:secret/],
    [{ OAUTH_CLIENTS: 'a:1,a:2' }, {}, /^OAUTH_CLIENTS: client "a" is listed twice$/],
    [{ OAUTH_CLIENTS: ' , ' }, {}, /^OAUTH_CLIENTS: needs at least one id:secret client$/],
    [{ TOKEN_TTL: '0' }, {}, /^TOKEN_TTL: must be a whole number from 1 to 31536000/],
    [{ JOURNAL_SIZE: '1.5' }, {}, /^JOURNAL_SIZE: must be a whole number/],
    [{ SHUTDOWN_TIMEOUT: '0' }, {}, /^SHUTDOWN_TIMEOUT: must be a whole number from 1 to 3600/],
    [{ API_TOKENS: 'shared-token', ADMIN_TOKEN: 'shared-token' }, {}, /^ADMIN_TOKEN: must differ from every API token/]
  ]
  for (const [env, flags, message] of cases) {
    const error = t.throws(() => configFromEnvironment(env, flags), ConfigError)
    t.match((error as Error).message, message, JSON.stringify({ env, flags }))
    t.notMatch((error as Error).message, /\n/, 'one line')
  }
})

t.test('a bad secret is never echoed in the error', async (t) => {
  const error = t.throws(() => configFromEnvironment({ API_TOKENS: 'sup3r secret' }))
  t.notMatch((error as Error).message, /sup3r/)
})

t.test('programmatic options default to a quiet fixture on a free port and a private database', async (t) => {
  const config = configFromOptions()
  t.match(config, { port: 0, host: '127.0.0.1', databasePath: ':memory:', logLevel: 'warn', seed: 'demo', tokens: [DEV_TOKEN] })
  t.same(configFromOptions({}), config)
})

t.test('programmatic options take typed values and name the option in errors', async (t) => {
  const config = configFromOptions({
    port: 1234,
    tokens: ['a', 'b'],
    corsOrigin: ['https://app.example.co'],
    oauthClients: [{ id: 'app', secret: 'x' }],
    seed: demoLeads().slice(0, 2)
  })
  t.match(config, { port: 1234, tokens: ['a', 'b'], corsOrigin: ['https://app.example.co'], oauthClients: [{ id: 'app', secret: 'x' }] })
  t.equal((config.seed as SeedData).leads.length, 2)
  t.same((config.seed as SeedData).financialEntities, [], 'an array is leads alone')
  t.same(configFromOptions({ corsOrigin: false }).corsOrigin, false)
  t.throws(() => configFromOptions({ port: 3.5 }), /^port: must be a whole number/)
  t.same(configFromOptions({ tokens: 'a,b' as unknown as string[] }).tokens, ['a', 'b'], 'a string is split like the variable')
  t.throws(() => configFromOptions({ tokens: 42 as unknown as string[] }), /^tokens: must be a comma-separated string or an array, got 42$/)
  t.throws(() => configFromOptions({ oauthClients: [{ id: 'x' }] as never }), /^oauthClients: each client must be id:secret/)
  t.throws(() => configFromOptions({ seed: [{ id: 'x' }] as never }), /^seed: lead 0 \(id "x"\): field /)
  t.throws(() => configFromOptions({ seed: 'some' }), /^seed: cannot read some \(ENOENT\)/)
  t.throws(() => configFromOptions({ seed: 42 as never }), /^seed: must be demo, none or the path of a JSON file of leads, got 42$/)
  t.throws(() => configFromOptions({ seed: ' ' }), /^seed: must be demo, none or the path of a JSON file of leads, got " "$/)
})

t.test('SEED=<file> loads a JSON array of leads, checked like any fixture data', async (t) => {
  const directory = temporaryDirectory(t)
  const leads = [...generateLeads([{ id: '0B6C3C8E-2D1F-4A7E-9C55-3E1F7A2B9D10', size: 3 }])]
  const file = join(directory, 'leads.json')
  writeFileSync(file, JSON.stringify(leads, null, 2))
  const expected = { leads: validateLeads(leads), financialEntities: [], users: [] }
  t.same(configFromEnvironment({ SEED: file }).seed, expected)
  t.same(configFromEnvironment({}, { seed: file }).seed, expected)
  t.same(configFromOptions({ seed: file }).seed, expected, 'startServer({ seed: file }) too')
  t.equal((configFromOptions({ seed: file }).seed as SeedData).leads[0]?.ecosystem, '0b6c3c8e-2d1f-4a7e-9c55-3e1f7a2b9d10', 'normalized like any fixture')
})

t.test('SEED=<file> may also hold leads, financial entities and users, each checked', async (t) => {
  const directory = temporaryDirectory(t)
  const file = join(directory, 'seed.json')
  const financialEntities = demoFinancialEntities().slice(0, 1)
  const users = demoUsers().slice(0, 1).map((user) => ({ ...user, financial_entity: financialEntities[0]?.uid as string }))
  writeFileSync(file, JSON.stringify({ financialEntities, users }))
  t.same(configFromEnvironment({ SEED: file }).seed, { leads: [], financialEntities, users })
  writeFileSync(file, JSON.stringify({ leads: [], lenders: [] }))
  t.throws(() => configFromEnvironment({ SEED: file }), { message: `SEED: ${file}: seed: lenders is not a part of seed data; it holds leads, financialEntities and users` })
  writeFileSync(file, JSON.stringify({ users: [{ ...users[0], available_quota: 'mucho' }] }))
  t.throws(() => configFromEnvironment({ SEED: file }), { message: new RegExp(`^SEED: ${file}: user 0 \\(id "[^"]+"\\): field available_quota: expected number$`) })
})

t.test('a SEED file that cannot be used is one line naming SEED and the file', async (t) => {
  const directory = temporaryDirectory(t)
  const write = (name: string, text: string): string => {
    const path = join(directory, name)
    writeFileSync(path, text)
    return path
  }
  const lead = [...generateLeads([{ id: '0b6c3c8e-2d1f-4a7e-9c55-3e1f7a2b9d10', size: 1 }])][0] as Record<string, unknown>
  mkdirSync(join(directory, 'a-directory'))
  const cases: Array<[Record<string, string>, Record<string, string>, RegExp]> = [
    [{ SEED: join(directory, 'missing.json') }, {}, /^SEED: cannot read .*missing\.json \(ENOENT\); give demo, none or the path of a JSON file of leads$/],
    [{ SEED: join(directory, 'a-directory') }, {}, /^SEED: cannot read .*a-directory \(EISDIR\)/],
    [{ SEED: write('broken.json', '[\n  {\n    "id": x\n  }\n]') }, {}, /^SEED: .*broken\.json is not valid JSON: Unexpected token 'x'$/],
    [{ SEED: write('cut.json', '[{"id": "a"') }, {}, /^SEED: .*cut\.json is not valid JSON: /],
    [{ SEED: write('null.json', 'null') }, {}, /^SEED: .*null\.json: expected an array of leads, or an object with leads, financialEntities and users, got null$/],
    [{ SEED: write('text.json', '"leads"') }, {}, /^SEED: .*text\.json: expected an array of leads, or an object with leads, financialEntities and users, got string$/],
    [{}, { seed: write('bad.json', JSON.stringify([{ ...lead, quota: 'a lot' }])) }, /^--seed: .*bad\.json: lead 0 \(id "[^"]+"\): field quota: expected number$/],
    [{ SEED: write('twice.json', JSON.stringify([lead, lead])) }, {}, /^SEED: .*twice\.json: lead 1 \(id "[^"]+"\): repeats the id of lead 0$/]
  ]
  for (const [env, flags, message] of cases) {
    const error = t.throws(() => configFromEnvironment(env, flags), ConfigError)
    t.match((error as Error).message, message, JSON.stringify({ env, flags }))
    t.notMatch((error as Error).message, /\n/, 'one line')
  }
})
