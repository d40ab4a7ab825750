import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify'
import { FixtureError } from '../core/errors.js'
import { StoredLeadError } from '../core/leads/repository.js'
import { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE, PHONE_PATTERN } from '../core/leads/schema.js'

import { errorBody, HttpErrorBody } from '../core/error-body.js'

export { errorBody, HttpErrorBody }

/**
 * One place that turns an error into a response. A 4xx keeps its message (the client can act on
 * it); a 5xx is logged with its context and answered without internals, except where the fixture
 * wrote the message for the client (a database that cannot answer /health) and for a stored lead
 * that is broken, which an operator must hear about by id.
 */
export function errorHandler (this: FastifyInstance, error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const code = error.statusCode ?? 500
  const status = code >= 400 && code < 600 ? code : 500
  if (status < 500) {
    request.log.debug({ statusCode: status, code: error.code }, error.message)
    reply.code(status).send(errorBody(status, error.message))
    return
  }
  if (error instanceof FixtureError) {
    request.log.warn({ statusCode: status }, error.message)
    reply.code(status).send(errorBody(status, error.message))
    return
  }
  if (error instanceof StoredLeadError) {
    request.log.error({ leadId: error.leadId, column: error.column }, error.message)
    reply.code(500).send(errorBody(500, error.message))
    return
  }
  request.log.error({ err: error }, 'request failed')
  reply.code(status).send(errorBody(status, 'Internal Server Error; the server log has the details'))
}

export async function notFoundHandler (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  return await reply.code(404).send(errorBody(404, `Route ${request.method}:${request.url} not found`))
}

const UUID_HINT = `a UUID, like ${EXAMPLE_ECOSYSTEM}`
const PHONE_HINT = `7 to 15 digits, country code first, like ${EXAMPLE_PHONE}`

/** Validation messages that name the parameter and show what a good value looks like. */
export function schemaErrorFormatter (errors: FastifySchemaValidationError[], dataVar: string): Error {
  const [first] = errors as [FastifySchemaValidationError]
  const where = `${dataVar}${first.instancePath}`
  // Only a format error names a format, and only a pattern error a pattern.
  if (first.params.format === 'uuid') return new Error(`${where} must be ${UUID_HINT}`)
  if (first.params.pattern === PHONE_PATTERN) return new Error(`${where} must be ${PHONE_HINT}`)
  if (first.keyword === 'additionalProperties') return new Error(`${where}/${first.params.additionalProperty as string} is not a parameter of this route`)
  // A choice (a union of constants) fails once for each constant: name them all, not "equal to constant".
  if (first.keyword === 'const') {
    const allowed = errors.filter((error) => error.keyword === 'const' && error.instancePath === first.instancePath).map((error) => String(error.params.allowedValue))
    return new Error(`${where} must be one of ${allowed.join(', ')}`)
  }
  return new Error(`${where} ${first.message as string}`)
}
