import { isUtf8 } from 'node:buffer'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import secureJson from 'secure-json-parse'
import { FixtureError } from '../../core/errors.js'

const REPLACEMENT = '\uFFFD'

// Stryker disable next-line ObjectLiteral,StringLiteral: the name shows only in the errors of plugins that depend on this one (none does), the range only in an install with another Fastify
const PLUGIN = { name: 'json-body', fastify: '5.x' }

/**
 * How a JSON body is read, in place of Fastify's own parser, for three things it does not do:
 * - bytes that are not UTF-8 are a 400 naming the field that holds them (Fastify's parser would
 *   turn them into U+FFFD and store that, a value the client never sent);
 * - an empty body is no body, as if no Content-Type had been sent: many clients set
 *   `Content-Type: application/json` on every request, a DELETE or a bodiless POST included;
 * - a parse error says so without quoting the body back (V8's message quotes the text, which may
 *   hold whatever the client put there).
 * `__proto__` and `constructor.prototype` keys are refused, as Fastify's parser does.
 */
export const jsonBody = fp(async (app: FastifyInstance) => {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
    if (body.length === 0) return done(null, undefined)
    const text = body.toString('utf8')
    if (!isUtf8(body)) return done(new FixtureError(400, `${whereNotUtf8(text)} is not valid UTF-8; send the body encoded as UTF-8`))
    try {
      done(null, secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }))
    } catch (error) {
      // V8 goes on with the start of the text after a comma ("..., \"{x\" is not valid JSON").
      done(new FixtureError(400, `the body is not valid JSON: ${(error as Error).message.split(/, (?:\.\.\.)?"/)[0] as string}`))
    }
  })
}, PLUGIN)

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
  for (let index = 0; ; index++) {
    const [item, path] = pending[index] as [unknown, string]
    if (typeof item === 'string' && item.includes(REPLACEMENT)) return path
    if (item === null || typeof item !== 'object') continue
    for (const [key, child] of Object.entries(item)) {
      if (key.includes(REPLACEMENT)) return `a key of ${path}`
      pending.push([child, `${path}/${key}`])
    }
  }
}
