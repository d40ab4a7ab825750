// Live requests: every request to the LeanCore routes, as it happens, with why it failed.
import { api, watchJournal, type JournalEntry } from './api.js'
import { el, field, fill, select } from './dom.js'

/** What the list keeps: the newest entries, so that a long session does not grow without bound */
const KEPT = 1000

export interface RequestsView {
  element: HTMLElement
  /** Stops the stream: the user signed out */
  stop: () => void
}

export function requestsView (context: { role: 'admin' | 'sandbox', onEntry: () => void }): RequestsView {
  let entries: JournalEntry[] = []
  let waiting: JournalEntry[] = []
  let paused = false
  let selected: JournalEntry | undefined
  const abort = new AbortController()

  const status = select([['', 'Any status'], ['2', '2xx'], ['3', '3xx'], ['4', '4xx'], ['5', '5xx'], ['dropped', 'Dropped']])
  const route = select([['', 'Any route']])
  const sandbox = el('input', { type: 'search', placeholder: 'id, or "shared"' })
  const text = el('input', { type: 'search', placeholder: 'path, query, reason, header…' })
  const live = el('span', { className: 'live', attrs: { role: 'status' } }, 'connecting…')
  const pause = el('button', { type: 'button' }, 'Pause')
  const clear = el('button', { type: 'button' }, 'Clear')
  const rows = el('tbody')
  const detail = el('section', { className: 'detail', attrs: { 'aria-label': 'Request detail' } })
  const count = el('p', { className: 'count' })

  const matches = (entry: JournalEntry): boolean => {
    const wanted = status.value
    if (wanted === 'dropped' && entry.status !== null) return false
    if (wanted !== '' && wanted !== 'dropped' && String(entry.status ?? '').charAt(0) !== wanted) return false
    if (route.value !== '' && entry.path !== route.value) return false
    const box = sandbox.value.trim()
    if (box !== '' && !(box === 'shared' ? entry.sandbox === null : (entry.sandbox ?? '').includes(box))) return false
    const needle = text.value.trim().toLowerCase()
    if (needle !== '') {
      const haystack = [entry.method, entry.path, JSON.stringify(entry.query), entry.reason ?? '', entry.body ?? '', JSON.stringify(entry.headers)].join(' ').toLowerCase()
      if (!haystack.includes(needle)) return false
    }
    return true
  }

  const render = (): void => {
    const shown = entries.filter(matches)
    fill(rows, ...shown.map((entry) => row(entry)))
    count.textContent = `${shown.length} of ${entries.length} requests${paused ? `, ${waiting.length} waiting (paused)` : ''}`
    // The routes seen so far; the select is rebuilt only when they change, so an open one stays open.
    const paths = [...new Set(entries.map((entry) => entry.path))].sort()
    if (paths.join('\n') === knownPaths) return
    knownPaths = paths.join('\n')
    const current = route.value
    fill(route, el('option', { value: '' }, 'Any route'), ...paths.map((path) => el('option', { value: path }, path)))
    route.value = paths.includes(current) ? current : ''
  }
  let knownPaths = ''
  let scheduled = false
  const schedule = (): void => {
    if (scheduled) return
    scheduled = true
    requestAnimationFrame(() => { scheduled = false; render() })
  }

  const row = (entry: JournalEntry): HTMLTableRowElement => {
    const failed = entry.status === null || entry.status >= 400
    const tr = el('tr', { className: failed ? 'failed' : '', tabIndex: 0, attrs: { 'aria-selected': String(entry === selected) } },
      el('td', {}, entry.time.slice(11, 23)),
      el('td', {}, entry.method),
      el('td', { className: 'path' }, pathOf(entry)),
      el('td', {}, entry.status === null ? 'dropped' : entry.status),
      el('td', { className: 'number' }, `${entry.durationMs} ms`),
      el('td', { className: 'mono' }, entry.token === null ? 'none' : entry.token.slice(7, 19)),
      el('td', { className: 'mono' }, sandboxOf(entry, context.role)),
      el('td', { className: 'reason' }, entry.reason ?? ''))
    const open = (): void => { selected = entry; showDetail(entry); schedule() }
    tr.addEventListener('click', open)
    tr.addEventListener('keydown', (event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); open() } })
    return tr
  }

  const showDetail = (entry: JournalEntry): void => {
    fill(detail,
      el('h3', {}, `${entry.method} ${pathOf(entry)} → ${entry.status ?? 'dropped'}`),
      entry.reason === null ? null : el('p', { className: 'reason' }, `Why: ${entry.reason}`),
      el('dl', {},
        el('dt', {}, 'Time'), el('dd', {}, entry.time),
        el('dt', {}, 'Token'), el('dd', { className: 'mono' }, entry.token ?? 'none'),
        el('dt', {}, 'OAuth client'), el('dd', {}, entry.client ?? '–'),
        el('dt', {}, 'Sandbox'), el('dd', { className: 'mono' }, sandboxOf(entry, context.role)),
        el('dt', {}, 'Scenario'), el('dd', { className: 'mono' }, entry.scenario ?? '–')),
      el('h4', {}, 'Query'), el('pre', {}, JSON.stringify(entry.query, null, 2)),
      el('h4', {}, 'Headers (secrets masked)'),
      el('table', { className: 'headers' }, el('tbody', {}, ...Object.entries(entry.headers).map(([name, value]) => el('tr', {}, el('th', { scope: 'row' }, name), el('td', {}, value))))),
      el('h4', {}, 'Body'), el('pre', {}, entry.body ?? '(none)'))
  }

  const add = (entry: JournalEntry): void => {
    if (paused) {
      waiting.push(entry)
      if (waiting.length > KEPT) waiting = waiting.slice(-KEPT)
    } else {
      entries.unshift(entry)
      if (entries.length > KEPT) entries.length = KEPT
    }
    context.onEntry()
    schedule()
  }

  pause.addEventListener('click', () => {
    paused = !paused
    pause.textContent = paused ? 'Resume' : 'Pause'
    pause.setAttribute('aria-pressed', String(paused))
    if (!paused) {
      entries = [...waiting.reverse(), ...entries].slice(0, KEPT)
      waiting = []
    }
    schedule()
  })
  clear.addEventListener('click', () => { entries = []; waiting = []; selected = undefined; fill(detail); schedule() })
  for (const control of [status, route]) control.addEventListener('change', schedule)
  for (const control of [sandbox, text]) control.addEventListener('input', schedule)

  // The recent past first (the journal of the space the token opens), then everything new.
  // The journal the token opens: the shared data's for the admin token (sandboxes' requests appear
  // from now on), its own for a sandbox's token. An entry the stream brought already is not doubled.
  const key = (entry: JournalEntry): string => `${context.role === 'admin' ? String(entry.sandbox) : ''}|${entry.seq}|${entry.time}`
  api<{ entries: JournalEntry[] }>('/journal?limit=200').then(({ entries: recent }) => {
    const seen = new Set(entries.map(key))
    const earlier = recent.reverse().map((entry) => ({ ...entry, sandbox: context.role === 'admin' ? null : undefined }))
    entries = [...entries, ...earlier.filter((entry) => !seen.has(key(entry)))].slice(0, KEPT)
    schedule()
  }, (error: Error) => { count.textContent = `The journal could not be read: ${error.message}` })
  watchJournal(add, (on, problem) => {
    live.textContent = on ? '● live' : `not live${problem === undefined ? '' : ` (${problem})`}: trying again shortly`
    live.className = on ? 'live on' : 'live'
  }, abort.signal).catch(() => {})

  const element = el('section', { className: 'view', attrs: { 'aria-labelledby': 'requests-title' } },
    el('div', { className: 'heading' }, el('h2', { id: 'requests-title' }, 'Live requests'), live),
    el('form', { className: 'toolbar', attrs: { role: 'search', 'aria-label': 'Filter requests' }, onsubmit: (event: Event) => event.preventDefault() },
      field('Status', status), field('Route', route), field('Sandbox', sandbox), field('Text', text),
      el('div', { className: 'actions' }, pause, clear)),
    count,
    el('div', { className: 'scroll', tabIndex: 0, attrs: { role: 'region', 'aria-label': 'Requests' } },
      el('table', { className: 'requests' },
        el('thead', {}, el('tr', {}, ...['Time', 'Method', 'Path', 'Status', 'Latency', 'Token', 'Sandbox', 'Reason'].map((name) => el('th', { scope: 'col' }, name)))),
        rows)),
    detail)
  render()
  return { element, stop: () => abort.abort() }
}

function pathOf (entry: JournalEntry): string {
  const query = Object.entries(entry.query).flatMap(([key, value]) => [value].flat().map((item) => `${key}=${item}`)).join('&')
  return query === '' ? entry.path : `${entry.path}?${query}`
}

function sandboxOf (entry: JournalEntry, role: 'admin' | 'sandbox'): string {
  if (entry.sandbox === undefined) return role === 'admin' ? 'shared' : 'this sandbox'
  return entry.sandbox ?? 'shared'
}
