import t from 'tap'
import { BodyCache } from '../src/leads/body-cache.js'

const body = (size: number): Buffer => Buffer.alloc(size, 'x')

t.test('a body is built once per key and generation', async (t) => {
  const cache = new BodyCache(1 << 20)
  let builds = 0
  const build = (): Buffer => { builds++; return body(10) }
  const first = cache.body('a', 1, build)
  t.equal(cache.body('a', 1, build), first)
  t.equal(builds, 1)
  cache.body('a', 2, build)
  t.equal(builds, 2, 'a new generation rebuilds')
  t.equal(cache.size, 1, 'and drops what the old generation held')
})

t.test('past its byte budget the least recently used bodies go first', async (t) => {
  // Each entry costs its bytes plus a fixed overhead: 1000 + 2 + 128 here.
  const cache = new BodyCache(3 * 1130)
  cache.body('a', 1, () => body(1000))
  cache.body('b', 1, () => body(1000))
  cache.body('c', 1, () => body(1000))
  t.equal(cache.size, 3)
  cache.body('a', 1, () => t.fail('a is cached') as never)
  cache.body('d', 1, () => body(1000))
  t.equal(cache.size, 3)
  t.ok(cache.bytes <= cache.maxBytes)
  let rebuilt = false
  cache.body('b', 1, () => { rebuilt = true; return body(1000) })
  t.ok(rebuilt, 'b, the least recently used, was evicted')
  cache.body('a', 1, () => t.fail('a, used recently, stayed') as never)
})

t.test('a body larger than the budget is served but not kept', async (t) => {
  const cache = new BodyCache(100)
  t.equal(cache.body('big', 1, () => body(1000)).length, 1000)
  t.equal(cache.size, 0)
  t.equal(cache.bytes, 0)
})
