import type { FastifyPluginAsync } from 'fastify'
import { readFileSync } from 'node:fs'
import { packagePath } from '../../core/package-path.js'

/**
 * The page's own policy: its script and style from this server only, requests to this server only,
 * nothing inline (what a hostile request shows cannot run), and never in a frame.
 */
const DASHBOARD_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/** The files of the build (dist/ui), by the path they are served at, read once */
const ASSETS = [
  { paths: ['/ui', '/ui/'], file: 'index.html', type: 'text/html; charset=utf-8' },
  { paths: ['/ui/app.js'], file: 'app.js', type: 'text/javascript; charset=utf-8' },
  { paths: ['/ui/app.css'], file: 'app.css', type: 'text/css; charset=utf-8' }
]

/**
 * /__admin/ui: the dashboard, a page of static files. They hold no data and open to anyone who can
 * reach the admin API; the page asks for a token and every call it makes goes to an admin route,
 * which checks that token as it would any client's. Exact paths only: nothing under /__admin/ui is
 * looked up on disk.
 */
export const dashboardRoutes: FastifyPluginAsync = async (app) => {
  for (const { paths, file, type } of ASSETS) {
    const content = readFileSync(packagePath('dist', 'ui', file))
    for (const path of paths) {
      app.get(path, { schema: { hide: true } }, async (_request, reply) => reply.type(type).header('content-security-policy', DASHBOARD_CSP).send(content))
    }
  }
}
