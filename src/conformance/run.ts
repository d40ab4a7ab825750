import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { generateLeads } from '../../seed/generate.js'
import type { Lead } from '../core/leads/schema.js'
import { packagePath } from '../core/package-path.js'
import { startServer } from '../server.js'
import { CASES, Session, Unavailable, type Case, type Side } from './cases.js'
import { Client, type Exchange } from './client.js'
import { differences } from './compare.js'
import { settingsFromOptions, type ConformanceOptions, type Settings } from './options.js'
import { writeRecording } from './record.js'
import { formatReport, type Answer, type CaseResult, type ConformanceReport } from './report.js'

/**
 * Sends every case to the target and to a leancore-mock of its own, compares the answers, and
 * reports each case as same, differs or skipped; writes the report to `out` and the leads seen to
 * `record` when asked. Throws a ConfigError naming the option for a bad one, and
 * TargetUnreachable (naming the URL) when the target does not answer.
 */
export async function runConformance (options: ConformanceOptions): Promise<ConformanceReport> {
  return await conformance(settingsFromOptions(options))
}

/** runConformance, for options already checked (the command checks its flags itself). */
export async function conformance (settings: Settings): Promise<ConformanceReport> {
  const { progress } = settings
  const client = { id: 'leancore-mock-conformance', secret: randomBytes(24).toString('base64url') }
  const token = randomBytes(24).toString('base64url')
  const mock = await startServer({ seed: comparisonLeads(settings), tokens: [token], oauthClients: [client], logLevel: 'silent' })
  try {
    const target: Side = { ...settings, http: new Client(settings) }
    const reference: Side = {
      baseUrl: mock.url,
      tokenUrl: `${mock.url}/oauth2/token`,
      ecosystem: settings.ecosystem,
      phone: settings.phone,
      token,
      client,
      http: new Client({ ...settings, rate: undefined })
    }
    const version = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version
    progress(`comparing ${settings.baseUrl} with leancore-mock ${version}: ${CASES.length} cases`)
    const session = new Session()
    const seen: Lead[] = []
    const cases: CaseResult[] = []
    for (const [index, check] of CASES.entries()) {
      const result = await run(check, target, reference, session, seen)
      cases.push(result)
      progress(`[${index + 1}/${CASES.length}] ${check.id}: ${result.verdict}${result.reason === undefined ? '' : ` (${result.reason})`}`)
    }
    const summary = { same: 0, differs: 0, skipped: 0 }
    for (const { verdict } of cases) summary[verdict]++
    const report: ConformanceReport = {
      target: { baseUrl: settings.baseUrl, tokenUrl: settings.tokenUrl, ecosystem: settings.ecosystem },
      mock: { version },
      cases,
      summary,
      exitCode: summary.differs === 0 ? 0 : 1
    }
    if (settings.record !== undefined) {
      report.recording = { file: settings.record, leads: await writeRecording(settings.record, seen) }
      progress(`recorded ${report.recording.leads} leads in ${settings.record}`)
    }
    if (settings.out !== undefined) await writeFile(settings.out, formatReport(report, settings.format))
    return report
  } finally {
    await mock.close()
  }
}

/**
 * The leads the kit's own mock answers with: made up, under the ecosystem and the phone the
 * target is asked about, so that both sides answer the same requests with leads.
 */
function comparisonLeads ({ ecosystem, phone }: Settings): Lead[] {
  const leads = [...generateLeads([{ id: ecosystem, size: 3 }])]
  if (phone !== undefined) (leads[0] as Lead).phone = phone
  return leads
}

async function run (check: Case, target: Side, mock: Side, session: Session, seen: Lead[]): Promise<CaseResult> {
  const { id, title, request } = check
  let observed: Exchange
  try {
    observed = await check.send(target, session)
  } catch (error) {
    if (!(error instanceof Unavailable)) throw error
    return { id, title, request, verdict: 'skipped', differences: [], reason: error.message }
  }
  const expected = await check.send(mock, session)
  const found = differences(observed, expected, check.body)
  // The shapes are right from here on: the case's own checks may read the body.
  if (found.length === 0 && check.check !== undefined) found.push(...await check.check(observed, target, session))
  const answers = { target: answer(observed), mock: answer(expected) }
  if (found.length > 0) return { id, title, request, verdict: 'differs', differences: found, ...answers }
  const body = check.body === 'other' || check.body === 'lead-with-status' ? undefined : JSON.parse(observed.body) as Lead | Lead[]
  if (check.whenEmpty !== undefined && (body as Lead[]).length === 0) {
    return { id, title, request, verdict: 'skipped', differences: [], reason: check.whenEmpty, ...answers }
  }
  if (check.recorded === true) seen.push(...[body as Lead | Lead[]].flat())
  return { id, title, request, verdict: 'same', differences: [], ...answers }
}

function answer ({ status, headers }: Exchange): Answer {
  return { status, contentType: headers['content-type'] ?? null, wwwAuthenticate: headers['www-authenticate'] ?? null }
}
