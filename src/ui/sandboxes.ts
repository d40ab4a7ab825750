// Sandboxes (the admin token only): the list with each one's time left, a new one (its token and
// client secret shown once), delete.
import { api } from './api.js'
import { el, field, fill, notice, select } from './dom.js'

interface Sandbox { id: string, name: string | null, clientId: string, expiresAt: string, leads: number, financialEntities: number, users: number }
interface Created extends Sandbox { token: string, clientSecret: string }

export function sandboxesView (): { element: HTMLElement, refresh: () => void, stop: () => void } {
  const name = el('input', { type: 'text', maxLength: 200, placeholder: 'the suite, the CI job' })
  const ttl = el('input', { type: 'number', min: '1', value: '3600' })
  const seed = select([['demo', 'The demo data'], ['none', 'Nothing']])
  const message = el('p', { className: 'notice', attrs: { role: 'status' } })
  const secret = el('div', { className: 'secret' })
  const rows = el('tbody')
  let sandboxes: Sandbox[] = []

  const left = (expiresAt: string): string => {
    const seconds = Math.max(0, Math.round((Date.parse(expiresAt) - Date.now()) / 1000))
    return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`
  }
  const render = (): void => {
    fill(rows, ...sandboxes.map((sandbox) => {
      const remove = el('button', { type: 'button', className: 'danger' }, 'Delete')
      remove.setAttribute('aria-label', `Delete sandbox ${sandbox.name ?? sandbox.id}`)
      remove.addEventListener('click', () => {
        api(`/sandboxes/${encodeURIComponent(sandbox.id)}`, { method: 'DELETE' }).then(() => { notice(message, `Deleted ${sandbox.id}.`); refresh() }, (error: Error) => notice(message, error.message, 'error'))
      })
      return el('tr', {},
        el('td', {}, sandbox.name ?? '–'),
        el('td', { className: 'mono' }, sandbox.id),
        el('td', { className: 'mono' }, sandbox.clientId),
        el('td', { className: 'number' }, `${sandbox.leads} leads, ${sandbox.financialEntities} fintechs, ${sandbox.users} users`),
        el('td', { className: 'number countdown', attrs: { 'data-expires': sandbox.expiresAt } }, left(sandbox.expiresAt)),
        el('td', {}, remove))
    }))
    if (sandboxes.length === 0) fill(rows, el('tr', {}, el('td', { colSpan: 6 }, 'No sandbox.')))
  }
  const refresh = (): void => {
    api<Sandbox[]>('/sandboxes').then((list) => { sandboxes = list; render() }, (error: Error) => notice(message, error.message, 'error'))
  }
  // The countdowns, once a second; a sandbox that expired leaves the list at the next refresh.
  const ticking = setInterval(() => {
    for (const cell of rows.querySelectorAll<HTMLElement>('.countdown')) cell.textContent = left(cell.dataset.expires as string)
    if (sandboxes.some((sandbox) => Date.parse(sandbox.expiresAt) <= Date.now())) refresh()
  }, 1000)

  const copyButton = (label: string, value: string): HTMLButtonElement => {
    const button = el('button', { type: 'button' }, `Copy ${label}`)
    button.addEventListener('click', () => {
      navigator.clipboard.writeText(value).then(() => { button.textContent = `${label} copied` }, () => { button.textContent = 'Copy failed: select the text' })
    })
    return button
  }
  const create = (event: Event): void => {
    event.preventDefault()
    const input: Record<string, unknown> = { seed: seed.value, ttlSeconds: Number(ttl.value) }
    if (name.value.trim() !== '') input.name = name.value.trim()
    api<Created>('/sandboxes', { method: 'POST', body: input }).then((created) => {
      notice(message, `Created sandbox ${created.id}.`)
      fill(secret,
        el('h3', {}, 'Shown once: copy them now'),
        el('p', {}, 'The server keeps only their digests; this page forgets them when you leave it.'),
        el('dl', {},
          el('dt', {}, 'Token'), el('dd', {}, el('code', { className: 'token' }, created.token), ' ', copyButton('token', created.token)),
          el('dt', {}, 'OAuth client id'), el('dd', {}, el('code', {}, created.clientId)),
          el('dt', {}, 'Client secret'), el('dd', {}, el('code', { className: 'client-secret' }, created.clientSecret), ' ', copyButton('client secret', created.clientSecret))),
        el('button', { type: 'button', onclick: () => fill(secret) }, 'Done: hide them'))
      refresh()
    }, (error: Error) => notice(message, error.message, 'error'))
  }

  const element = el('section', { className: 'view', attrs: { 'aria-labelledby': 'sandboxes-title' } },
    el('div', { className: 'heading' }, el('h2', { id: 'sandboxes-title' }, 'Sandboxes')),
    el('form', { className: 'card grid', onsubmit: create, attrs: { 'aria-label': 'Create a sandbox' } },
      field('Name', name), field('Lives (seconds)', ttl), field('Starts with', seed),
      el('div', { className: 'actions' }, el('button', { type: 'submit', className: 'primary' }, 'Create sandbox'))),
    message,
    secret,
    el('div', { className: 'scroll', tabIndex: 0, attrs: { role: 'region', 'aria-label': 'Sandboxes' } },
      el('table', {}, el('thead', {}, el('tr', {}, ...['Name', 'Id', 'OAuth client', 'Holds', 'Expires in', ''].map((heading) => el('th', { scope: 'col' }, heading)))), rows)))
  return { element, refresh, stop: () => clearInterval(ticking) }
}
