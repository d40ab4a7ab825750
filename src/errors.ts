import { STATUS_CODES } from 'node:http'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { StoredLeadError } from './leads/repository.js'

/** Fastify's own error shape; every 4xx and 5xx this server sends has it. */
export const HttpErrorBody = Type.Object({
  statusCode: Type.Integer({ examples: [400] }),
  error: Type.String({ examples: ['Bad Request'] }),
  message: Type.String({ examples: ['querystring/ecosystem must be a UUID, like fd3705e1-3149-4c41-bfe7-cf0bee79cfad'] })
}, { $id: 'HttpError', additionalProperties: false })
export type HttpErrorBody = Static<typeof HttpErrorBody>

export class HttpError extends Error {
  constructor (readonly statusCode: number, message: string) {
    super(message)
    this.name = 'HttpError'
  }
}

export function errorBody (statusCode: number, message: string): HttpErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message }
}

/**
 * One place that turns an error into a response. A 4xx keeps its message (the client can act on
 * it); a 5xx is logged with its context and answered without internals, except for a stored lead
 * that is broken, which an operator must hear about by id.
 */
export function errorHandler (this: FastifyInstance, error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500
  if (status < 500) {
    request.log.debug({ statusCode: status, code: error.code }, error.message)
    void reply.code(status).send(errorBody(status, error.message))
    return
  }
  if (error instanceof StoredLeadError) {
    request.log.error({ leadId: error.leadId, column: error.column }, error.message)
    void reply.code(500).send(errorBody(500, error.message))
    return
  }
  request.log.error({ err: error }, 'request failed')
  void reply.code(status).send(errorBody(status, 'Internal Server Error; the server log has the details'))
}
