import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../../core/config.js'
import { FixtureError } from '../../core/errors.js'
import { errorBody } from '../errors.js'
import { SECURITY_HEADERS } from './security-headers.js'

/** Longer URLs get a 414 before any routing. Node itself answers 431 past 16 KiB of headers. */
const MAX_URL_LENGTH = 8192

const OVER_CAPACITY = Symbol('over capacity')
type CountedSocket = Socket & { [OVER_CAPACITY]?: true }

// Stryker disable next-line ObjectLiteral,StringLiteral: the name shows only in the errors of plugins that depend on this one (none does), the range only in an install with another Fastify
const PLUGIN = { name: 'request-limits', fastify: '5.x' }

/**
 * What a client may hold or send before anything is routed. A URL over 8 KiB gets a 414.
 * MAX_CONNECTIONS: a connection past it gets a 429 naming the setting on its first request, and is
 * closed; if it says nothing, it is closed after REQUEST_TIMEOUT. Past twice the cap Node closes new
 * connections at once, as it cannot answer them all.
 */
export const requestLimits = fp(async (app: FastifyInstance, { maxConnections, requestTimeout }: Pick<Config, 'maxConnections' | 'requestTimeout'>) => {
  app.addHook('onRequest', (request, _reply, done) => {
    done(request.url.length > MAX_URL_LENGTH ? new FixtureError(414, `the URL is longer than ${MAX_URL_LENGTH} characters`) : undefined)
  })
  // CONNECT (a proxy tunnel) never reaches routing: Node hands it to this listener or hangs up.
  app.server.on('connect', (_request, socket: Socket) => {
    app.log.debug({ statusCode: 405 }, 'CONNECT refused')
    answerRaw(socket, 405, 'CONNECT is not supported: this is not a proxy')
  })
  let open = 0
  app.server.maxConnections = maxConnections * 2
  app.server.on('connection', (socket: CountedSocket) => {
    open++
    socket.once('close', () => { open-- })
    if (open <= maxConnections) return
    socket[OVER_CAPACITY] = true
    socket.setTimeout(requestTimeout * 1000, () => socket.destroy())
  })
  app.addHook('onRequest', (request, reply, done) => {
    if ((request.raw.socket as CountedSocket)[OVER_CAPACITY] !== true) return done()
    reply.header('connection', 'close').header('retry-after', '1')
    done(new FixtureError(429, `more than MAX_CONNECTIONS (${maxConnections}) connections are open; close some, or retry later`))
  })
}, PLUGIN)

/**
 * What a client gets for bytes that never became a request (a timeout, headers too large, not
 * HTTP): JSON like every other error. The log line names the problem only: the raw bytes Node
 * attaches to the error hold the request's headers, tokens included.
 */
export function clientErrorHandler ({ requestTimeout }: Pick<Config, 'requestTimeout'>) {
  return function (this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
    // Nothing to answer on a connection that is gone: a reset (ECONNRESET) destroys the socket
    // before Node reports it here.
    if (socket.destroyed) return
    const [status, message] = error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, `the request did not arrive within REQUEST_TIMEOUT (${requestTimeout} s)`]
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Exceeded maximum allowed HTTP header size']
        : [400, `not a valid HTTP request (${error.code ?? 'unknown error'})`]
    this.log.debug({ code: error.code, statusCode: status }, 'client error')
    answerRaw(socket, status, message)
  }
}

/** A JSON error written straight to a socket that never became a request, then the connection closed. */
function answerRaw (socket: Socket, status: number, message: string): void {
  if (socket.writable) {
    const body = JSON.stringify(errorBody(status, message))
    const headers = Object.entries({ ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' })
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] as string}\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n${body}`)
  }
  socket.destroy()
}
