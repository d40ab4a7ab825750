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

  hex (count: number): string {
    let out = ''
    for (let i = 0; i < count; i++) out += this.int(0, 15).toString(16)
    return out
  }

  /** A version-4-shaped UUID */
  uuid (): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${this.pick(['8', '9', 'a', 'b'])}${this.hex(3)}-${this.hex(12)}`
  }
}
