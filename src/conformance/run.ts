import { randomBytes } from 'node:crypto'
import { generateFinancialEntities } from '../../seed/financial-entities.js'
import { generateLeads } from '../../seed/generate.js'
import type { FinancialEntity } from '../core/financial-entities/schema.js'
import type { Lead } from '../core/leads/schema.js'
import { packageVersion } from '../core/package-path.js'
import type { SeedInput } from '../core/seed-data.js'
import { Scrubber } from '../core/tokens/scrubber.js'
import { startServer } from '../server.js'
import { CASES, Session, Unavailable, type Case, type Side } from './cases.js'
import { Client, DeadlinePassed, TargetUnreachable, type Exchange } from './client.js'
import { differences } from './compare.js'
import { writeNewFile } from './files.js'
import { settingsFromOptions, type ConformanceOptions, type Settings } from './options.js'
import { recording } from './record.js'
import { formatReport, type Answer, type CaseResult, type ConformanceReport } from './report.js'
import { leftBehind, THROWAWAY_NAME, WRITE_CASES } from './write-cases.js'

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
  const client = { id: 'leancore-mock-conformance', secret: randomBytes(24).toString('base64url') }
  const token = randomBytes(24).toString('base64url')
  // Every secret the run knows, in every form it sent them, scrubbed from everything it prints or
  // writes, whatever the target sent back; tokens the endpoints issue join as they come.
  const secrets = scrubberOf(settings, client, token)
  const progress = (line: string): void => settings.progress(secrets.scrub(line))
  const deadlineAt = Date.now() + settings.deadlineMs
  const mock = await startServer({ seed: comparisonSeed(settings), tokens: [token], oauthClients: [client], logLevel: 'silent' })
  try {
    return await compare(settings, mock.url, { token, client, secrets, progress, deadlineAt }).catch((error: unknown) => {
      // The reason comes from the network stack, the URL from the user: either may hold a secret.
      throw error instanceof TargetUnreachable ? new TargetUnreachable(secrets.scrub(error.url), secrets.scrub(error.reason)) : error
    })
  } finally {
    await mock.close()
  }
}

interface Run {
  token: string
  client: { id: string, secret: string }
  secrets: Scrubber
  progress: (line: string) => void
  deadlineAt: number
}

/** The cases, sent to the target and to the kit's own mock at `mockUrl`; the report, written where asked. */
async function compare (settings: Settings, mockUrl: string, { token, client, secrets, progress, deadlineAt }: Run): Promise<ConformanceReport> {
  const target: Side = { ...settings, http: new Client({ ...settings, progress, deadlineAt }) }
  const reference: Side = {
    baseUrl: mockUrl,
    tokenUrl: `${mockUrl}/oauth2/token`,
    ecosystem: settings.ecosystem,
    phone: settings.phone,
    token,
    client,
    financialEntity: settings.financialEntity,
    http: new Client({ ...settings, progress, deadlineAt, rate: undefined })
  }
  const version = packageVersion()
  const all = settings.writeCases ? [...CASES, ...WRITE_CASES] : CASES
  progress(`comparing ${settings.baseUrl} with leancore-mock ${version}: ${all.length} cases`)
  if (settings.writeCases) {
    progress(`write cases: creating one lead named "${THROWAWAY_NAME}" in ecosystem ${settings.ecosystem} at the target, and turning it into a client of financial entity ${settings.financialEntity as string}`)
  }
  const session = new Session((issued) => secrets.add(issued))
  const seen: Lead[] = []
  const cases: CaseResult[] = []
  let notRun: string | undefined
  for (const [index, check] of all.entries()) {
    let result: CaseResult
    try {
      result = notRun === undefined ? await run(check, target, reference, session, seen) : skipped(check, notRun)
    } catch (error) {
      if (!(error instanceof DeadlinePassed)) {
        // An unreachable target may still have done a write it was sent: say what to look for.
        const left = await leftBehind(target, session)
        if (left !== undefined) progress(`left at the target, for a person to remove: ${left}`)
        throw error
      }
      notRun = error.message
      result = skipped(check, notRun)
    }
    cases.push(result)
    progress(`[${index + 1}/${all.length}] ${check.id}: ${result.verdict}${result.reason === undefined ? '' : ` (${result.reason})`}`)
  }
  const summary = { same: 0, differs: 0, skipped: 0 }
  for (const { verdict } of cases) summary[verdict]++
  const report: ConformanceReport = scrubbed(secrets, {
    target: { baseUrl: settings.baseUrl, tokenUrl: settings.tokenUrl, ecosystem: settings.ecosystem },
    mock: { version },
    cases,
    summary,
    exitCode: notRun !== undefined ? 2 : summary.differs === 0 ? 0 : 1
  })
  const left = await leftBehind(target, session)
  if (left !== undefined) {
    report.created = [secrets.scrub(left)]
    progress(`left at the target, for a person to remove: ${report.created[0] as string}`)
  }
  if (settings.record !== undefined) {
    const { text, leads } = recording(seen)
    await writeNewFile(settings.record, secrets.scrub(text), settings.force)
    report.recording = { file: settings.record, leads }
    progress(`recorded ${leads} leads in ${settings.record}`)
  }
  if (settings.out !== undefined) await writeNewFile(settings.out, formatReport(report, settings.format), settings.force)
  return report
}

/** The run's secrets: the user's token and client secret, their Basic forms, the kit's own mock's. */
function scrubberOf ({ token, client }: Settings, own: { id: string, secret: string }, ownToken: string): Scrubber {
  const secrets = new Scrubber({ tokens: [ownToken], oauthClients: [own], adminToken: token })
  for (const { id, secret } of [own, ...(client === undefined ? [] : [client])]) {
    secrets.add(secret)
    secrets.add(Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64'))
    secrets.add(Buffer.from(`${id}:${secret}`).toString('base64'))
  }
  return secrets
}

/** A report with every string scrubbed: the target chose some of them (header values, keys of its bodies). */
function scrubbed<T> (secrets: Scrubber, value: T): T {
  return JSON.parse(secrets.scrub(JSON.stringify(value))) as T
}

function skipped ({ id, title, request }: Case, reason: string): CaseResult {
  return { id, title, request, verdict: 'skipped', differences: [], reason }
}

/**
 * What the kit's own mock holds: made-up leads under the ecosystem and the phone the target is
 * asked about, and a made-up financial entity with the uid given, so that both sides answer the
 * same requests with records.
 */
function comparisonSeed ({ ecosystem, phone, financialEntity }: Settings): SeedInput {
  const leads = [...generateLeads([{ id: ecosystem, size: 3 }])]
  if (phone !== undefined) (leads[0] as Lead).phone = phone
  const [entity] = generateFinancialEntities([{ id: ecosystem, count: 1 }]) as [FinancialEntity]
  return { leads, financialEntities: financialEntity === undefined ? [] : [{ ...entity, uid: financialEntity }] }
}

async function run (check: Case, target: Side, mock: Side, session: Session, seen: Lead[]): Promise<CaseResult> {
  const { id, title, request } = check
  let observed: Exchange
  try {
    observed = await check.send(target, session)
  } catch (error) {
    if (!(error instanceof Unavailable)) throw error
    return skipped(check, error.message)
  }
  const expected = await check.send(mock, session)
  for (const exchange of [observed, expected]) learnTokens(exchange, session)
  const found = differences(observed, expected, check.body)
  // The shapes are right from here on: the case's own checks may read the body.
  if (found.length === 0 && check.check !== undefined) found.push(...await check.check(observed, target, session))
  const answers = { target: answer(observed), mock: answer(expected) }
  if (found.length > 0) return { id, title, request, verdict: 'differs', differences: found, ...answers }
  const body = check.body === 'leads' || check.body === 'lead' ? JSON.parse(observed.body) as Lead | Lead[] : undefined
  if (check.whenEmpty !== undefined && (body as Lead[]).length === 0) {
    return { id, title, request, verdict: 'skipped', differences: [], reason: check.whenEmpty, ...answers }
  }
  if (check.recorded === true) seen.push(...[body as Lead | Lead[]].flat())
  return { id, title, request, verdict: 'same', differences: [], ...answers }
}

/** An access_token in any answer is a secret from then on, however the case asked for it. */
function learnTokens ({ body }: Exchange, session: Session): void {
  try {
    const token = (JSON.parse(body) as { access_token?: unknown } | null)?.access_token
    if (typeof token === 'string') session.heard(token)
  } catch {}
}

function answer ({ status, headers }: Exchange): Answer {
  return { status, contentType: headers['content-type'] ?? null, wwwAuthenticate: headers['www-authenticate'] ?? null }
}
