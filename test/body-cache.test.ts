// The cache is observed as its callers see it: a miss calls build(), a hit does not.
import t from 'tap'
import { BodyCache } from '../src/http/routes/body-cache.js'

const body = (size: number): Buffer => Buffer.alloc(size, 'x')

/** Calls body() and says whether it had to build. */
function built (cache: BodyCache, key: string, generation: number, size = 1000): boolean {
  let called = false
  cache.body(key, generation, () => { called = true; return body(size) })
  return called
}

t.test('a body is built once per key and generation', async (t) => {
  const cache = new BodyCache(1 << 20)
  let builds = 0
  const build = (): Buffer => { builds++; return body(10) }
  const first = cache.body('a', 1, build)
  t.equal(cache.body('a', 1, build), first, 'the same bytes, served again')
  t.equal(builds, 1)
  cache.body('a', 2, build)
  t.equal(builds, 2, 'a new generation rebuilds')
  t.equal(built(cache, 'b', 2), true)
  t.equal(built(cache, 'b', 1), true, 'and an old generation is not served again either')
})

t.test('past its byte budget the least recently used bodies go first', async (t) => {
  // Each entry costs its bytes plus a fixed overhead: 1000 + 2 (one key character) + 128 here.
  const cache = new BodyCache(3 * 1130)
  for (const key of ['a', 'b', 'c']) t.equal(built(cache, key, 1), true, `${key} is built`)
  for (const key of ['a', 'b', 'c']) t.equal(built(cache, key, 1), false, `three fit: ${key} is cached`)
  t.equal(built(cache, 'a', 1), false, 'a is used again')
  t.equal(built(cache, 'd', 1), true, 'a fourth comes in')
  t.equal(built(cache, 'b', 1), true, 'b, the least recently used, was evicted')
  t.equal(built(cache, 'a', 1), false, 'a, used recently, stayed')
})

t.test('an entry that costs exactly the budget is kept; one byte more is not', async (t) => {
  const exact = new BodyCache(1130)
  built(exact, 'a', 1)
  t.equal(built(exact, 'a', 1), false, 'kept at exactly the budget')
  const short = new BodyCache(1129)
  built(short, 'a', 1)
  t.equal(built(short, 'a', 1), true, 'served but not kept one byte over')
  const keyed = new BodyCache(1130)
  built(keyed, 'ab', 1)
  t.equal(built(keyed, 'ab', 1), true, 'the key counts too: two characters cost two bytes more')
})

t.test('a body larger than the budget is served but not kept, and keeps nothing out', async (t) => {
  const cache = new BodyCache(2000)
  built(cache, 'small', 1)
  let served = 0
  cache.body('big', 1, () => { const big = body(5000); served = big.length; return big })
  t.equal(served, 5000)
  t.equal(built(cache, 'big', 1, 5000), true, 'rebuilt next time')
  t.equal(built(cache, 'small', 1), false, 'and what was cached stays')
})

t.test('a stale body gives its bytes back when it is rebuilt: rebuilding does not push out the others', async (t) => {
  // Room for exactly two entries of 1130 (1000 bytes, one key character, the overhead).
  const cache = new BodyCache(2 * 1130)
  t.equal(built(cache, 'a', 1), true)
  t.equal(built(cache, 'b', 1), true)
  for (let generation = 2; generation < 6; generation++) {
    t.equal(built(cache, 'a', generation), true, `a, stale, is rebuilt for generation ${generation}`)
  }
  t.equal(built(cache, 'b', 1), false, 'and b is still served from the cache')
  t.equal(built(cache, 'a', 5), false, 'as is the newest a')
})

t.test('keeping a body twice for one key counts it once: two reads that missed at the same time', async (t) => {
  const cache = new BodyCache(1000)
  cache.keep('k', 1, Buffer.alloc(300))
  cache.keep('k', 2, Buffer.alloc(300))
  cache.keep('other', 2, Buffer.alloc(300))
  t.equal(cache.cached('k', 2)?.length, 300, 'the second is the one kept')
  t.equal(cache.cached('other', 2)?.length, 300, 'and both fit, as 600 bytes and their overhead do in 1,000')
  t.equal(cache.cached('k', 1), undefined, 'a stale generation is no hit')
})
