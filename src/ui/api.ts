// The admin API, as the page calls it: the token the user typed, as a Bearer header, on every call.
// The token lives in sessionStorage (gone with the tab), never in a URL or a cookie.

const TOKEN_KEY = 'leancore-mock.token'

export class ApiError extends Error {
  constructor (readonly status: number, message: string) {
    super(message)
  }
}

export const session = {
  get token (): string | null { return sessionStorage.getItem(TOKEN_KEY) },
  set token (value: string | null) {
    if (value === null) sessionStorage.removeItem(TOKEN_KEY)
    else sessionStorage.setItem(TOKEN_KEY, value)
  }
}

/** One call to /__admin; rejects with the server's status and message. */
export async function api<T> (path: string, options: { method?: string, body?: unknown, text?: string, signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${session.token ?? ''}` }
  const body = options.text ?? (options.body === undefined ? undefined : JSON.stringify(options.body))
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`/__admin${path}`, { method: options.method ?? 'GET', headers, body, signal: options.signal })
  const text = await response.text()
  let parsed: unknown = null
  try {
    parsed = text === '' ? null : JSON.parse(text)
  } catch {
    parsed = text
  }
  if (!response.ok) {
    const message = (parsed as { message?: unknown } | null)?.message
    throw new ApiError(response.status, typeof message === 'string' ? message : `${response.status} ${response.statusText}`)
  }
  return parsed as T
}

export interface JournalEntry {
  seq: number
  time: string
  method: string
  path: string
  query: Record<string, string | string[]>
  status: number | null
  durationMs: number
  token: string | null
  client: string | null
  scenario: string | null
  headers: Record<string, string>
  body: string | null
  reason: string | null
  /** Whose journal kept it: a sandbox's id, null for the shared data, undefined when not said */
  sandbox?: string | null
}

/**
 * The live journal: each entry as the server keeps it (GET /__admin/journal/stream, server-sent
 * events read with fetch, since EventSource cannot send a header). Reconnects after a break until
 * `signal` aborts.
 */
export async function watchJournal (onEntry: (entry: JournalEntry) => void, onState: (live: boolean, problem?: string) => void, signal: AbortSignal): Promise<void> {
  let backoff = 2000
  while (!signal.aborted) {
    let problem: string | undefined
    try {
      const response = await fetch('/__admin/journal/stream', { headers: { authorization: `Bearer ${session.token ?? ''}` }, signal })
      if (!response.ok || response.body === null) {
        const body = await response.json().catch(() => ({})) as { message?: string }
        throw new ApiError(response.status, `${response.status}: ${body.message ?? 'the stream was refused'}`)
      }
      onState(true)
      backoff = 2000
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
      let buffer = ''
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        buffer += value
        let end
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const data = block.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n')
          if (block.startsWith('event: request') && data !== '') onEntry(JSON.parse(data) as JournalEntry)
        }
      }
    } catch (error) {
      // A break or a refusal: shown as not live, with why, and tried again below, less and less often.
      problem = error instanceof ApiError ? error.message : undefined
    }
    onState(false, problem)
    if (!signal.aborted) await new Promise((resolve) => setTimeout(resolve, backoff))
    backoff = Math.min(backoff * 2, 30_000)
  }
}
