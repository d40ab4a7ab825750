// What every browser test gets: its own server (the built CLI on a free port, the demo data in
// memory, an admin token), a page that has signed in or not, and a check that the page asked no
// other origin for anything and logged no error.
import { test as base, expect, type Page } from '@playwright/test'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const ADMIN_TOKEN = 'dashboard-admin-token'
const API_TOKEN = 'leancore-dev-token'
const CLI = fileURLToPath(new URL('../../dist/bundle/cli.js', import.meta.url))

export interface Mock {
  url: string
  /** Sends a request as an app would: with the development token unless headers say otherwise */
  call: (path: string, init?: RequestInit) => Promise<Response>
  admin: (path: string, init?: RequestInit) => Promise<Response>
}

export const test = base.extend<{ mock: Mock, watched: { requests: string[], errors: string[] } }>({
  mock: async ({}, use) => { // eslint-disable-line no-empty-pattern
    const child = spawn(process.execPath, [CLI], {
      env: { ...process.env, PORT: '0', DATABASE_PATH: ':memory:', ADMIN_TOKEN, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit']
    })
    const url = await new Promise<string>((resolve, reject) => {
      let output = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk
        const ready = output.split('\n').find((line) => line.includes('leancore-mock ready'))
        if (ready !== undefined) resolve((JSON.parse(ready) as { url: string }).url)
      })
      child.on('exit', (code) => reject(new Error(`the server exited ${String(code)}:\n${output}`)))
    })
    child.stdout.resume()
    const call = async (path: string, init: RequestInit = {}): Promise<Response> =>
      await fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${API_TOKEN}`, ...init.headers as Record<string, string> } })
    const admin = async (path: string, init: RequestInit = {}): Promise<Response> =>
      await fetch(`${url}/__admin${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...init.headers as Record<string, string> } })
    await use({ url, call, admin })
    child.kill('SIGTERM')
  },
  // Every test: the page never asks another origin for anything.
  watched: [async ({ page, mock }, use) => {
    const watched = { requests: [] as string[], errors: [] as string[] }
    page.on('request', (request) => { watched.requests.push(request.url()) })
    page.on('console', (message) => { if (message.type() === 'error') watched.errors.push(message.text()) })
    page.on('pageerror', (error) => { watched.errors.push(error.message) })
    // An alert or prompt would be a script a client smuggled in; the page's own confirm() is the test's to answer.
    page.on('dialog', (dialog) => {
      if (dialog.type() === 'confirm') return
      watched.errors.push(`${dialog.type()}: ${dialog.message()}`)
      dialog.dismiss().catch(() => {})
    })
    await use(watched)
    const origin = new URL(mock.url).origin
    expect(watched.requests.filter((requested) => !requested.startsWith(`${origin}/`) && !requested.startsWith('data:')), 'no request to another origin').toEqual([])
  }, { auto: true }]
})

/** Opens the dashboard and signs in with `token`. */
export async function signIn (page: Page, mock: Mock, token = ADMIN_TOKEN, view = ''): Promise<void> {
  await page.goto(`${mock.url}/__admin/ui${view === '' ? '' : `#${view}`}`)
  await page.getByLabel('Token').fill(token)
  await page.getByRole('button', { name: 'Open the dashboard' }).click()
}

export { expect }
