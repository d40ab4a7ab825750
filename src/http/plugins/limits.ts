import { STATUS_CODES } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../../core/config.js'
import { FixtureError } from '../../core/errors.js'
import { errorBody } from '../errors.js'
import { SECURITY_HEADERS } from './security-headers.js'

const JSON_UTF8 = 'application/json; charset=utf-8'

/** Longer URLs get a 414 before any routing. Node itself answers 431 past 16 KiB of headers. */
const MAX_URL_LENGTH = 8192

const OVER_CAPACITY = Symbol('over capacity')
const IDLE_SINCE = Symbol('idle since')
const IN_FLIGHT = Symbol('requests in flight')
type CountedSocket = Socket & { [OVER_CAPACITY]?: true, [IDLE_SINCE]?: number, [IN_FLIGHT]?: number }

// Stryker disable next-line ObjectLiteral,StringLiteral: the name shows only in the errors of plugins that depend on this one (none does), the range only in an install with another Fastify
const PLUGIN = { name: 'request-limits', fastify: '5.x' }

/**
 * What a client may hold or send before anything is routed. A URL over 8 KiB gets a 414.
 *
 * Connections: one that holds no request in progress is idle, from the moment it opens (or its last
 * answer went out) until a whole request head has arrived. An idle connection is closed after
 * IDLE_TIMEOUT, so a crowd of silent sockets cannot hold the server. At MAX_CONNECTIONS a new
 * connection closes the oldest idle one; only when none is idle does it get a 429 naming the setting
 * on its first request (and is closed after REQUEST_TIMEOUT if it says nothing). Past twice the cap
 * Node closes new connections at once, as it cannot answer them all.
 */
export const requestLimits = fp(async (app: FastifyInstance, { maxConnections, requestTimeout, idleTimeout }: Pick<Config, 'maxConnections' | 'requestTimeout' | 'idleTimeout'>) => {
  app.addHook('onRequest', (request, _reply, done) => {
    done(request.url.length > MAX_URL_LENGTH ? new FixtureError(414, `the URL is longer than ${MAX_URL_LENGTH} characters`) : undefined)
  })
  // CONNECT (a proxy tunnel) never reaches routing: Node hands it to this listener or hangs up.
  app.server.on('connect', (_request, socket: Socket) => {
    app.log.debug({ statusCode: 405 }, 'CONNECT refused')
    answerRaw(socket, 405, 'CONNECT is not supported: this is not a proxy')
  })
  // An Expect other than 100-continue: Node would answer a bare 417 itself, with no body and none
  // of the headers every other answer has.
  app.server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
    app.log.debug({ statusCode: 417 }, 'Expect refused')
    const body = JSON.stringify(errorBody(417, 'the Expect header asks for what this server does not do; send Expect: 100-continue, or none'))
    response.writeHead(417, { ...SECURITY_HEADERS, 'content-type': JSON_UTF8, 'content-length': Buffer.byteLength(body), connection: 'close' }).end(body)
    request.resume()
  })
  // HTTP/1.1 asks for a Host header. Node checks it itself (requireHostHeader) with an empty 400;
  // the app does it instead (app.ts turns Node's check off), with the JSON error of every answer.
  app.addHook('onRequest', (request, _reply, done) => {
    done(request.headers.host === undefined && request.raw.httpVersion === '1.1' ? new FixtureError(400, 'missing Host header; HTTP/1.1 asks for one') : undefined)
  })
  let open = 0
  // Oldest first: a socket that becomes idle again moves to the end.
  const idle = new Set<CountedSocket>()
  // A socket closed meanwhile may come back here after its 'close': the sweep drops it.
  const becomeIdle = (socket: CountedSocket): void => {
    idle.delete(socket)
    socket[IDLE_SINCE] = Date.now()
    idle.add(socket)
  }
  app.server.maxConnections = maxConnections * 2
  app.server.on('connection', (socket: CountedSocket) => {
    open++
    socket.once('close', () => {
      open--
      idle.delete(socket)
    })
    if (open > maxConnections) {
      const [oldest] = idle
      if (oldest !== undefined) {
        oldest.destroy()
      } else {
        socket[OVER_CAPACITY] = true
        socket.setTimeout(requestTimeout * 1000, () => socket.destroy())
      }
    }
    becomeIdle(socket)
  })
  // Counted, not flagged: a pipelined request is read (and under way) before the answer to the one
  // before it goes out, and that answer must not make its connection idle.
  app.server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket as CountedSocket
    socket[IN_FLIGHT] = (socket[IN_FLIGHT] ?? 0) + 1
    idle.delete(socket)
    response.once('finish', () => {
      socket[IN_FLIGHT] = (socket[IN_FLIGHT] as number) - 1
      if (socket[IN_FLIGHT] === 0) becomeIdle(socket)
    })
  })
  const idleMs = idleTimeout * 1000
  const sweep = setInterval(() => {
    const now = Date.now()
    for (const socket of idle) {
      if (now - (socket[IDLE_SINCE] as number) < idleMs) break
      idle.delete(socket)
      socket.destroy()
    }
  }, Math.min(1000, idleMs / 2))
  sweep.unref()
  app.addHook('onClose', async () => clearInterval(sweep))
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
    const headers = Object.entries({ ...SECURITY_HEADERS, 'content-type': JSON_UTF8, 'content-length': Buffer.byteLength(body), connection: 'close' })
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] as string}\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n${body}`)
  }
  socket.destroy()
}
