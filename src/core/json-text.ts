import { isUtf8 } from 'node:buffer'
import secureJson from 'secure-json-parse'
import { FixtureError } from './errors.js'

const REPLACEMENT = '\uFFFD'

/**
 * A JSON body as the server reads every one: bytes that are not UTF-8 are a 400 naming the field
 * that holds them (decoding would turn them into U+FFFD, a value the client never sent); a parse
 * error says so without quoting the body back (V8's message quotes the text, which may hold
 * whatever the client put there); `__proto__` and `constructor.prototype` keys are refused.
 */
export function parseJson (body: Buffer): unknown {
  const text = body.toString('utf8')
  if (!isUtf8(body)) throw new FixtureError(400, `${whereNotUtf8(text)} is not valid UTF-8; send the body encoded as UTF-8`)
  try {
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' })
  } catch (error) {
    // V8 goes on with the start of the text after a comma ("..., \"{x\" is not valid JSON").
    throw new FixtureError(400, `the body is not valid JSON: ${(error as Error).message.split(/, (?:\.\.\.)?"/)[0] as string}`)
  }
}

/**
 * Which part of the body held the bytes that are not UTF-8: the first string (a key or a value)
 * that decoding had to replace, as `body/field/0`, or the whole body when it is no JSON then.
 */
function whereNotUtf8 (text: string): string {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return 'the body'
  }
  // Decoding put a U+FFFD where the bytes were. Outside a string, JSON.parse would have refused it:
  // so some key or string value holds one, and the search ends there.
  const pending: Array<[unknown, string]> = [[value, 'body']]
  let found: string | undefined
  for (let index = 0; found === undefined; index++) {
    const [item, path] = pending[index] as [unknown, string]
    if (typeof item === 'string' && item.includes(REPLACEMENT)) found = path
    if (item === null || typeof item !== 'object') continue
    for (const [key, child] of Object.entries(item)) {
      if (key.includes(REPLACEMENT)) found ??= `a key of ${path}`
      pending.push([child, `${path}/${key}`])
    }
  }
  return found
}
