import type { ReportFormat } from './options.js'

export type Verdict = 'same' | 'differs' | 'skipped'

/** What one side answered, without its body: the body may hold personal data. */
export interface Answer {
  status: number
  contentType: string | null
  wwwAuthenticate: string | null
}

export interface CaseResult {
  id: string
  title: string
  /** The request, with no token, secret or phone in it */
  request: string
  verdict: Verdict
  /** How the target differs, one line each, naming the status, header or field */
  differences: string[]
  /** Why the case was skipped */
  reason?: string
  target?: Answer
  mock?: Answer
}

export interface ConformanceReport {
  target: { baseUrl: string, tokenUrl: string, ecosystem: string }
  /** The leancore-mock the target was compared with */
  mock: { version: string }
  cases: CaseResult[]
  summary: Record<Verdict, number>
  /** 2 when the --deadline passed before every case ran, else 1 when a case differs, else 0: the command's exit code */
  exitCode: 0 | 1 | 2
  /** Where the recording went, and how many leads it holds */
  recording?: { file: string, leads: number }
  /** What the write cases left at the target, for a person to remove */
  created?: string[]
}

/** The report as text (a table a person reads), JSON (for scripts) or JUnit XML (for CI). */
export function formatReport (report: ConformanceReport, format: ReportFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`
  if (format === 'junit') return junit(report)
  return text(report)
}

function summaryLine ({ cases, summary }: ConformanceReport): string {
  return `${cases.length} cases: ${summary.same} same, ${summary.differs} differ, ${summary.skipped} skipped`
}

function text (report: ConformanceReport): string {
  const idWidth = Math.max(...report.cases.map((result) => result.id.length)) + 2
  const requestWidth = Math.max(...report.cases.map((result) => result.request.length)) + 2
  const lines = [
    `leancore-mock conformance: ${report.target.baseUrl} compared with leancore-mock ${report.mock.version}`,
    '',
    `${'case'.padEnd(idWidth)}${'request'.padEnd(requestWidth)}verdict`
  ]
  for (const result of report.cases) {
    lines.push(`${result.id.padEnd(idWidth)}${result.request.padEnd(requestWidth)}${result.verdict}`)
    const notes = result.verdict === 'skipped' ? [result.reason as string] : result.differences
    for (const note of notes) lines.push(`${' '.repeat(idWidth)}- ${note}`)
  }
  lines.push('', summaryLine(report))
  if (report.recording !== undefined) lines.push(`recorded ${report.recording.leads} leads in ${report.recording.file}`)
  for (const left of report.created ?? []) lines.push(`left at the target, for a person to remove: ${left}`)
  return `${lines.join('\n')}\n`
}

function junit (report: ConformanceReport): string {
  const { cases, summary } = report
  const counts = `tests="${cases.length}" failures="${summary.differs}" errors="0" skipped="${summary.skipped}"`
  const suite = `leancore-mock conformance: ${report.target.baseUrl}`
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="leancore-mock conformance" ${counts}>`,
    `  <testsuite name="${xml(suite)}" ${counts}>`
  ]
  for (const result of cases) {
    const open = `    <testcase classname="leancore-mock.conformance" name="${xml(`${result.id}: ${result.request}`)}"`
    if (result.verdict === 'same') {
      lines.push(`${open}/>`)
    } else if (result.verdict === 'skipped') {
      lines.push(`${open}>`, `      <skipped message="${xml(result.reason as string)}"/>`, '    </testcase>')
    } else {
      lines.push(`${open}>`, `      <failure message="${xml(result.differences[0] as string)}" type="differs">${xml(result.differences.join('\n'))}</failure>`, '    </testcase>')
    }
  }
  lines.push('  </testsuite>', '</testsuites>')
  return `${lines.join('\n')}\n`
}

function xml (text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)
}
