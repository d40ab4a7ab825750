// Scenarios: failures on purpose. Add one from a form, see the active ones with the uses they have
// left, remove one. A sandbox's token adds and sees its sandbox's only (the server decides).
import { api } from './api.js'
import { el, field, fill, notice, select } from './dom.js'

interface Scenario { id: string, match: Record<string, string>, respond?: { status: number }, delayMs: number, drop: boolean, remaining: number | null, hits: number }

const ROUTES = ['/lead', '/create-lead', '/update-lead', '/assign-lead-to-financial-entity', '/turn-lead-into-client', '/user', '/update-user',
  '/financial-entity', '/financial-entity-users', '/oauth2/token']

export function scenariosView (context: { role: 'admin' | 'sandbox' }): { element: HTMLElement, refresh: () => void } {
  const route = select([['', 'Any route'], ...ROUTES.map((path): [string, string] => [path, path])], '/lead')
  const status = el('input', { type: 'number', min: '200', max: '599', value: '503', required: true })
  const body = el('textarea', { rows: 3, placeholder: '{"message": "down for maintenance"} (empty: an error body in Fastify\'s shape)' })
  const delay = el('input', { type: 'number', min: '0', max: '30000', value: '0' })
  const times = el('input', { type: 'number', min: '1', placeholder: 'every request' })
  const token = el('input', { type: 'text', autocomplete: 'off', placeholder: 'any token' })
  const drop = el('input', { type: 'checkbox' })
  // The admin token steers the shared data's scenarios or one sandbox's (?sandbox=).
  const where = select([['', 'The shared data']], '')
  const target = (): string => where.value === '' ? '' : `sandbox=${encodeURIComponent(where.value)}`
  const withTarget = (path: string): string => target() === '' ? path : `${path}${path.includes('?') ? '&' : '?'}${target()}`
  const message = el('p', { className: 'notice', attrs: { role: 'status' } })
  const rows = el('tbody')

  const refresh = (): void => {
    if (context.role === 'admin') {
      api<Array<{ id: string, name: string | null }>>('/sandboxes').then((sandboxes) => {
        const current = where.value
        fill(where, el('option', { value: '' }, 'The shared data'), ...sandboxes.map((sandbox) => el('option', { value: sandbox.id }, `Sandbox ${sandbox.name ?? sandbox.id}`)))
        where.value = sandboxes.some((sandbox) => sandbox.id === current) ? current : ''
      }, () => {})
    }
    api<Scenario[]>(withTarget('/scenarios')).then((scenarios) => {
      fill(rows, ...scenarios.map((scenario) => {
        const remove = el('button', { type: 'button', className: 'danger' }, 'Remove')
        remove.setAttribute('aria-label', `Remove scenario ${scenario.id}`)
        remove.addEventListener('click', () => {
          api(withTarget(`/scenarios/${encodeURIComponent(scenario.id)}`), { method: 'DELETE' }).then(() => { notice(message, `Removed ${scenario.id}.`); refresh() }, (error: Error) => notice(message, error.message, 'error'))
        })
        const match = Object.entries(scenario.match).map(([key, value]) => `${key}: ${value}`).join(', ')
        return el('tr', {},
          el('td', { className: 'mono' }, scenario.id.slice(0, 8)),
          el('td', {}, match === '' ? 'every request' : match),
          el('td', {}, scenario.drop ? 'drop the connection' : String(scenario.respond?.status ?? 'pass through')),
          el('td', { className: 'number' }, `${scenario.delayMs} ms`),
          el('td', { className: 'number' }, scenario.remaining === null ? 'no limit' : scenario.remaining),
          el('td', { className: 'number' }, scenario.hits),
          el('td', {}, remove))
      }))
      if (scenarios.length === 0) fill(rows, el('tr', {}, el('td', { colSpan: 7 }, 'No scenario is active: every request is answered from the data.')))
    }, (error: Error) => notice(message, error.message, 'error'))
  }

  const add = (event: Event): void => {
    event.preventDefault()
    const scenario: Record<string, unknown> = { match: {} }
    const match = scenario.match as Record<string, string>
    if (route.value !== '') match.path = route.value
    if (token.value.trim() !== '') match.token = token.value.trim()
    if (drop.checked) {
      scenario.drop = true
    } else {
      const respond: Record<string, unknown> = { status: Number(status.value) }
      if (body.value.trim() !== '') {
        try {
          respond.body = JSON.parse(body.value)
        } catch {
          respond.body = body.value
        }
      }
      scenario.respond = respond
    }
    if (Number(delay.value) > 0) scenario.delayMs = Number(delay.value)
    if (times.value !== '') scenario.times = Number(times.value)
    api<Scenario>(withTarget('/scenarios'), { method: 'POST', body: scenario }).then((added) => {
      notice(message, `Added scenario ${added.id}.`)
      refresh()
    }, (error: Error) => notice(message, error.message, 'error'))
  }

  where.addEventListener('change', refresh)
  const element = el('section', { className: 'view', attrs: { 'aria-labelledby': 'scenarios-title' } },
    el('div', { className: 'heading' }, el('h2', { id: 'scenarios-title' }, 'Scenarios')),
    el('form', { className: 'card grid', onsubmit: add, attrs: { 'aria-label': 'Add a scenario' } },
      context.role === 'admin' ? field('Scenarios of', where) : null,
      field('Route', route), field('Answer with status', status), field('Body (JSON or text)', body),
      field('Delay (ms)', delay), field('Times', times, 'empty: until removed'),
      context.role === 'admin' ? field('Only for this token', token) : null,
      field('Drop the connection instead', drop),
      el('div', { className: 'actions' }, el('button', { type: 'submit', className: 'primary' }, 'Add scenario'))),
    message,
    el('div', { className: 'scroll', tabIndex: 0, attrs: { role: 'region', 'aria-label': 'Active scenarios' } },
      el('table', {}, el('thead', {}, el('tr', {}, ...['Id', 'Matches', 'Answer', 'Delay', 'Uses left', 'Used', ''].map((name) => el('th', { scope: 'col' }, name)))), rows)))
  return { element, refresh }
}
