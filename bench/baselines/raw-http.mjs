// The limit for this payload on this machine: node:http writing bytes that are already serialized.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'

const bodies = new Map([['/100', readFileSync(process.env.BODY_100)], ['/1', readFileSync(process.env.BODY_1)]])
createServer((request, response) => {
  const body = bodies.get(request.url)
  if (body === undefined) return response.writeHead(404).end()
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length })
  response.end(body)
}).listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'))
