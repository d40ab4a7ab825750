// The conformance kit's write cases (--write-cases), over real sockets: against leancore-mock they
// all agree and leave one user named "leancore-mock conformance", which the run names; wrong servers
// (a proxy in front of a real leancore-mock, altering requests or answers) are caught in the case
// that shows it; LeanCore's production host is refused before anything is sent; and whatever
// happens to a write, the run says what may be left at the target.
import t from 'tap'
import { ConfigError, EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE, formatReport, runConformance, startServer, TargetUnreachable, type ConformanceOptions, type ConformanceReport } from '../../src/index.js'
import { Session, type Side } from '../../src/conformance/cases.js'
import type { Client } from '../../src/conformance/client.js'
import { settingsFromOptions } from '../../src/conformance/options.js'
import { leftBehind } from '../../src/conformance/write-cases.js'
import { startProxy, type ProxiedAnswer, type ProxiedRequest } from '../helper.js'

const TOKEN = 'write-suite-token'
const CLIENT = { id: 'write-suite-client', secret: 'write-suite-secret' }
const READ_CASES = 18
const WRITE_CASES = ['create-lead', 'update-lead', 'assign', 'assign-unknown-lead', 'turn-into-client', 'lead-gone', 'user-by-id', 'user-by-nit', 'financial-entity-users']
/** The cases that need the throwaway lead, and those that need it converted */
const NEED_THE_LEAD = WRITE_CASES.filter((id) => id !== 'create-lead' && id !== 'assign-unknown-lead')
const NEED_THE_USER = ['lead-gone', 'user-by-id', 'user-by-nit', 'financial-entity-users']
/** How the run names the throwaway lead: its NIT and phone are drawn for each run */
const THROWAWAY = `"leancore-mock conformance" \\(NIT \\d{9}-\\d, phone 573000\\d{6}\\) in ecosystem ${EXAMPLE_ECOSYSTEM}`

const mock = await startServer({ tokens: [TOKEN], oauthClients: [CLIENT], logLevel: 'silent' })
t.teardown(() => mock.close())
const ENTITY = mock.financialEntities.list({ ecosystem: EXAMPLE_ECOSYSTEM }).financialEntities[0]?.uid as string

function options (baseUrl: string, more: Partial<ConformanceOptions> = {}): ConformanceOptions {
  return { baseUrl, ecosystem: EXAMPLE_ECOSYSTEM, phone: EXAMPLE_PHONE, token: TOKEN, clientId: CLIENT.id, clientSecret: CLIENT.secret, writeCases: true, financialEntity: ENTITY, ...more }
}

const verdicts = (report: ConformanceReport, verdict: string): string[] => report.cases.filter((result) => result.verdict === verdict).map(({ id }) => id)
const differences = (report: ConformanceReport, id: string): string[] => report.cases.find((result) => result.id === id)?.differences ?? []

t.test('against leancore-mock every write case agrees; the run names the one user it leaves, and it is there', async (t) => {
  const lines: string[] = []
  const report = await runConformance(options(mock.url, { progress: (line) => lines.push(line) }))
  t.same(report.cases.slice(READ_CASES).map(({ id }) => id), WRITE_CASES, 'after the read cases, in order')
  t.same(report.summary, { same: READ_CASES + WRITE_CASES.length, differs: 0, skipped: 0 })
  t.equal(report.exitCode, 0)
  const [left] = report.created ?? []
  const match = new RegExp(`^user \\(the lead ([0-9a-f-]{36}) ${THROWAWAY}\\), a client of financial entity ${ENTITY}$`).exec(left ?? '')
  t.ok(match, `report.created names it: ${String(left)}`)
  const id = match?.[1] as string
  const user = mock.users.list({ ecosystem: EXAMPLE_ECOSYSTEM, limit: 1000 }).users.find((each) => each.id === id)
  t.match(user, { name: 'leancore-mock conformance', financial_entity: ENTITY, status: 'contacted' }, 'the user is at the target, updated, assigned and converted')
  t.notOk(mock.leads.list({ ecosystem: EXAMPLE_ECOSYSTEM }).leads.some((lead) => lead.id === id), 'and no longer a lead')
  t.match(lines[1], /^write cases: creating one lead named "leancore-mock conformance" in ecosystem fd3705e1-3149-4c41-bfe7-cf0bee79cfad at the target, and turning it into a client of financial entity /, 'said before anything is written')
  t.equal(lines.at(-1), `left at the target, for a person to remove: ${left as string}`)
  t.match(formatReport(report, 'text'), `\nleft at the target, for a person to remove: ${left as string}\n`)
})

t.test('without --write-cases nothing is written: only GETs and the token endpoint reach the target', async (t) => {
  const proxy = await startProxy(t, mock.url)
  const report = await runConformance(options(proxy.url, { writeCases: undefined, financialEntity: undefined }))
  t.equal(report.cases.length, READ_CASES)
  t.equal(report.created, undefined)
  const writes = proxy.requests.filter(({ method, url }) => method !== 'GET' && !url.startsWith('/oauth2/token'))
  t.same(writes, [], 'no write')
})

t.test('LeanCore\'s production host is refused before anything is sent, in any spelling; the options say what is missing', async (t) => {
  for (const baseUrl of ['https://api.leancore.co', 'HTTPS://API.LeanCore.co./v2', 'http://api.leancore.co:8443']) {
    await t.rejects(runConformance(options(baseUrl)), new ConfigError('writeCases', `refuses to write to ${new URL(baseUrl).href.replace(/\/+$/, '')}, LeanCore's production: it would leave a lead and a user among real ones. Point --base-url at your LeanCore sandbox host`), baseUrl)
  }
  t.equal(settingsFromOptions(options('https://sandbox.leancore.co')).writeCases, true, 'another host of LeanCore\'s is the user\'s to choose')
  t.throws(() => settingsFromOptions(options(mock.url, { financialEntity: undefined })), { message: 'financialEntity: is needed with writeCases: a financial entity of the ecosystem to assign the throwaway lead to' })
  t.throws(() => settingsFromOptions(options(mock.url, { writeCases: false })), { message: 'financialEntity: is only used with writeCases' })
})

interface Mutant {
  name: string
  /** A new proxy's state each run: what it alters requests and answers with */
  make: () => { alter?: (answer: ProxiedAnswer, request: ProxiedRequest) => ProxiedAnswer, rewrite?: (request: ProxiedRequest) => ProxiedRequest }
  differ: string[]
  says: RegExp[]
}

const path = (request: ProxiedRequest): string => request.url.split('?')[0] as string
const json = (text: string): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>

const MUTANTS: Mutant[] = [
  {
    name: 'turn-lead-into-client answers id instead of _id',
    make: () => ({
      alter: (answer, request) => {
        if (path(request) !== '/turn-lead-into-client' || answer.status !== 200) return answer
        const { _id: id, ...user } = json(answer.body)
        return { ...answer, body: JSON.stringify({ id, ...user }) }
      }
    }),
    differ: ['turn-into-client'],
    says: [/^body\._id: missing at the target, leancore-mock has it \(a string\)$/, /^body\.id: only at the target \(a string\), leancore-mock has no such key$/]
  },
  {
    name: 'update-lead ignores lead_status',
    make: () => ({
      rewrite: (request) => {
        if (path(request) !== '/update-lead') return request
        const { lead_status: _status, ...rest } = json(request.body)
        return { ...request, body: JSON.stringify(rest) }
      }
    }),
    differ: ['update-lead'],
    says: [/^body\.status: not the lead_status sent$/, /^GET \/lead\?id= after it: 200, without the lead_status sent$/]
  },
  {
    name: '200 for a lead that does not exist',
    make: () => ({
      alter: (answer, request) => path(request) === '/assign-lead-to-financial-entity' && answer.status === 404
        ? { ...answer, status: 200, body: request.body }
        : answer
    }),
    differ: ['assign-unknown-lead'],
    says: [/^status: target 200, leancore-mock 404$/]
  },
  {
    name: 'a converted lead still listed in its ecosystem',
    make: () => {
      const created: Array<Record<string, unknown>> = []
      return {
        alter: (answer, request) => {
          if (path(request) === '/create-lead' && answer.status === 200) {
            const { lead_status: _status, ...lead } = json(answer.body)
            created.push(lead)
          }
          if (!request.url.startsWith('/lead?ecosystem=') || answer.status !== 200) return answer
          return { ...answer, body: JSON.stringify([...JSON.parse(answer.body) as unknown[], ...created]) }
        }
      }
    },
    differ: ['lead-gone'],
    says: [/^GET \/lead\?ecosystem= still lists it$/]
  },
  {
    name: 'the new user missing from its financial entity\'s users',
    make: () => ({
      alter: (answer, request) => request.url.includes('limit=100&') ? { ...answer, body: JSON.stringify({ ...json(answer.body), data: [] }) } : answer
    }),
    differ: ['financial-entity-users'],
    says: [/^body\.data: the new user is not among the entity's last 100 users \(offset \d+ answered 200\)$/]
  },
  {
    name: 'create-lead answers a lead of another name and ecosystem',
    make: () => ({
      alter: (answer, request) => path(request) === '/create-lead' && answer.status === 200
        ? { ...answer, body: JSON.stringify({ ...json(answer.body), name: 'Otra', ecosystem: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }) }
        : answer
    }),
    differ: ['create-lead'],
    says: [/^body\.name: not the name sent$/, /^body\.ecosystem: not the ecosystem sent$/]
  },
  {
    name: 'assign answers another lead',
    make: () => ({
      alter: (answer, request) => path(request) === '/assign-lead-to-financial-entity' && answer.status === 200 ? { ...answer, body: JSON.stringify({ ...json(answer.body), id: 'another-lead' }) } : answer
    }),
    differ: ['assign'],
    says: [/^body\.id: not the lead sent$/]
  },
  {
    name: 'the new user\'s _id is not the lead\'s id',
    make: () => ({
      alter: (answer, request) => path(request) === '/turn-lead-into-client' && answer.status === 200 ? { ...answer, body: JSON.stringify({ ...json(answer.body), _id: '64b7f0c2e4b0a1a2b3c4d5e6' }) } : answer
    }),
    differ: ['turn-into-client'],
    says: [/^body\._id: not the lead's id \(inferred: the user is the lead it was\)$/]
  },
  {
    name: 'the leads of the ecosystem unreadable after the conversion',
    make: () => {
      let converted = false
      return {
        alter: (answer, request) => {
          if (path(request) === '/turn-lead-into-client') converted = true
          return converted && request.url.startsWith('/lead?ecosystem=') ? { ...answer, status: 503, body: '{"message":"busy"}' } : answer
        }
      }
    },
    differ: ['lead-gone'],
    says: [/^GET \/lead\?ecosystem= answered 503 without a list of leads: whether it still lists the lead is unknown$/]
  },
  {
    name: 'GET /user?nit= answers another user',
    make: () => ({
      alter: (answer, request) => request.url.startsWith('/user?nit=') && answer.status === 200 ? { ...answer, body: JSON.stringify({ ...json(answer.body), nit: '900000000-1' }) } : answer
    }),
    differ: ['user-by-nit'],
    says: [/^body\.nit: not the NIT asked for$/]
  },
  {
    name: 'the last page of a financial entity\'s users fails',
    make: () => ({
      alter: (answer, request) => request.url.includes('limit=100&') ? { ...answer, status: 500, body: '{}' } : answer
    }),
    differ: ['financial-entity-users'],
    says: [/^body\.data: the new user is not among the entity's last 100 users \(offset \d+ answered 500\)$/]
  },
  {
    name: 'GET /user?id= answers another user',
    make: () => ({
      alter: (answer, request) => request.url.startsWith('/user?id=') && answer.status === 200 ? { ...answer, body: JSON.stringify({ ...json(answer.body), id: 'someone-else' }) } : answer
    }),
    differ: ['user-by-id'],
    says: [/^body\.id: not the user asked for$/]
  }
]

for (const mutant of MUTANTS) {
  t.test(`caught: ${mutant.name}`, async (t) => {
    const { alter, rewrite } = mutant.make()
    const proxy = await startProxy(t, mock.url, alter, '127.0.0.1', rewrite)
    const report = await runConformance(options(proxy.url))
    t.equal(report.exitCode, 1)
    t.same(verdicts(report, 'differs'), mutant.differ, 'these cases differ, and no others')
    for (const id of mutant.differ) {
      for (const says of mutant.says) t.ok(differences(report, id).some((line) => says.test(line)), `${id}: ${says.source} in ${JSON.stringify(differences(report, id))}`)
    }
    t.equal(report.summary.skipped, 0)
  })
}

t.test('create-lead without an id: the cases that need the lead are skipped, saying why; the run says a lead may be there', async (t) => {
  const proxy = await startProxy(t, mock.url, (answer, request) => {
    if (path(request) !== '/create-lead') return answer
    const { id, ...lead } = json(answer.body)
    return { ...answer, body: JSON.stringify({ uuid: id, ...lead }) }
  })
  const report = await runConformance(options(proxy.url))
  t.same(verdicts(report, 'differs'), ['create-lead'])
  t.same(verdicts(report, 'skipped'), NEED_THE_LEAD)
  for (const id of NEED_THE_LEAD) {
    t.equal(report.cases.find((result) => result.id === id)?.reason, 'no lead to write: POST /create-lead answered 200 without an id (see create-lead)')
  }
  t.match(report.created, [new RegExp(`^perhaps a lead ${THROWAWAY}: POST /create-lead answered 200 without an id$`)])
})

t.test('a failed conversion: the cases that need the user are skipped; the run names the lead it left', async (t) => {
  const proxy = await startProxy(t, mock.url, (answer, request) => path(request) === '/turn-lead-into-client' ? { ...answer, status: 500, body: '{}' } : answer)
  const report = await runConformance(options(proxy.url))
  t.same(verdicts(report, 'differs'), ['turn-into-client'])
  t.same(verdicts(report, 'skipped'), NEED_THE_USER)
  t.equal(report.cases.find((result) => result.id === 'user-by-id')?.reason, 'no user: POST /turn-lead-into-client answered 500 (see turn-into-client)')
  t.match(report.created, [new RegExp(`^lead [0-9a-f-]{36} ${THROWAWAY}$`)])
})

t.test('a failed create-lead leaves nothing to name', async (t) => {
  const proxy = await startProxy(t, mock.url, (answer, request) => path(request) === '/create-lead' ? { ...answer, status: 400, body: '{"message":"no"}' } : answer)
  const report = await runConformance(options(proxy.url))
  t.same(verdicts(report, 'differs'), ['create-lead'])
  t.equal(report.created, undefined)
})

t.test('an id the target chose that is not plain text is never printed', async (t) => {
  const proxy = await startProxy(t, mock.url, (answer, request) =>
    path(request) === '/create-lead' ? { ...answer, body: JSON.stringify({ ...json(answer.body), id: '\u001b[2J\u202eevil' }) } : answer)
  const lines: string[] = []
  const report = await runConformance(options(proxy.url, { progress: (line) => lines.push(line) }))
  t.match(report.created, [new RegExp(`^lead \\(an id that is not plain text\\) ${THROWAWAY}$`)])
  t.notOk(lines.some((line) => line.includes('\u001b') || line.includes('\u202e')), 'no control character reaches the progress lines')
})

t.test('a write sent and never answered: the run says what may be at the target', async (t) => {
  t.test('create-lead, past the --deadline', async (t) => {
    const proxy = await startProxy(t, mock.url, async (answer, request) => {
      if (path(request) === '/create-lead') await new Promise((resolve) => setTimeout(resolve, 5000))
      return answer
    })
    const report = await runConformance(options(proxy.url, { deadline: 3 }))
    t.equal(report.exitCode, 2)
    t.match(report.created, [new RegExp(`^perhaps a lead ${THROWAWAY}: POST /create-lead was sent and not answered$`)])
  })
  t.test('turn-lead-into-client, the connection cut', async (t) => {
    const proxy = await startProxy(t, mock.url, (answer, request) => path(request) === '/turn-lead-into-client' ? null : answer)
    const lines: string[] = []
    await t.rejects(runConformance(options(proxy.url, { progress: (line) => lines.push(line) })), TargetUnreachable)
    t.match(lines.at(-1), new RegExp(`^left at the target, for a person to remove: lead [0-9a-f-]{36} ${THROWAWAY}, perhaps a client of financial entity ${ENTITY} by now: POST /turn-lead-into-client was sent and not answered$`))
  })
})

t.test('what the run names from create-lead\'s answer: nothing for a refusal, a perhaps for a 200 it cannot read', async (t) => {
  const side = { baseUrl: 'http://127.0.0.1:9', ecosystem: EXAMPLE_ECOSYSTEM, financialEntity: ENTITY, http: {} as unknown as Client } as Side
  const named = async (status: number, body: string): Promise<string | undefined> => {
    const session = new Session()
    await session.once(side, 'create-lead', async () => ({ status, headers: {}, body }))
    return await leftBehind(side, session)
  }
  t.equal(await leftBehind(side, new Session()), undefined, 'nothing sent, nothing named')
  t.equal(await named(409, '{"id":"x"}'), undefined, 'a refusal created nothing')
  for (const body of ['created', 'null', '["x"]', '{"id":5}']) {
    t.match(await named(200, body), new RegExp(`^perhaps a lead ${THROWAWAY}: POST /create-lead answered 200 without an id$`), body)
  }
  t.match(await named(200, '{"id":"abc-1"}'), new RegExp(`^lead abc-1 ${THROWAWAY}$`))
})
