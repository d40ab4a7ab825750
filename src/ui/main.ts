// The dashboard of leancore-mock, at /__admin/ui. A page of static files: it holds no data and adds
// no way in. It asks for a token (the admin token, or a sandbox's, which shows that sandbox only),
// keeps it in sessionStorage, and calls the admin API with it as any client would.
import { api, ApiError, session } from './api.js'
import { dataView } from './data.js'
import { el, field, fill, notice } from './dom.js'
import { requestsView } from './requests.js'
import { sandboxesView } from './sandboxes.js'
import { scenariosView } from './scenarios.js'

const app = document.getElementById('app') as HTMLElement

function signIn (problem?: string): void {
  const token = el('input', { type: 'password', autocomplete: 'off', required: true })
  const message = el('p', { className: 'notice', attrs: { role: 'alert' } })
  if (problem !== undefined) notice(message, problem, 'error')
  const form = el('form', { className: 'card signin', attrs: { 'aria-label': 'Sign in' } },
    el('h1', {}, 'leancore-mock'),
    el('p', {}, 'The admin token (ADMIN_TOKEN) shows everything; a sandbox\'s token shows that sandbox only.'),
    field('Token', token),
    message,
    el('button', { type: 'submit', className: 'primary' }, 'Open the dashboard'))
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    session.token = token.value.trim()
    open()
  })
  fill(app, el('main', {}, form))
  token.focus()
}

/** Which data the token opens: the admin token lists sandboxes, a sandbox's token cannot. */
async function roleOf (): Promise<'admin' | 'sandbox'> {
  await api('/journal?limit=1')
  try {
    await api('/sandboxes')
    return 'admin'
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return 'sandbox'
    throw error
  }
}

async function open (): Promise<void> {
  if (session.token === null || session.token === '') return signIn()
  let role: 'admin' | 'sandbox'
  try {
    role = await roleOf()
  } catch (error) {
    session.token = null
    return signIn(error instanceof ApiError && error.status === 401 ? 'This token opens nothing here: it is neither the admin token nor a live sandbox\'s.' : (error as Error).message)
  }
  const scenarios = scenariosView({ role })
  let scenarioRefresh: ReturnType<typeof setTimeout> | undefined
  // A request may use up a scenario: its uses left are fetched again shortly after requests come.
  const requests = requestsView({ role, onEntry: () => { clearTimeout(scenarioRefresh); scenarioRefresh = setTimeout(scenarios.refresh, 300) } })
  const data = dataView()
  const sandboxes = role === 'admin' ? sandboxesView() : undefined
  const views: Record<string, { label: string, element: HTMLElement, refresh?: () => void }> = {
    requests: { label: 'Requests', element: requests.element },
    data: { label: 'Data', element: data.element, refresh: data.refresh },
    scenarios: { label: 'Scenarios', element: scenarios.element, refresh: scenarios.refresh },
    ...(sandboxes === undefined ? {} : { sandboxes: { label: 'Sandboxes', element: sandboxes.element, refresh: sandboxes.refresh } })
  }
  const links = Object.entries(views).map(([name, view]) => el('a', { href: `#${name}` }, view.label))
  const signOut = el('button', { type: 'button' }, 'Sign out')
  signOut.addEventListener('click', () => {
    requests.stop()
    sandboxes?.stop()
    session.token = null
    window.removeEventListener('hashchange', show)
    location.hash = ''
    signIn()
  })
  const main = el('main', { id: 'main' })
  fill(app,
    el('header', {},
      el('h1', {}, 'leancore-mock', el('span', { className: 'badge' }, role === 'admin' ? 'admin' : 'sandbox')),
      el('nav', { attrs: { 'aria-label': 'Views' } }, ...links),
      signOut),
    main)

  function show (): void {
    const wanted = location.hash.slice(1)
    const name = Object.hasOwn(views, wanted) ? wanted : 'requests'
    // One view in the page at a time; the others keep their state (the live list keeps filling).
    fill(main, (views[name] as { element: HTMLElement }).element)
    for (const link of links) {
      if (link.getAttribute('href') === `#${name}`) link.setAttribute('aria-current', 'page')
      else link.removeAttribute('aria-current')
    }
    views[name]?.refresh?.()
  }
  window.addEventListener('hashchange', show)
  show()
}

open()
