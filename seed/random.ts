const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

/**
 * A small seeded PRNG (mulberry32): the demo data must come out identical on every machine and
 * every run, which Math.random cannot promise.
 */
export class Random {
  #state: number

  constructor (seed: number) {
    this.#state = seed >>> 0
  }

  /** A float in [0, 1) */
  next (): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0
    let t = this.#state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [min, max] */
  int (min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  pick<T> (items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T
  }

  /** One of `items`, each as likely as its weight */
  weighted<T extends { weight: number }> (items: readonly T[]): T {
    let total = 0
    for (const item of items) total += item.weight
    let point = this.next() * total
    let index = 0
    // The last item takes whatever is left, floating-point crumbs included.
    while (index < items.length - 1 && point >= (items[index] as T).weight) {
      point -= (items[index] as T).weight
      index++
    }
    return items[index] as T
  }

  chance (probability: number): boolean {
    return this.next() < probability
  }

  digits (count: number): string {
    let out = ''
    for (let i = 0; i < count; i++) out += String(this.int(0, 9))
    return out
  }

  /** `count` hex digits, eight from each 32-bit draw */
  hex (count: number): string {
    let out = ''
    while (out.length < count) {
      const word = this.next() * 4294967296 >>> 0
      out += `${HEX_BYTES[word >>> 24] as string}${HEX_BYTES[(word >>> 16) & 255] as string}` +
        `${HEX_BYTES[(word >>> 8) & 255] as string}${HEX_BYTES[word & 255] as string}`
    }
    return out.length === count ? out : out.slice(0, count)
  }

  /** A version-4-shaped UUID */
  uuid (): string {
    const h = this.hex(32)
    const variant = ((parseInt(h[16] as string, 16) & 3) | 8).toString(16)
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`
  }
}
