import { STATUS_CODES } from 'node:http'
import { Type, type Static } from '@sinclair/typebox'

/** Fastify's own error shape; every 4xx and 5xx this server sends has it (OAuth's route aside). */
export const HttpErrorBody = Type.Object({
  statusCode: Type.Integer({ examples: [400] }),
  error: Type.String({ examples: ['Bad Request'] }),
  message: Type.String({ examples: ['querystring/ecosystem must be a UUID, like fd3705e1-3149-4c41-bfe7-cf0bee79cfad'] })
}, { $id: 'HttpError', additionalProperties: false })
export type HttpErrorBody = Static<typeof HttpErrorBody>

export function errorBody (statusCode: number, message: string): HttpErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message }
}
