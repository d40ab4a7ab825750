/**
 * Serialized GET /lead bodies, one per space (the shared data or a sandbox) and ecosystem, each
 * valid for the generation of its space it was built in.
 *
 * Why a cache and not JSON built inside SQLite (json_group_array/json_object): SQLite building the
 * body still costs a query per request, which `npm run bench` shows to be much slower (the README's
 * Performance section has the figures), and its bytes differ from the response serializer's (REAL
 * columns print as 1500000.0), so clients would see a different body. A cache hit costs one
 * `PRAGMA data_version` read and writes a ready Buffer. A write to a space, here, moves that space's
 * generation only; a commit by another process moves them all. Either way the next request reads
 * fresh data, and the other spaces keep their bodies.
 *
 * Bounded by bytes: the least recently used bodies go first, stale ones among them.
 */
export class BodyCache {
  readonly #entries = new Map<string, { body: Buffer, generation: number }>()
  #bytes = 0

  constructor (readonly maxBytes: number) {}

  body (key: string, generation: number, build: () => Buffer): Buffer {
    return this.cached(key, generation) ?? this.keep(key, generation, build())
  }

  /** The body kept for `key`, if it was built in `generation`; a stale one is dropped. */
  cached (key: string, generation: number): Buffer | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    // Map keeps insertion order: moving a hit to the end makes the first entry the oldest.
    this.#entries.delete(key)
    if (entry.generation === generation) {
      this.#entries.set(key, entry)
      return entry.body
    }
    this.#bytes -= costOf(key, entry.body)
    return undefined
  }

  /** Keeps `body` for `key`, built in `generation`, and returns it. */
  keep (key: string, generation: number, body: Buffer): Buffer {
    const old = this.#entries.get(key)
    if (old !== undefined) {
      this.#entries.delete(key)
      this.#bytes -= costOf(key, old.body)
    }
    const cost = costOf(key, body)
    if (cost > this.maxBytes) return body
    for (const [oldKey, old] of this.#entries) {
      if (this.#bytes + cost <= this.maxBytes) break
      this.#entries.delete(oldKey)
      this.#bytes -= costOf(oldKey, old.body)
    }
    this.#entries.set(key, { body, generation })
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
