/**
 * Serialized GET /lead bodies, one per ecosystem, valid for one repository generation.
 *
 * Why a cache and not JSON built inside SQLite (json_group_array/json_object): SQLite building the
 * body still costs a query per request, which `npm run bench` shows to be much slower (the README's
 * Performance section has the figures), and its bytes differ from the response serializer's (REAL
 * columns print as 1500000.0), so clients would see a different body. A cache
 * hit costs one `PRAGMA data_version` read and writes a ready Buffer. Every write, here or in
 * another process, moves the generation and empties the cache, so the next request reads fresh
 * data.
 *
 * Bounded by bytes: the least recently used bodies go first.
 */
export class BodyCache {
  readonly #bodies = new Map<string, Buffer>()
  #generation = Number.NaN
  #bytes = 0

  constructor (readonly maxBytes: number) {}

  body (key: string, generation: number, build: () => Buffer): Buffer {
    if (generation !== this.#generation) {
      this.#bodies.clear()
      this.#bytes = 0
      this.#generation = generation
    }
    let body = this.#bodies.get(key)
    if (body !== undefined) {
      // Map keeps insertion order: moving a hit to the end makes the first entry the oldest.
      this.#bodies.delete(key)
      this.#bodies.set(key, body)
      return body
    }
    body = build()
    const cost = costOf(key, body)
    if (cost > this.maxBytes) return body
    for (const [oldKey, oldBody] of this.#bodies) {
      if (this.#bytes + cost <= this.maxBytes) break
      this.#bodies.delete(oldKey)
      this.#bytes -= costOf(oldKey, oldBody)
    }
    this.#bodies.set(key, body)
    this.#bytes += cost
    return body
  }
}

// What an entry holds on to beyond its bytes (the key, the Map slot): keeps a flood of empty
// bodies ("[]") for random ecosystems from growing the cache without bound.
const ENTRY_OVERHEAD = 128

function costOf (key: string, body: Buffer): number {
  return body.length + key.length * 2 + ENTRY_OVERHEAD
}
