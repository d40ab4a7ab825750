// The conformance report as a person, a script and a CI server read it: text, JSON, JUnit XML.
import t from 'tap'
import { formatReport, type Answer, type CaseResult, type ConformanceReport } from '../src/conformance/report.js'

const ECOSYSTEM = 'fd3705e1-3149-4c41-bfe7-cf0bee79cfad'
const JSON_401: Answer = { status: 401, contentType: 'application/json; charset=utf-8', wwwAuthenticate: 'Bearer realm="leancore-mock"' }
const JSON_200: Answer = { status: 200, contentType: 'application/json; charset=utf-8', wwwAuthenticate: null }
const NO_CREDENTIALS = 'no client credentials (--client-id and --client-secret, or LEANCORE_CLIENT_ID and LEANCORE_CLIENT_SECRET)'

const sameCase = (id: string, request: string, answer: Answer): CaseResult =>
  ({ id, title: `the ${id} case`, request, verdict: 'same', differences: [], target: answer, mock: answer })

/** One case of each verdict; the longest id and the longest request are neither first nor last. */
const REPORT: ConformanceReport = {
  target: { baseUrl: 'https://lead-api.example', tokenUrl: 'https://auth.example/oauth2/token', ecosystem: ECOSYSTEM },
  mock: { version: '0.1.0' },
  cases: [
    sameCase('ecosystem', 'GET /lead?ecosystem=<ecosystem>', JSON_200),
    sameCase('auth-wrong-token', 'GET /lead?ecosystem=<ecosystem>, Bearer <wrong token>', JSON_401),
    {
      id: 'phone',
      title: 'The lead with a phone',
      request: 'GET /lead?phone=<phone>',
      verdict: 'differs',
      differences: ['status: target 404, leancore-mock 200', 'content-type: target text/html, leancore-mock application/json'],
      target: { status: 404, contentType: 'text/html', wwwAuthenticate: null },
      mock: JSON_200
    },
    { id: 'token-success', title: 'Client credentials get a token', request: 'POST <token-url>, client credentials', verdict: 'skipped', differences: [], reason: NO_CREDENTIALS }
  ],
  summary: { same: 2, differs: 1, skipped: 1 },
  exitCode: 1
}

/** Characters XML must escape, in the base URL, a difference (a key the target sent) and a reason; and a recording. */
const AWKWARD: ConformanceReport = {
  target: { baseUrl: 'https://gw.example/lead&api', tokenUrl: 'https://gw.example/lead&api/oauth2/token', ecosystem: ECOSYSTEM },
  mock: { version: '1.2.3' },
  cases: [
    {
      id: 'both-parameters',
      title: 'Both ecosystem and phone',
      request: 'GET /lead?ecosystem=<ecosystem>&phone=<phone>',
      verdict: 'differs',
      differences: ['status: target 200, leancore-mock 400'],
      target: JSON_200,
      mock: { ...JSON_200, status: 400 }
    },
    {
      id: 'token-success',
      title: 'Client credentials get a token',
      request: 'POST <token-url>, client credentials',
      verdict: 'differs',
      differences: ['body.say "hi" & <bye>\'s: only at the target (a string), leancore-mock has no such key', 'body.expires_in: missing at the target, leancore-mock has it (a number)'],
      target: JSON_200,
      mock: JSON_200
    },
    { id: 'phone', title: 'The lead with a phone', request: 'GET /lead?phone=<phone>', verdict: 'skipped', differences: [], reason: 'no phone given (--phone): give the phone of one of the account\'s leads' }
  ],
  summary: { same: 0, differs: 2, skipped: 1 },
  exitCode: 1,
  recording: { file: 'recording.json', leads: 24 }
}

t.test('the text report is a table of cases, with each difference or the reason for a skip below its case, and a summary', async (t) => {
  t.equal(formatReport(REPORT, 'text'), [
    'leancore-mock conformance: https://lead-api.example compared with leancore-mock 0.1.0',
    '',
    'case              request                                                verdict',
    'ecosystem         GET /lead?ecosystem=<ecosystem>                        same',
    'auth-wrong-token  GET /lead?ecosystem=<ecosystem>, Bearer <wrong token>  same',
    'phone             GET /lead?phone=<phone>                                differs',
    '                  - status: target 404, leancore-mock 200',
    '                  - content-type: target text/html, leancore-mock application/json',
    'token-success     POST <token-url>, client credentials                   skipped',
    `                  - ${NO_CREDENTIALS}`,
    '',
    '4 cases: 2 same, 1 differ, 1 skipped',
    ''
  ].join('\n'))
})

t.test('the text report names the recording after the summary, and escapes nothing', async (t) => {
  t.equal(formatReport(AWKWARD, 'text'), [
    'leancore-mock conformance: https://gw.example/lead&api compared with leancore-mock 1.2.3',
    '',
    'case             request                                        verdict',
    'both-parameters  GET /lead?ecosystem=<ecosystem>&phone=<phone>  differs',
    '                 - status: target 200, leancore-mock 400',
    'token-success    POST <token-url>, client credentials           differs',
    '                 - body.say "hi" & <bye>\'s: only at the target (a string), leancore-mock has no such key',
    '                 - body.expires_in: missing at the target, leancore-mock has it (a number)',
    'phone            GET /lead?phone=<phone>                        skipped',
    '                 - no phone given (--phone): give the phone of one of the account\'s leads',
    '',
    '3 cases: 0 same, 2 differ, 1 skipped',
    'recorded 24 leads in recording.json',
    ''
  ].join('\n'))
})

t.test('the JSON report is the whole report, indented by two spaces, ending in a newline', async (t) => {
  const report: ConformanceReport = {
    target: { baseUrl: 'https://lead-api.example', tokenUrl: 'https://auth.example/oauth2/token', ecosystem: ECOSYSTEM },
    mock: { version: '0.1.0' },
    cases: [{ id: 'phone', title: 'The lead with a phone', request: 'GET /lead?phone=<phone>', verdict: 'differs', differences: ['status: target 404, leancore-mock 200'], target: { ...JSON_200, status: 404 }, mock: JSON_200 }],
    summary: { same: 0, differs: 1, skipped: 0 },
    exitCode: 1,
    recording: { file: 'leads.json', leads: 0 }
  }
  t.equal(formatReport(report, 'json'), `{
  "target": {
    "baseUrl": "https://lead-api.example",
    "tokenUrl": "https://auth.example/oauth2/token",
    "ecosystem": "${ECOSYSTEM}"
  },
  "mock": {
    "version": "0.1.0"
  },
  "cases": [
    {
      "id": "phone",
      "title": "The lead with a phone",
      "request": "GET /lead?phone=<phone>",
      "verdict": "differs",
      "differences": [
        "status: target 404, leancore-mock 200"
      ],
      "target": {
        "status": 404,
        "contentType": "application/json; charset=utf-8",
        "wwwAuthenticate": null
      },
      "mock": {
        "status": 200,
        "contentType": "application/json; charset=utf-8",
        "wwwAuthenticate": null
      }
    }
  ],
  "summary": {
    "same": 0,
    "differs": 1,
    "skipped": 0
  },
  "exitCode": 1,
  "recording": {
    "file": "leads.json",
    "leads": 0
  }
}
`)
  for (const whole of [REPORT, AWKWARD]) t.strictSame(JSON.parse(formatReport(whole, 'json')), whole, 'every field, of every verdict')
})

t.test('the JUnit report has a test case per case: a failure for a difference, skipped with its reason, or nothing', async (t) => {
  t.equal(formatReport(REPORT, 'junit'), `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="leancore-mock conformance" tests="4" failures="1" errors="0" skipped="1">
  <testsuite name="leancore-mock conformance: https://lead-api.example" tests="4" failures="1" errors="0" skipped="1">
    <testcase classname="leancore-mock.conformance" name="ecosystem: GET /lead?ecosystem=&#60;ecosystem&#62;"/>
    <testcase classname="leancore-mock.conformance" name="auth-wrong-token: GET /lead?ecosystem=&#60;ecosystem&#62;, Bearer &#60;wrong token&#62;"/>
    <testcase classname="leancore-mock.conformance" name="phone: GET /lead?phone=&#60;phone&#62;">
      <failure message="status: target 404, leancore-mock 200" type="differs">status: target 404, leancore-mock 200
content-type: target text/html, leancore-mock application/json</failure>
    </testcase>
    <testcase classname="leancore-mock.conformance" name="token-success: POST &#60;token-url&#62;, client credentials">
      <skipped message="${NO_CREDENTIALS}"/>
    </testcase>
  </testsuite>
</testsuites>
`)
})

t.test('the JUnit report escapes what XML would read as markup, in names, messages and failures', async (t) => {
  t.equal(formatReport(AWKWARD, 'junit'), `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="leancore-mock conformance" tests="3" failures="2" errors="0" skipped="1">
  <testsuite name="leancore-mock conformance: https://gw.example/lead&#38;api" tests="3" failures="2" errors="0" skipped="1">
    <testcase classname="leancore-mock.conformance" name="both-parameters: GET /lead?ecosystem=&#60;ecosystem&#62;&#38;phone=&#60;phone&#62;">
      <failure message="status: target 200, leancore-mock 400" type="differs">status: target 200, leancore-mock 400</failure>
    </testcase>
    <testcase classname="leancore-mock.conformance" name="token-success: POST &#60;token-url&#62;, client credentials">
      <failure message="body.say &#34;hi&#34; &#38; &#60;bye&#62;&#39;s: only at the target (a string), leancore-mock has no such key" type="differs">body.say &#34;hi&#34; &#38; &#60;bye&#62;&#39;s: only at the target (a string), leancore-mock has no such key
body.expires_in: missing at the target, leancore-mock has it (a number)</failure>
    </testcase>
    <testcase classname="leancore-mock.conformance" name="phone: GET /lead?phone=&#60;phone&#62;">
      <skipped message="no phone given (--phone): give the phone of one of the account&#39;s leads"/>
    </testcase>
  </testsuite>
</testsuites>
`)
})

t.test('a report where every case is the same: no failure, no skip, and a summary that says so', async (t) => {
  const report: ConformanceReport = { ...REPORT, cases: REPORT.cases.slice(0, 2), summary: { same: 2, differs: 0, skipped: 0 }, exitCode: 0 }
  t.equal(formatReport(report, 'text'), [
    'leancore-mock conformance: https://lead-api.example compared with leancore-mock 0.1.0',
    '',
    'case              request                                                verdict',
    'ecosystem         GET /lead?ecosystem=<ecosystem>                        same',
    'auth-wrong-token  GET /lead?ecosystem=<ecosystem>, Bearer <wrong token>  same',
    '',
    '2 cases: 2 same, 0 differ, 0 skipped',
    ''
  ].join('\n'))
  t.equal(formatReport(report, 'junit'), `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="leancore-mock conformance" tests="2" failures="0" errors="0" skipped="0">
  <testsuite name="leancore-mock conformance: https://lead-api.example" tests="2" failures="0" errors="0" skipped="0">
    <testcase classname="leancore-mock.conformance" name="ecosystem: GET /lead?ecosystem=&#60;ecosystem&#62;"/>
    <testcase classname="leancore-mock.conformance" name="auth-wrong-token: GET /lead?ecosystem=&#60;ecosystem&#62;, Bearer &#60;wrong token&#62;"/>
  </testsuite>
</testsuites>
`)
})
