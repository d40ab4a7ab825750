import type { TSchema } from '@sinclair/typebox'

/** The JSON types, and what a body can be that is no JSON at all. */
type Kind = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object' | 'empty' | 'text'

/**
 * What a JSON value looks like without its values: its kinds, its keys (for objects) and the
 * shape of its elements (for arrays, all elements merged). An open shape takes any contents.
 */
export interface Shape {
  kinds: Set<Kind>
  /** Each key's shape, and whether every object merged here had it */
  keys?: Map<string, { shape: Shape, always: boolean }>
  items?: Shape
  open?: boolean
}

/** The shape of a response body: JSON, an empty body, or text that is not JSON. */
export function bodyShape (body: string): Shape {
  if (body === '') return { kinds: new Set(['empty']) }
  try {
    return shapeOf(JSON.parse(body))
  } catch {
    return { kinds: new Set(['text']) }
  }
}

function shapeOf (value: unknown): Shape {
  if (Array.isArray(value)) {
    const items = value.map(shapeOf).reduce<Shape | undefined>((merged, item) => merged === undefined ? item : merge(merged, item), undefined)
    return items === undefined ? { kinds: new Set(['array']) } : { kinds: new Set(['array']), items }
  }
  if (value !== null && typeof value === 'object') {
    const keys = new Map(Object.entries(value).map(([key, item]) => [key, { shape: shapeOf(item), always: true }]))
    return { kinds: new Set(['object']), keys }
  }
  return { kinds: new Set([value === null ? 'null' : typeof value as Kind]) }
}

/**
 * The shape a TypeBox schema allows: a union's kinds together, an object's properties (all
 * required, as in the lead schema), and open contents where the schema takes anything.
 */
export function schemaShape (schema: TSchema): Shape {
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as TSchema[]).map(schemaShape).reduce(merge)
  const kind = schema.type as Kind
  if (kind === 'object') {
    const properties = Object.entries(schema.properties as Record<string, TSchema>)
    if (schema.additionalProperties !== false) return { kinds: new Set(['object']), open: true }
    return { kinds: new Set(['object']), keys: new Map(properties.map(([key, property]) => [key, { shape: schemaShape(property), always: true }])) }
  }
  // An array of records has their shape; of anything else (history's events), any contents.
  const items = schema.items as TSchema | undefined
  if (kind === 'array') return items?.type === 'object' ? { kinds: new Set(['array']), items: schemaShape(items) } : { kinds: new Set(['array']), open: true }
  // JSON has numbers, whole or not.
  return { kinds: new Set([(kind as string) === 'integer' ? 'number' : kind]) }
}

/** One shape that both fit: kinds joined, keys joined (a key only one of them has is not always there). */
function merge (a: Shape, b: Shape): Shape {
  const merged: Shape = { kinds: new Set([...a.kinds, ...b.kinds]) }
  if (a.keys !== undefined || b.keys !== undefined) {
    const keys = new Map<string, { shape: Shape, always: boolean }>()
    for (const name of new Set([...a.keys?.keys() ?? [], ...b.keys?.keys() ?? []])) {
      const left = a.keys?.get(name)
      const right = b.keys?.get(name)
      if (left !== undefined && right !== undefined) {
        keys.set(name, { shape: merge(left.shape, right.shape), always: left.always && right.always })
      } else {
        keys.set(name, { shape: (left ?? right as { shape: Shape }).shape, always: false })
      }
    }
    merged.keys = keys
  }
  const items = [a.items, b.items].filter((shape): shape is Shape => shape !== undefined)
  if (items.length > 0) merged.items = items.reduce(merge)
  return merged
}

/**
 * Where the target's shape leaves what leancore-mock answers: a kind the mock never answers
 * with, a key only one of them has, recursively. Each line names the path (`body[].quota`).
 */
export function shapeDifferences (target: Shape, mock: Shape, path: string): string[] {
  const unexpected = [...target.kinds].filter((kind) => !mock.kinds.has(kind))
  if (unexpected.length > 0) return [`${path}: target ${describeKinds(target.kinds)}, leancore-mock ${describeKinds(mock.kinds)}`]
  if (mock.open === true) return []
  const differences: string[] = []
  if (target.keys !== undefined && mock.keys !== undefined) {
    for (const [name, expected] of mock.keys) {
      const found = target.keys.get(name)
      if (found === undefined) {
        differences.push(`${member(path, name)}: missing at the target, leancore-mock has it (${describeKinds(expected.shape.kinds)})`)
      } else if (expected.always && !found.always) {
        differences.push(`${member(path, name)}: missing from some at the target, leancore-mock always has it`)
      }
    }
    for (const [name, found] of target.keys) {
      const expected = mock.keys.get(name)
      if (expected === undefined) differences.push(`${member(path, name)}: only at the target (${describeKinds(found.shape.kinds)}), leancore-mock has no such key`)
      else differences.push(...shapeDifferences(found.shape, expected.shape, member(path, name)))
    }
  }
  if (target.items !== undefined && mock.items !== undefined) differences.push(...shapeDifferences(target.items, mock.items, `${path}[]`))
  return differences
}

/**
 * `path.name`, or `path["name"]` for a key that is not a plain word: the target chose it, and its
 * controls (a terminal escape, a newline, a right-to-left override) must reach the report as text,
 * not as what they do.
 */
function member (path: string, name: string): string {
  if (/^[\p{L}\p{N}_$-]+$/u.test(name)) return `${path}.${name}`
  const quoted = JSON.stringify(name).replace(/[\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return `${path}[${quoted}]`
}

const KIND_NAMES: Record<Kind, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  null: 'null',
  array: 'an array',
  object: 'an object',
  empty: 'an empty body',
  text: 'text that is not JSON'
}

function describeKinds (kinds: Set<Kind>): string {
  return [...kinds].map((kind) => KIND_NAMES[kind]).join(' or ')
}
