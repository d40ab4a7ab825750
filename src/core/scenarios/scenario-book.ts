import { errorBody } from '../error-body.js'
import { FixtureError } from '../errors.js'
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../json-depth.js'
import { normalizeEcosystem } from '../leads/validate.js'
import { TokenDigest } from '../tokens/token.js'
import { Validator } from '../validation.js'
import { ScenarioInput, type Scenario } from './schema.js'

const scenarioInput = new Validator(ScenarioInput)

// Headers that describe the HTTP framing; a scenario that set them would break the connection
// (which `drop` already does on purpose), or make Node refuse to send the response at all (a
// Trailer on a response that is not chunked).
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer'])

/** What a request offers to be matched on. */
export interface ScenarioRequest {
  path: string
  /** The request's bearer token, once it passed authentication */
  token: TokenDigest | undefined
  ecosystem: unknown
  phone: unknown
}

/** A scenario as a matching request meets it: its answer's body already serialized. */
export interface ScenarioAction {
  id: string
  delayMs: number
  drop: boolean
  respond: { status: number, headers: Record<string, string>, payload: string, contentType: string } | undefined
}

interface Rule {
  /** The scenario as it is listed, but for its respond.body, kept as `action.respond.payload` */
  scenario: Scenario
  action: ScenarioAction
  /** TokenDigest.hex of the token it applies to; undefined for every token */
  tokenDigest: string | undefined
  /** What it counts against the byte limits: its size as JSON, and SCENARIO_OVERHEAD */
  bytes: number
  /** Whether respond.body was given (or the payload is the error body made in its place) */
  bodyGiven: boolean
}

/**
 * What a kept scenario costs beyond its JSON (its objects, the serialized body's string header, the
 * match), as measured by test/e2e/fair-share.test.ts; exported for that test.
 * @internal
 */
export const SCENARIO_OVERHEAD = 512

/** How many scenarios one space (the shared data, or one sandbox) may hold, and how large they may be, overall and per token. */
export interface ScenarioLimits {
  maxScenarios: number
  maxScenariosPerToken: number
  maxScenarioBytes: number
  maxScenarioBytesPerToken: number
}

/**
 * The active scenarios of one space, in the order they were added; the first that matches a request
 * applies. A scenario that names a token applies to that token's requests only, so parallel tests
 * that each use their own token never see each other's failures. The limits count this space's
 * scenarios only: no space can fill another's room. The body of a scenario's answer is kept
 * serialized, so that what it costs in memory is what it is counted as.
 */
export class ScenarioBook {
  #rules: Rule[] = []
  #counter = 0
  #bytes = 0

  constructor (readonly limits: ScenarioLimits) {}

  get size (): number {
    return this.#rules.length
  }

  /** Validates `candidate` and adds it; throws a FixtureError naming what is wrong, or the limit it would pass. */
  add (candidate: unknown): Scenario {
    // Nesting first: a body nested deep enough overflows the stack of anything recursive.
    if (nestedDeeperThan((candidate as { respond?: { body?: unknown } } | null)?.respond?.body, MAX_JSON_DEPTH)) {
      throw new FixtureError(400, `a scenario's respond.body may nest at most ${MAX_JSON_DEPTH} levels deep`)
    }
    const problem = scenarioInput.problem(candidate)
    if (problem !== undefined) throw new FixtureError(400, `scenario: ${problem}`)
    const input = candidate as ScenarioInput
    if (input.drop === true && input.respond !== undefined) {
      throw new FixtureError(400, 'a scenario either responds or drops the connection, not both')
    }
    if (input.drop !== true && input.respond === undefined && input.delayMs === undefined) {
      throw new FixtureError(400, 'a scenario needs respond, drop or delayMs')
    }
    const framing = Object.keys(input.respond?.headers ?? {}).find((name) => FRAMING_HEADERS.has(name.toLowerCase()))
    if (framing !== undefined) {
      throw new FixtureError(400, `a scenario cannot set ${framing}: the server frames the response itself`)
    }
    const { token, ...match } = input.match ?? {}
    const digest = token === undefined ? undefined : TokenDigest.of(token)
    const tokenDigest = digest?.hex
    const bytes = Buffer.byteLength(JSON.stringify(input)) + SCENARIO_OVERHEAD
    this.#checkRoom(tokenDigest, bytes)
    const id = `scn_${++this.#counter}`
    const { body, ...respond } = input.respond ?? { status: 0 }
    const scenario: Scenario = {
      id,
      match: {
        ...match,
        ...(match.ecosystem === undefined ? {} : { ecosystem: normalizeEcosystem(match.ecosystem) }),
        ...(digest === undefined ? {} : { token: digest.fingerprint })
      },
      ...(input.respond === undefined ? {} : { respond }),
      delayMs: input.delayMs ?? 0,
      drop: input.drop ?? false,
      remaining: input.times ?? null,
      hits: 0
    }
    const action: ScenarioAction = {
      id,
      delayMs: scenario.delayMs,
      drop: scenario.drop,
      respond: input.respond === undefined
        ? undefined
        : {
            status: respond.status,
            headers: respond.headers ?? {},
            // A string is sent as it is; anything else as JSON, and no body at all as an error in Fastify's shape.
            payload: typeof body === 'string' ? body : JSON.stringify(body === undefined ? errorBody(respond.status, `injected by scenario ${id}`) : body),
            contentType: typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8'
          }
    }
    this.#rules.push({ scenario, action, tokenDigest, bytes, bodyGiven: body !== undefined })
    this.#bytes += bytes
    return this.#listed(this.#rules.at(-1) as Rule)
  }

  /** The scenario as it is listed: its body read back from the payload it is kept as. */
  #listed ({ scenario, action, bodyGiven }: Rule): Scenario {
    if (scenario.respond === undefined || !bodyGiven) return scenario
    const { payload, contentType } = action.respond as NonNullable<ScenarioAction['respond']>
    return { ...scenario, respond: { ...scenario.respond, body: contentType.startsWith('text/plain') ? payload : JSON.parse(payload) as unknown } }
  }

  /** Throws a 409 naming the limit a new scenario would pass; nothing stored is touched. */
  #checkRoom (tokenDigest: string | undefined, bytes: number): void {
    const { maxScenarios, maxScenariosPerToken, maxScenarioBytes, maxScenarioBytesPerToken } = this.limits
    const whose = tokenDigest === undefined ? 'scenarios that name no token' : 'this token\'s scenarios'
    if (bytes > maxScenarioBytesPerToken) {
      throw new FixtureError(413, `the scenario takes ${bytes} bytes (its JSON and ${SCENARIO_OVERHEAD} of bookkeeping), over MAX_SCENARIO_BYTES_PER_TOKEN (${maxScenarioBytesPerToken})`)
    }
    const own = this.#rules.filter((rule) => rule.tokenDigest === tokenDigest)
    const full = (limit: string, value: number, what: string): FixtureError =>
      new FixtureError(409, `${what} would pass ${limit} (${value}); remove some first (DELETE /__admin/scenarios)`)
    if (this.#rules.length >= maxScenarios) throw full('MAX_SCENARIOS', maxScenarios, 'one more scenario in this space')
    if (own.length >= maxScenariosPerToken) throw full('MAX_SCENARIOS_PER_TOKEN', maxScenariosPerToken, `one more of ${whose}`)
    if (this.#bytes + bytes > maxScenarioBytes) throw full('MAX_SCENARIO_BYTES', maxScenarioBytes, 'the total size of this space\'s scenarios')
    if (own.reduce((sum, rule) => sum + rule.bytes, 0) + bytes > maxScenarioBytesPerToken) {
      throw full('MAX_SCENARIO_BYTES_PER_TOKEN', maxScenarioBytesPerToken, `the total size of ${whose}`)
    }
  }

  /** What its scenarios cost, in bytes (as they count against MAX_SCENARIO_BYTES) */
  get bytes (): number {
    return this.#bytes
  }

  /** The scenario that applies to `request`, counted as used; undefined when none does. */
  take (request: ScenarioRequest): ScenarioAction | undefined {
    const index = this.#rules.findIndex((rule) => matches(rule, request))
    if (index === -1) return undefined
    const rule = this.#rules[index] as Rule
    const { scenario } = rule
    scenario.hits++
    if (scenario.remaining !== null && --scenario.remaining === 0) {
      this.#rules.splice(index, 1)
      this.#bytes -= rule.bytes
    }
    return rule.action
  }

  list (token?: string): Scenario[] {
    const wanted = token === undefined ? undefined : TokenDigest.of(token).hex
    return this.#rules.filter((rule) => wanted === undefined || rule.tokenDigest === wanted).map((rule) => this.#listed(rule))
  }

  remove (id: string): boolean {
    return this.#keep((rule) => rule.scenario.id !== id) === 1
  }

  /** Removes every scenario, or those of one token; returns how many went. */
  clear (token?: string): number {
    const wanted = token === undefined ? undefined : TokenDigest.of(token).hex
    return this.#keep((rule) => wanted !== undefined && rule.tokenDigest !== wanted)
  }

  /** Keeps the rules `keep` accepts; returns how many went. */
  #keep (keep: (rule: Rule) => boolean): number {
    const gone = this.#rules.filter((rule) => !keep(rule))
    this.#rules = this.#rules.filter(keep)
    this.#bytes -= gone.reduce((sum, rule) => sum + rule.bytes, 0)
    return gone.length
  }
}

function matches ({ scenario: { match }, tokenDigest }: Rule, request: ScenarioRequest): boolean {
  return (match.path === undefined || match.path === request.path) &&
    (tokenDigest === undefined || tokenDigest === request.token?.hex) &&
    (match.ecosystem === undefined || (typeof request.ecosystem === 'string' && normalizeEcosystem(request.ecosystem) === match.ecosystem)) &&
    (match.phone === undefined || match.phone === request.phone)
}
