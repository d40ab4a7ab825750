import type { FastifyReply, FastifyRequest } from 'fastify'
import type { DestinationStream, LoggerOptions } from 'pino'
import type { Config } from './config.js'
import { Scrubber } from './secrets.js'

/**
 * pino options for the app. Secrets are kept out twice: nothing logs headers or bodies, and every
 * line is scrubbed of known secrets before it is written, in case a client put one in a URL or a
 * body that ends up in an error message.
 */
export function loggerOptions (config: Config, stream?: DestinationStream): LoggerOptions & { stream?: DestinationStream } {
  const scrubber = new Scrubber(config)
  return {
    level: config.logLevel,
    ...(stream === undefined ? {} : { stream }),
    hooks: { streamWrite: (line: string) => scrubber.scrub(line) }
  }
}

/** The one log line per request: what was asked, how it ended, how long it took. */
export function logRequest (request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  // ecosystem and phone only: any other query value might be something private.
  const query = request.query as { ecosystem?: unknown, phone?: unknown } | undefined
  request.log.info({
    method: request.method,
    path: readablePath(request.url),
    ecosystem: query?.ecosystem,
    phone: query?.phone,
    statusCode: reply.statusCode,
    ms: Math.round(reply.elapsedTime * 100) / 100
  }, 'request')
  done()
}

/** The path without its query string, percent-decoding undone so that the scrubber sees secrets. */
function readablePath (url: string): string {
  const path = url.split('?', 1)[0] as string
  try {
    return decodeURIComponent(path).slice(0, 256)
  } catch {
    return path.slice(0, 256)
  }
}
