// Deliberately wrong servers: a proxy in front of a real leancore-mock alters its answers, over
// real sockets. The kit must report each one as differing, in the cases that show it, naming
// what is wrong; and must not report what is no difference.
import t, { type Test } from 'tap'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE, runConformance, startServer, type ConformanceReport } from '../src/index.js'
import { startProxy, type ProxiedAnswer, type ProxiedRequest } from './helper.js'

const TOKEN = 'mutant-suite-token'
const CLIENT = { id: 'mutant-suite-client', secret: 'mutant-suite-secret' }
/** The cases whose answer is a 200 with leads of the ecosystem */
const ECOSYSTEM_LEADS = ['ecosystem', 'auth-lowercase-bearer', 'token-opens-lead']
const AUTH_401 = ['auth-missing', 'auth-basic', 'auth-wrong-token']
/** The cases whose answer is one lead: by phone, and with lead_status by id and NIT */
const ONE_LEAD = ['phone', 'lead-by-id', 'lead-by-nit']

type Lead = Record<string, unknown>

interface Mutant {
  name: string
  alter: (answer: ProxiedAnswer, request: ProxiedRequest) => ProxiedAnswer
  /** The cases that must differ, and no other */
  differ: string[]
  /** What the differences must say, in each of those cases */
  says: RegExp[]
}

const isLeads = (answer: ProxiedAnswer, request: ProxiedRequest): boolean => request.url.startsWith('/lead') && answer.status === 200
/** Applies `change` to every lead of a 200 from /lead, one lead or an array of them. */
function leads (change: (lead: Lead, index: number) => Lead): Mutant['alter'] {
  return (answer, request) => {
    if (!isLeads(answer, request)) return answer
    const body = JSON.parse(answer.body) as Lead | Lead[]
    return { ...answer, body: JSON.stringify(Array.isArray(body) ? body.map(change) : change(body, 0)) }
  }
}

const MUTANTS: Mutant[] = [
  {
    name: 'a renamed lead field',
    alter: leads(({ name, ...lead }) => ({ ...lead, nombre: name })),
    differ: [...ECOSYSTEM_LEADS, ...ONE_LEAD],
    says: [/^body(\[\])?\.name: missing at the target, leancore-mock has it \(a string\)$/, /^body(\[\])?\.nombre: only at the target \(a string\), leancore-mock has no such key$/]
  },
  {
    name: 'quota as a string',
    alter: leads((lead) => ({ ...lead, quota: String(lead.quota) })),
    differ: [...ECOSYSTEM_LEADS, ...ONE_LEAD],
    says: [/^body(\[\])?\.quota: target a string, leancore-mock a number$/]
  },
  {
    name: 'an extra field',
    alter: leads((lead) => ({ ...lead, segment: 'retail' })),
    differ: [...ECOSYSTEM_LEADS, ...ONE_LEAD],
    says: [/^body(\[\])?\.segment: only at the target \(a string\), leancore-mock has no such key$/]
  },
  {
    name: '404 instead of [] for an ecosystem with no leads',
    alter: (answer) => answer.body === '[]' ? { ...answer, status: 404, body: JSON.stringify({ statusCode: 404, error: 'Not Found', message: 'no leads' }) } : answer,
    differ: ['ecosystem-empty'],
    says: [/^status: target 404, leancore-mock 200$/]
  },
  {
    name: '403 instead of 401 for a wrong token',
    alter: (answer, request) => answer.status === 401 && /^Bearer wrong-/.test(request.headers.authorization ?? '') ? { ...answer, status: 403 } : answer,
    differ: ['auth-wrong-token'],
    says: [/^status: target 403, leancore-mock 401$/]
  },
  {
    name: 'a missing WWW-Authenticate',
    alter: ({ headers: { 'www-authenticate': _challenge, ...headers }, ...answer }) => ({ ...answer, headers }),
    differ: [...AUTH_401, 'token-wrong-credentials'],
    says: [/^www-authenticate: target none, leancore-mock (Bearer|Basic)$/]
  },
  {
    name: 'an array for a phone lookup',
    alter: (answer, request) => isLeads(answer, request) && request.url.startsWith('/lead?phone=') ? { ...answer, body: `[${answer.body}]` } : answer,
    differ: ['phone'],
    says: [/^body: target an array, leancore-mock an object$/]
  },
  {
    name: '200 for a malformed UUID',
    alter: (answer, request) => /ecosystem=[^&]*cfa$/.test(request.url) ? { ...answer, status: 200, body: '[]' } : answer,
    differ: ['ecosystem-malformed'],
    says: [/^status: target 200, leancore-mock 400$/]
  },
  {
    name: 'text/plain as the content type',
    alter: (answer) => ({ ...answer, headers: { ...answer.headers, 'content-type': 'text/plain; charset=utf-8' } }),
    differ: ['ecosystem', ...ONE_LEAD, 'phone-unknown', 'ecosystem-empty', 'ecosystem-malformed', 'no-parameter', 'both-parameters', ...AUTH_401,
      'auth-lowercase-bearer', 'token-success', 'token-query-grant', 'token-wrong-credentials', 'token-unsupported-grant', 'token-opens-lead'],
    says: [/^content-type: target text\/plain, leancore-mock application\/json$/]
  },
  {
    name: 'a token response without expires_in',
    alter: (answer, request) => {
      if (request.url !== '/oauth2/token' || answer.status !== 200) return answer
      const { expires_in: _expiresIn, ...token } = JSON.parse(answer.body) as Record<string, unknown>
      return { ...answer, body: JSON.stringify(token) }
    },
    differ: ['token-success'],
    says: [/^body\.expires_in: missing at the target, leancore-mock has it \(a number\)$/]
  },
  {
    name: 'no lead_status in the lookups by id and NIT',
    alter: (answer, request) => {
      if (!/^\/lead\?(id|nit)=/.test(request.url) || answer.status !== 200) return answer
      const { lead_status: _status, ...lead } = JSON.parse(answer.body) as Lead
      return { ...answer, body: JSON.stringify(lead) }
    },
    differ: ['lead-by-id', 'lead-by-nit'],
    says: [/^body\.lead_status: missing at the target, leancore-mock has it \(a string\)$/]
  },
  {
    name: 'an array for a lookup by NIT',
    alter: (answer, request) => request.url.startsWith('/lead?nit=') && answer.status === 200 ? { ...answer, body: `[${answer.body}]` } : answer,
    differ: ['lead-by-nit'],
    says: [/^body: target an array, leancore-mock an object$/]
  },
  {
    name: 'another lead for the id asked for',
    alter: (answer, request) => request.url.startsWith('/lead?id=') && answer.status === 200 ? { ...answer, body: JSON.stringify({ ...JSON.parse(answer.body) as Lead, id: 'someone-else' }) } : answer,
    differ: ['lead-by-id'],
    says: [/^body\.id: not the lead asked for$/]
  },
  {
    name: 'a token endpoint that wants grant_type in the body',
    alter: (answer, request) => request.url.startsWith('/oauth2/token?grant_type=') && request.body === ''
      ? { ...answer, status: 400, body: JSON.stringify({ error: 'invalid_request', error_description: 'grant_type is required' }) }
      : answer,
    differ: ['token-query-grant'],
    says: [/^status: target 400, leancore-mock 200$/]
  },
  // Beyond the list: what gateways and older APIs do.
  {
    name: 'a 401 with an empty body and no content type',
    alter: (answer, request) => {
      if (answer.status !== 401 || !request.url.startsWith('/lead')) return answer
      const { 'content-type': _type, ...headers } = answer.headers
      return { ...answer, headers, body: '' }
    },
    differ: AUTH_401,
    says: [/^content-type: target none, leancore-mock application\/json$/, /^body: target an empty body, leancore-mock an object$/]
  },
  {
    name: 'an HTML page for a bad request',
    alter: (answer) => answer.status === 400 && answer.body.includes('statusCode')
      ? { ...answer, headers: { ...answer.headers, 'content-type': 'text/html' }, body: '<html><body><h1>400 Bad Request</h1></body></html>' }
      : answer,
    differ: ['ecosystem-malformed', 'no-parameter', 'both-parameters'],
    says: [/^content-type: target text\/html, leancore-mock application\/json$/, /^body: target text that is not JSON, leancore-mock an object$/]
  },
  {
    name: 'phones written for people (+57 313 643 4030)',
    alter: leads((lead) => {
      const phone = lead.phone as string
      return { ...lead, phone: `+${phone.slice(0, 2)} ${phone.slice(2, 5)} ${phone.slice(5, 8)} ${phone.slice(8)}` }
    }),
    differ: [...ECOSYSTEM_LEADS, ...ONE_LEAD],
    says: [/^body(\[\])?\.phone: expected string to match '\^\[0-9\]\{7,15\}\$'( \(24 of 24 leads\))?$/]
  },
  {
    name: 'leads of another ecosystem',
    alter: leads((lead) => ({ ...lead, ecosystem: '7c9e6679-7425-40de-944b-e07fc1f90ae7' })),
    differ: ['ecosystem'],
    says: [/^body\[\]\.ecosystem: not the ecosystem asked for \(24 of 24 leads\)$/]
  },
  {
    name: 'another lead for the phone asked for',
    alter: leads((lead) => ({ ...lead, phone: '573000000001' })),
    differ: ['phone'],
    says: [/^body\.phone: not the phone asked for$/]
  },
  {
    name: 'a field missing from one lead of a list',
    alter: (answer, request) => {
      const body = isLeads(answer, request) ? JSON.parse(answer.body) as Lead | Lead[] : undefined
      if (!Array.isArray(body) || body.length === 0) return answer
      const { image: _image, ...first } = body[0] as Lead
      return { ...answer, body: JSON.stringify([first, ...body.slice(1)]) }
    },
    differ: ECOSYSTEM_LEADS,
    says: [/^body\[\]\.image: missing from some at the target, leancore-mock always has it$/]
  }
]

const mock = await startServer({ tokens: [TOKEN], oauthClients: [CLIENT] })
t.teardown(() => mock.close())

async function runAgainst (t: Test, alter: Mutant['alter']): Promise<ConformanceReport> {
  const proxy = await startProxy(t, mock.url, alter)
  return await runConformance({ baseUrl: proxy.url, ecosystem: EXAMPLE_ECOSYSTEM, phone: EXAMPLE_PHONE, token: TOKEN, clientId: CLIENT.id, clientSecret: CLIENT.secret })
}

for (const mutant of MUTANTS) {
  t.test(`caught: ${mutant.name}`, async (t) => {
    const report = await runAgainst(t, mutant.alter)
    t.equal(report.exitCode, 1)
    const differing = report.cases.filter(({ verdict }) => verdict === 'differs')
    t.same(differing.map(({ id }) => id).sort(), [...mutant.differ].sort(), 'these cases differ, and no others')
    for (const result of differing) {
      for (const says of mutant.says) t.ok(result.differences.some((line) => says.test(line)), `${result.id}: ${says.source} in ${JSON.stringify(result.differences)}`)
    }
    t.equal(report.summary.skipped, 0)
  })
}

t.test('a realm of its own, a lower-case scheme, no charset: no difference a client would notice', async (t) => {
  const report = await runAgainst(t, (answer) => ({
    ...answer,
    headers: {
      ...answer.headers,
      ...(answer.headers['content-type'] === undefined ? {} : { 'content-type': 'application/json' }),
      ...(answer.headers['www-authenticate'] === undefined ? {} : { 'www-authenticate': answer.headers['www-authenticate'].replace(/^\w+ realm="[^"]*"/, (challenge) => `${challenge.split(' ')[0]?.toLowerCase() as string} realm="api"`) })
    }
  }))
  t.same(report.summary, { same: 18, differs: 0, skipped: 0 })
})
