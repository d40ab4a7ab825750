import t from 'tap'
import { build } from './helper.js'

t.test('GET /health answers ok without a token', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'GET', url: '/health' })
  t.equal(response.statusCode, 200)
  t.same(response.json(), { status: 'ok' })
})
