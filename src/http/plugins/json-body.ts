import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { FixtureError } from '../../core/errors.js'
import { parseJson } from '../../core/json-text.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes its JSON body unparsed, as a Buffer: it hands large bodies to the fixture's bulk worker */
    rawJson?: true
  }
}

// Stryker disable next-line ObjectLiteral,StringLiteral: the name shows only in the errors of plugins that depend on this one (none does), the range only in an install with another Fastify
const PLUGIN = { name: 'json-body', fastify: '5.x' }

/**
 * How a JSON body is read, in place of Fastify's own parser (parseJson says what it adds). An empty
 * body is no body, as if no Content-Type had been sent: many clients set `Content-Type:
 * application/json` on every request, a DELETE or a bodiless POST included. A route whose config
 * says `rawJson` gets the bytes as they came, to be parsed off the event loop. A route without a body
 * schema takes no body.
 */
export const jsonBody = fp(async (app: FastifyInstance) => {
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    if (body.length === 0) return done(null, undefined)
    request.bodyText = journalText(body.subarray(0, BODY_KEPT * 4).toString('utf8'))
    if (request.routeOptions.config.rawJson === true) return done(null, body)
    try {
      done(null, parseJson(body))
    } catch (error) {
      done(error as Error)
    }
  })
  // A route that takes no body (a DELETE, POST /__admin/reset) refuses one, rather than ignore what
  // the client meant to send; no body at all is fine, whatever the Content-Type says.
  app.addHook('onRoute', (route) => {
    if (route.schema?.body !== undefined) return
    // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: equivalent, Fastify parses no body for a GET or a HEAD; leaving them out only spares them the hook
    if (route.method === 'GET' || route.method === 'HEAD') return
    const refuse = async (request: { body: unknown, method: string }): Promise<void> => {
      if (request.body !== undefined) throw new FixtureError(400, `${request.method} ${route.url} takes no body; send none (a Content-Type alone is fine)`)
    }
    route.preValidation = [...[route.preValidation ?? []].flat(), refuse]
  })
}, PLUGIN)

/**
 * What of a body the journal may keep: its start, long enough that a secret written there at the
 * journal's cut (2,048 characters) is still whole when the journal scrubs it.
 */
export function journalText (text: string): string {
  // Stryker disable next-line ConditionalExpression,EqualityOperator,MethodExpression: equivalent to what anyone sees, the journal cuts at 2,048 after scrubbing; this only bounds what is held until then
  return text.length > BODY_KEPT ? text.slice(0, BODY_KEPT) : text
}

const BODY_KEPT = 4096
