// The data a token opens: its ecosystems, a page of leads at a time (searched and sorted by the
// server, so 100k leads are never loaded at once), a lead's detail and lifecycle, edits as JSON with
// the server's validation message, a JSON file of leads loaded all or nothing, and reset.
import { api, ApiError } from './api.js'
import { el, field, fill, notice, select } from './dom.js'

const PAGE = 50

interface Lead { id: string, name: string, lastname: string, nit: string, phone: string, email: string, status: string, ecosystem: string, quota: number, [key: string]: unknown }
interface FinancialEntity { uid: string, name: string }
interface User { id: string, financial_entity: string, available_quota: number }

export function dataView (): { element: HTMLElement, refresh: () => void } {
  let ecosystem = ''
  let offset = 0
  let total = 0
  let leads: Lead[] = []
  let sort = ''

  const ecosystems = el('ul', { className: 'ecosystems' })
  const search = el('input', { type: 'search', placeholder: 'name, NIT, phone, email or id' })
  const sortBy = select([['', 'Stored order'], ['name', 'Name (A–Z)'], ['-name', 'Name (Z–A)'], ['status', 'Status'], ['-quota', 'Quota (highest first)'], ['quota', 'Quota (lowest first)']])
  const rows = el('tbody')
  const pageInfo = el('p', { className: 'count', attrs: { role: 'status' } })
  const previous = el('button', { type: 'button' }, 'Previous page')
  const next = el('button', { type: 'button' }, 'Next page')
  const message = el('p', { className: 'notice', attrs: { role: 'status' } })
  const detail = el('section', { className: 'detail', attrs: { 'aria-label': 'Lead detail' } })
  const file = el('input', { type: 'file', accept: 'application/json,.json' })

  const loadEcosystems = async (): Promise<void> => {
    const list = await api<Array<{ ecosystem: string, leads: number }>>('/ecosystems')
    fill(ecosystems, ...[{ ecosystem: '', leads: list.reduce((sum, item) => sum + item.leads, 0) }, ...list].map((item) => {
      const button = el('button', { type: 'button', className: 'link' }, item.ecosystem === '' ? 'All ecosystems' : item.ecosystem, el('span', { className: 'badge' }, `${item.leads} leads`))
      button.setAttribute('aria-pressed', String(item.ecosystem === ecosystem))
      button.addEventListener('click', () => { ecosystem = item.ecosystem; refresh().catch(() => {}) })
      return el('li', {}, button)
    }))
  }

  const loadLeads = async (): Promise<void> => {
    const query = new URLSearchParams({ limit: String(PAGE), offset: String(offset) })
    if (ecosystem !== '') query.set('ecosystem', ecosystem)
    if (search.value.trim() !== '') query.set('search', search.value.trim())
    if (sort !== '') query.set('sort', sort)
    const page = await api<{ total: number, leads: Lead[] }>(`/leads?${query.toString()}`)
    total = page.total
    leads = page.leads
    fill(rows, ...leads.map((lead) => {
      const open = el('button', { type: 'button', className: 'link' }, `${lead.name} ${lead.lastname}`)
      open.addEventListener('click', () => { showLead(lead).catch((showError: Error) => notice(message, showError.message, 'error')) })
      return el('tr', {}, el('td', {}, open), el('td', { className: 'mono' }, lead.nit), el('td', { className: 'mono' }, lead.phone),
        el('td', {}, lead.status), el('td', { className: 'number' }, lead.quota.toLocaleString('en')), el('td', { className: 'mono' }, lead.ecosystem.slice(0, 8)))
    }))
    pageInfo.textContent = total === 0 ? 'No leads' : `Leads ${offset + 1}–${offset + leads.length} of ${total}`
    previous.disabled = offset === 0
    next.disabled = offset + PAGE >= total
  }

  const showLead = async (lead: Lead): Promise<void> => {
    const editor = el('textarea', { value: JSON.stringify(lead, null, 2), rows: 18, spellcheck: false })
    const error = el('p', { className: 'notice', attrs: { role: 'alert' } })
    const save = el('button', { type: 'button', className: 'primary' }, 'Save lead')
    const lifecycle = el('dl', {}, el('dt', {}, 'Status'), el('dd', {}, lead.status))
    save.addEventListener('click', () => {
      editor.removeAttribute('aria-invalid')
      let edited: unknown
      try {
        edited = JSON.parse(editor.value)
      } catch (parseError) {
        editor.setAttribute('aria-invalid', 'true')
        notice(error, `Not JSON: ${(parseError as Error).message}`, 'error')
        return
      }
      api<{ written: number }>('/leads', { method: 'POST', body: [edited] }).then(async () => {
        notice(error, 'Saved.')
        await loadLeads()
      }, (saveError: ApiError) => {
        editor.setAttribute('aria-invalid', 'true')
        notice(error, saveError.message, 'error')
      })
    })
    fill(detail,
      el('h3', {}, `${lead.name} ${lead.lastname}`),
      el('p', { className: 'mono' }, lead.id),
      el('h4', {}, 'Lifecycle'), lifecycle,
      field('Lead as JSON (edit and save; the server validates it)', editor),
      error,
      save)
    editor.setAttribute('aria-describedby', error.id = `error-${lead.id}`)
    // Where the lead went after the read: the fintech it was assigned to, the user it became.
    const [entities, users] = await Promise.all([
      api<{ financialEntities: FinancialEntity[] }>(`/financial-entities?ecosystem=${lead.ecosystem}&limit=10000`).catch(() => ({ financialEntities: [] })),
      api<{ users: User[] }>(`/users?ecosystem=${lead.ecosystem}&limit=10000`).catch(() => ({ users: [] }))
    ])
    const user = users.users.find((found) => found.id === lead.id)
    const fintech = (uid: string | undefined): string => entities.financialEntities.find((entity) => entity.uid === uid)?.name ?? uid ?? '–'
    const assigned = typeof lead.financial_entity === 'string' ? lead.financial_entity : undefined
    fill(lifecycle,
      el('dt', {}, 'Status'), el('dd', {}, lead.status),
      el('dt', {}, 'Assigned to'), el('dd', {}, assigned === undefined ? (user === undefined ? 'not assigned' : fintech(user.financial_entity)) : fintech(assigned)),
      el('dt', {}, 'Client (user)'), el('dd', {}, user === undefined ? 'not a client yet' : `a client of ${fintech(user.financial_entity)}, quota available ${user.available_quota.toLocaleString('en')}`))
  }

  const reload = (): void => { offset = 0; loadLeads().catch((loadError: Error) => notice(message, loadError.message, 'error')) }
  let typing: ReturnType<typeof setTimeout> | undefined
  search.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(reload, 250) })
  sortBy.addEventListener('change', () => { sort = sortBy.value; reload() })
  const turn = (to: number): void => { offset = to; loadLeads().catch((loadError: Error) => notice(message, loadError.message, 'error')) }
  previous.addEventListener('click', () => turn(Math.max(0, offset - PAGE)))
  next.addEventListener('click', () => turn(offset + PAGE))

  file.addEventListener('change', () => {
    const chosen = file.files?.[0]
    if (chosen === undefined) return
    chosen.text().then(async (text) => {
      const { written } = await api<{ written: number }>('/leads', { method: 'POST', text })
      notice(message, `Loaded ${written} leads from ${chosen.name}.`)
      file.value = ''
      await refresh()
    }).catch((loadError: Error) => notice(message, `Nothing was loaded from ${chosen.name}: ${loadError.message}`, 'error'))
  })
  const reset = el('button', { type: 'button', className: 'danger' }, 'Reset the data')
  reset.addEventListener('click', () => {
    if (!confirm('Back to the seed: every lead written since goes, and the journal and scenarios are emptied. Reset?')) return
    api<{ leads: number }>('/reset', { method: 'POST' }).then(async ({ leads: count }) => {
      notice(message, `Reset: ${count} leads from the seed.`)
      fill(detail)
      await refresh()
    }, (resetError: Error) => notice(message, resetError.message, 'error'))
  })

  // Back to the first page: after a load or a reset the old page may not exist.
  const refresh = async (): Promise<void> => {
    offset = 0
    await Promise.all([loadEcosystems(), loadLeads()]).catch((loadError: Error) => notice(message, loadError.message, 'error'))
  }

  const element = el('section', { className: 'view', attrs: { 'aria-labelledby': 'data-title' } },
    el('div', { className: 'heading' }, el('h2', { id: 'data-title' }, 'Data')),
    message,
    el('div', { className: 'columns' },
      el('nav', { attrs: { 'aria-label': 'Ecosystems' } }, el('h3', {}, 'Ecosystems'), ecosystems,
        el('div', { className: 'stack' }, field('Load leads from a JSON file (all or nothing)', file), reset)),
      el('div', {},
        el('form', { className: 'toolbar', attrs: { role: 'search', 'aria-label': 'Search leads' }, onsubmit: (event: Event) => { event.preventDefault(); reload() } },
          field('Search', search), field('Sort', sortBy)),
        pageInfo,
        el('div', { className: 'scroll', tabIndex: 0, attrs: { role: 'region', 'aria-label': 'Leads' } },
          el('table', {}, el('thead', {}, el('tr', {}, ...['Name', 'NIT', 'Phone', 'Status', 'Quota', 'Ecosystem'].map((name) => el('th', { scope: 'col' }, name)))), rows)),
        el('div', { className: 'actions' }, previous, next),
        detail)))
  return { element, refresh: () => { refresh() } }
}
