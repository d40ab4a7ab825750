import { digest, fingerprint } from '../auth/token-set.js'
import { HttpError } from '../errors.js'
import { normalizeEcosystem } from '../leads/validate.js'
import type { Scenario, ScenarioInput } from './schema.js'

// Headers that describe the HTTP framing; a scenario that set them would break the connection,
// which `drop` already does on purpose.
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade'])

/** What a request offers to be matched on. */
export interface ScenarioRequest {
  path: string
  /** sha256 of the bearer token, hex, when there is one */
  tokenDigest: string | undefined
  ecosystem: unknown
  phone: unknown
}

interface Rule {
  scenario: Scenario
  tokenDigest: string | undefined
}

/**
 * The active scenarios, in the order they were added; the first that matches a request applies.
 * A scenario that names a token applies to that token's requests only, so parallel tests that
 * each use their own token never see each other's failures.
 */
export class ScenarioBook {
  #rules: Rule[] = []
  #counter = 0

  get size (): number {
    return this.#rules.length
  }

  add (input: ScenarioInput): Scenario {
    if (input.drop === true && input.respond !== undefined) {
      throw new HttpError(400, 'a scenario either responds or drops the connection, not both')
    }
    if (input.drop !== true && input.respond === undefined && input.delayMs === undefined) {
      throw new HttpError(400, 'a scenario needs respond, drop or delayMs')
    }
    const framing = Object.keys(input.respond?.headers ?? {}).find((name) => FRAMING_HEADERS.has(name.toLowerCase()))
    if (framing !== undefined) {
      throw new HttpError(400, `a scenario cannot set ${framing}: the server frames the response itself`)
    }
    const { token, ...match } = input.match ?? {}
    const scenario: Scenario = {
      id: `scn_${++this.#counter}`,
      match: {
        ...match,
        ...(match.ecosystem === undefined ? {} : { ecosystem: normalizeEcosystem(match.ecosystem) }),
        ...(token === undefined ? {} : { token: fingerprint(token) })
      },
      ...(input.respond === undefined ? {} : { respond: input.respond }),
      delayMs: input.delayMs ?? 0,
      drop: input.drop ?? false,
      remaining: input.times ?? null,
      hits: 0
    }
    this.#rules.push({ scenario, tokenDigest: token === undefined ? undefined : digest(token).toString('hex') })
    return scenario
  }

  /** The scenario that applies to `request`, counted as used; undefined when none does. */
  take (request: ScenarioRequest): Scenario | undefined {
    const index = this.#rules.findIndex((rule) => matches(rule, request))
    if (index === -1) return undefined
    const { scenario } = this.#rules[index] as Rule
    scenario.hits++
    if (scenario.remaining !== null && --scenario.remaining === 0) this.#rules.splice(index, 1)
    return scenario
  }

  list (token?: string): Scenario[] {
    const wanted = token === undefined ? undefined : digest(token).toString('hex')
    return this.#rules.filter((rule) => wanted === undefined || rule.tokenDigest === wanted).map((rule) => rule.scenario)
  }

  remove (id: string): boolean {
    const before = this.#rules.length
    this.#rules = this.#rules.filter((rule) => rule.scenario.id !== id)
    return this.#rules.length < before
  }

  /** Removes every scenario, or those of one token; returns how many went. */
  clear (token?: string): number {
    const keep = token === undefined ? [] : this.#rules.filter((rule) => rule.tokenDigest !== digest(token).toString('hex'))
    const removed = this.#rules.length - keep.length
    this.#rules = keep
    return removed
  }
}

function matches ({ scenario: { match }, tokenDigest }: Rule, request: ScenarioRequest): boolean {
  return (match.path === undefined || match.path === request.path) &&
    (tokenDigest === undefined || tokenDigest === request.tokenDigest) &&
    (match.ecosystem === undefined || (typeof request.ecosystem === 'string' && normalizeEcosystem(request.ecosystem) === match.ecosystem)) &&
    (match.phone === undefined || match.phone === request.phone)
}
