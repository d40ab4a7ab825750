import type { FastifyReply, FastifyRequest } from 'fastify'
import pino from 'pino'
import type { Config } from '../../core/config.js'
import type { Scrubber } from '../../core/tokens/scrubber.js'

// A path is shown this long at most, once secrets are out of it.
const MAX_PATH = 256

/**
 * pino options for the app. Secrets are kept out twice: nothing logs headers, bodies or raw request
 * bytes, and every line is scrubbed of known secrets before it is written, in case a client put
 * one in a URL that ends up in an error message.
 */
/** Where log lines go: anything with a write(line) method */
export interface LogStream {
  write: (line: string) => void
}

// Standard output, written asynchronously: lines that come while a write is under way go out
// together, instead of one system call per request. Whatever is left is written on exit. One for
// every server of the process.
let standardOutput: LogStream | undefined

export function loggerOptions (config: Config, scrubber: Scrubber, stream?: LogStream) {
  return {
    level: config.logLevel,
    // Stryker disable next-line AssignmentOperator,ObjectLiteral,BooleanLiteral: equivalent output, standard output written now or in batches (pino's default stream is standard output too)
    stream: stream ?? (standardOutput ??= pino.destination({ dest: 1, sync: false })),
    hooks: { streamWrite: (line: string) => scrubber.scrub(line) }
  }
}

export type RequestLogger = (request: FastifyRequest, reply: FastifyReply, done: () => void) => void

/** The one log line per request: what was asked, how it ended, how long it took. */
export function requestLogger (scrubber: Scrubber): RequestLogger {
  return (request, reply, done) => {
    // ecosystem and phone only: any other query value might be something private.
    const query = request.query as { ecosystem?: unknown, phone?: unknown } | undefined
    request.log.info({
      method: request.method,
      path: shownPath(request.url, scrubber),
      ecosystem: query?.ecosystem,
      phone: query?.phone,
      statusCode: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 100) / 100
    }, 'request')
    done()
  }
}

/**
 * The path as the log shows it. Every line is scrubbed as it is written; a path that is cut must be
 * scrubbed before, or the cut could leave the start of a secret behind.
 */
function shownPath (url: string, scrubber: Scrubber): string {
  const path = readablePath(url)
  return path.length > MAX_PATH ? scrubber.scrub(path).slice(0, MAX_PATH) : path
}

/** The path without its query string, percent-decoding undone (where it can be) so that it reads as sent. */
function readablePath (url: string): string {
  const path = url.split('?', 1)[0] as string
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}
