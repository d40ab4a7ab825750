// The dashboard in a real browser, over a real server: what a developer sees and does in it.
import AxeBuilder from '@axe-core/playwright'
import { ADMIN_TOKEN, expect, signIn, test } from './fixtures.js'

const ECOSYSTEM = 'fd3705e1-3149-4c41-bfe7-cf0bee79cfad'
const SCREENSHOTS = new URL('./screenshots/', import.meta.url).pathname

test('a request made with fetch shows up in the live list within a second, with why it failed', async ({ page, mock, watched }) => {
  await signIn(page, mock)
  await expect(page.getByRole('status').filter({ hasText: '● live' })).toBeVisible()
  await mock.call('/lead?ecosystem=not-a-uuid')
  const row = page.getByRole('row').filter({ hasText: '/lead?ecosystem=not-a-uuid' })
  await expect(row).toBeVisible({ timeout: 1000 })
  await expect(row).toContainText('400')
  await expect(row).toContainText('querystring/ecosystem must be a UUID')
  await mock.call(`/lead?ecosystem=${ECOSYSTEM}`, { headers: { authorization: 'Basic abc' } })
  await expect(page.getByRole('row').filter({ hasText: `/lead?ecosystem=${ECOSYSTEM}` })).toContainText('401', { timeout: 1000 })
  // A row opens its headers (the token masked) and body.
  await row.click()
  const detail = page.getByRole('region', { name: 'Request detail' })
  await expect(detail).toContainText('Bearer sha256:')
  await expect(detail).not.toContainText('leancore-dev-token')
  // Filters: by sandbox (the shared data's requests, from before the page opened too), by status class; paused rows wait.
  await page.getByLabel('Sandbox').fill('shared')
  await expect(page.getByText(/^2 of 2 requests/)).toBeVisible()
  await page.getByLabel('Sandbox').fill('sbx_')
  await expect(page.getByText(/^0 of 2 requests/)).toBeVisible()
  await page.getByLabel('Sandbox').fill('')
  await page.getByLabel('Status').selectOption('2')
  await expect(page.getByRole('row').filter({ hasText: 'not-a-uuid' })).toHaveCount(0)
  await page.getByLabel('Status').selectOption('')
  await page.getByRole('button', { name: 'Pause' }).click()
  await mock.call('/lead?phone=573000000001')
  await expect(page.getByText(/1 waiting \(paused\)/)).toBeVisible()
  await page.getByRole('button', { name: 'Resume' }).click()
  await expect(page.getByRole('row').filter({ hasText: 'phone=573000000001' })).toBeVisible()
  expect(watched.errors).toEqual([])
})

test('what a hostile client sent is shown as text and runs nothing', async ({ page, mock, watched }) => {
  await signIn(page, mock)
  await expect(page.getByRole('status').filter({ hasText: '● live' })).toBeVisible()
  const image = '<img src=x onerror=alert(1)>'
  const script = '<script>alert(2)</script>'
  await mock.call(`/lead?ecosystem=${encodeURIComponent(image)}&phone=${encodeURIComponent(script)}`, { headers: { 'x-evil': `${image}${script}` } })
  const row = page.getByRole('row').filter({ hasText: image })
  await expect(row).toBeVisible()
  await expect(row).toContainText(script)
  await row.click()
  await expect(page.getByRole('region', { name: 'Request detail' })).toContainText(`${image}${script}`)
  await page.waitForTimeout(300)
  expect(await page.locator('main img').count()).toBe(0)
  expect(await page.locator('main script').count()).toBe(0)
  expect(watched.errors, 'no dialog, no error').toEqual([])
})

test('editing a lead\'s name in the page changes what GET /lead answers; an invalid edit shows the server\'s message and changes nothing', async ({ page, mock, watched }) => {
  const [lead] = await (await mock.call(`/lead?ecosystem=${ECOSYSTEM}`)).json() as Array<{ id: string, nit: string, name: string }>
  if (lead === undefined) throw new Error('the demo ecosystem has no lead')
  await signIn(page, mock, ADMIN_TOKEN, 'data')
  await page.getByRole('searchbox', { name: 'Search' }).fill(lead.nit)
  await page.getByRole('button', { name: new RegExp(`^${lead.name} `) }).first().click()
  const editor = page.getByLabel(/Lead as JSON/)
  const original = await editor.inputValue()
  await editor.fill(original.replace(`"name": "${lead.name}"`, '"name": "Renamed From The Dashboard"'))
  await page.getByRole('button', { name: 'Save lead' }).click()
  await expect(page.getByRole('alert')).toHaveText('Saved.')
  expect((await (await mock.call(`/lead?id=${lead.id}`)).json() as { name: string }).name).toBe('Renamed From The Dashboard')

  await editor.fill(original.replace(/"quota": [0-9.]+/, '"quota": "a lot"'))
  await page.getByRole('button', { name: 'Save lead' }).click()
  await expect(page.getByRole('alert')).toContainText('quota')
  await expect(editor).toHaveAttribute('aria-invalid', 'true')
  const after = await (await mock.call(`/lead?id=${lead.id}`)).json() as { name: string, quota: unknown }
  expect(after.name).toBe('Renamed From The Dashboard')
  expect(typeof after.quota).toBe('number')
  expect(watched.errors.filter((error) => !error.includes('400'))).toEqual([])
})

test('a JSON file of leads loads all or nothing, with the server\'s message; reset goes back to the seed', async ({ page, mock }) => {
  const total = async (): Promise<number> => (await (await mock.admin('/leads?limit=1')).json() as { total: number }).total
  const before = await total()
  const lead = {
    id: 'from-a-file',
    name: 'Lucía',
    lastname: 'Mejía',
    business_name: 'Tienda Lucía',
    status: 'new',
    phone: '573009998877',
    email: 'lucia@example.co',
    nit: '900765432-1',
    address: 'Calle 5 # 4-3',
    ecosystem: ECOSYSTEM,
    business_entity: 'S.A.S.',
    quota: 1000000
  }
  await signIn(page, mock, ADMIN_TOKEN, 'data')
  const file = page.getByLabel('Load leads from a JSON file (all or nothing)')
  await file.setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify([lead, { ...lead, id: 'second', quota: 'lots' }])) })
  await expect(page.getByRole('status').filter({ hasText: 'Nothing was loaded from bad.json' })).toContainText('quota')
  expect(await total(), 'nothing written').toBe(before)
  await file.setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify([lead])) })
  await expect(page.getByRole('status').filter({ hasText: 'Loaded 1 leads from good.json.' })).toBeVisible()
  expect(await total()).toBe(before + 1)
  page.once('dialog', (dialog) => { dialog.accept().catch(() => {}) })
  await page.getByRole('button', { name: 'Reset the data' }).click()
  await expect(page.getByRole('status').filter({ hasText: `Reset: ${before} leads from the seed.` })).toBeVisible()
  expect(await total()).toBe(before)
})

test('a scenario added from the form makes the next request fail as set, and its uses left are shown', async ({ page, mock, watched }) => {
  await signIn(page, mock, ADMIN_TOKEN, 'scenarios')
  await page.getByLabel('Route').selectOption('/lead')
  await page.getByLabel('Answer with status').fill('503')
  await page.getByLabel('Body (JSON or text)').fill('{"message":"down for maintenance"}')
  await page.getByLabel('Times').fill('2')
  await page.getByRole('button', { name: 'Add scenario' }).click()
  await expect(page.getByRole('status').filter({ hasText: /Added scenario/ })).toBeVisible()
  const row = page.getByRole('row').filter({ hasText: 'path: /lead' })
  await expect(row).toContainText('503')
  await expect(row.getByRole('cell').nth(4)).toHaveText('2')
  const response = await mock.call(`/lead?ecosystem=${ECOSYSTEM}`)
  expect(response.status).toBe(503)
  expect(await response.json()).toEqual({ message: 'down for maintenance' })
  await expect(row.getByRole('cell').nth(4)).toHaveText('1')
  await row.getByRole('button', { name: /Remove scenario/ }).click()
  await expect(page.getByText('No scenario is active')).toBeVisible()
  expect((await mock.call(`/lead?ecosystem=${ECOSYSTEM}`)).status).toBe(200)
  expect(watched.errors).toEqual([])
})

test('a new sandbox\'s token is shown once, and that token opens a page with its data only', async ({ page, mock, browser, watched }) => {
  await signIn(page, mock, ADMIN_TOKEN, 'sandboxes')
  await page.getByLabel('Name').fill('checkout suite')
  await page.getByRole('button', { name: 'Create sandbox' }).click()
  const token = await page.locator('code.token').textContent() ?? ''
  expect(token).toMatch(/^lcm_/)
  await expect(page.getByRole('row').filter({ hasText: 'checkout suite' })).toContainText(/\d+ min \d\d s/)
  await page.reload()
  await page.goto(`${mock.url}/__admin/ui#sandboxes`)
  await expect(page.getByRole('row').filter({ hasText: 'checkout suite' })).toBeVisible()
  expect(await page.locator('code.token').count(), 'shown once').toBe(0)
  expect(await page.content()).not.toContain(token)

  const other = await browser.newPage()
  await signIn(other, mock, token)
  await expect(other.getByText('sandbox', { exact: true })).toBeVisible()
  await expect(other.getByRole('link', { name: 'Sandboxes' })).toHaveCount(0)
  await expect(other.getByRole('status').filter({ hasText: '● live' })).toBeVisible()
  await mock.call('/lead?phone=573000000002')
  await mock.call('/lead?phone=573000000003', { headers: { authorization: `Bearer ${token}` } })
  await expect(other.getByRole('row').filter({ hasText: 'phone=573000000003' })).toBeVisible()
  await expect(other.getByRole('row').filter({ hasText: 'phone=573000000002' })).toHaveCount(0)
  await other.goto(`${mock.url}/__admin/ui#data`)
  await expect(other.getByRole('status').filter({ hasText: /^Leads 1–/ })).toBeVisible()
  await other.close()
  // The admin steers the sandbox's scenarios: its requests fail, the shared data's do not.
  await page.goto(`${mock.url}/__admin/ui#scenarios`)
  await page.getByLabel('Scenarios of').selectOption({ label: 'Sandbox checkout suite' })
  await page.getByLabel('Answer with status').fill('502')
  await page.getByRole('button', { name: 'Add scenario' }).click()
  await expect(page.getByRole('row').filter({ hasText: 'path: /lead' })).toContainText('502')
  expect((await mock.call('/lead?phone=573136434030', { headers: { authorization: `Bearer ${token}` } })).status).toBe(502)
  expect((await mock.call('/lead?phone=573136434030')).status).toBe(200)
  await page.goto(`${mock.url}/__admin/ui#sandboxes`)
  await page.getByRole('button', { name: /Delete sandbox checkout suite/ }).click()
  await expect(page.getByText('No sandbox.')).toBeVisible()
  expect(watched.errors).toEqual([])
})

test('a wrong token gets no data', async ({ page, mock }) => {
  await signIn(page, mock, 'not-the-admin-token')
  await expect(page.getByRole('alert')).toContainText('This token opens nothing here')
  await expect(page.getByRole('table')).toHaveCount(0)
  expect(await page.evaluate('sessionStorage.length')).toBe(0)
})

test('every view passes an accessibility check, at 1280×800 and at a phone\'s width, and is screenshotted', async ({ page, mock }) => {
  const check = async (name: string): Promise<void> => {
    const results = await new AxeBuilder({ page }).analyze()
    const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`), name).toEqual([])
    await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: false })
  }
  await page.goto(`${mock.url}/__admin/ui`)
  await check('sign-in')
  await mock.call('/lead?ecosystem=nope')
  await signIn(page, mock)
  await expect(page.getByRole('row').filter({ hasText: 'ecosystem=nope' })).toBeVisible()
  await check('requests')
  for (const view of ['data', 'scenarios', 'sandboxes']) {
    await page.goto(`${mock.url}/__admin/ui#${view}`)
    await expect(page.getByRole('link', { name: view[0]?.toUpperCase() + view.slice(1) })).toHaveAttribute('aria-current', 'page')
    if (view === 'data') await expect(page.getByRole('status').filter({ hasText: /^Leads 1–/ })).toBeVisible()
    await check(view)
  }
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto(`${mock.url}/__admin/ui#requests`)
  await check('requests-phone')
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.setViewportSize({ width: 1280, height: 800 })
  await check('requests-dark')
})

test('the page is usable by keyboard: sign in, move between views, open a request', async ({ page, mock }) => {
  await page.goto(`${mock.url}/__admin/ui`)
  await page.keyboard.type(ADMIN_TOKEN)
  await page.keyboard.press('Enter')
  await expect(page.getByRole('status').filter({ hasText: '● live' })).toBeVisible()
  await mock.call('/lead?phone=573000000004')
  const row = page.getByRole('row').filter({ hasText: 'phone=573000000004' })
  await row.focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('region', { name: 'Request detail' })).toContainText('GET /lead?phone=573000000004')
  await page.goto(`${mock.url}/__admin/ui#constructor`)
  await expect(page.getByRole('heading', { name: 'Live requests' }), 'a name every object has is no view').toBeVisible()
  await page.getByRole('link', { name: 'Scenarios' }).focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { name: 'Scenarios' })).toBeVisible()
})

test('the page carries a strict Content-Security-Policy and cannot be framed', async ({ mock }) => {
  const response = await fetch(`${mock.url}/__admin/ui`)
  const policy = response.headers.get('content-security-policy') ?? ''
  expect(policy).toContain("script-src 'self'")
  expect(policy).toContain("connect-src 'self'")
  expect(policy).toContain("frame-ancestors 'none'")
  expect(policy).not.toContain('unsafe-inline')
  expect(response.headers.get('x-frame-options')).toBe('DENY')
})
