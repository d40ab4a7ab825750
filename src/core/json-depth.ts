/**
 * How deep a JSON value a client may store (a lead's history, payment_data and additional_data, a
 * scenario's body). SQLite refuses JSON past 1,000 levels and JSON.stringify overflows the stack
 * long before a 32 MiB body runs out, so the limit is checked first, with a clear error.
 */
export const MAX_JSON_DEPTH = 64

/** Whether `value` nests arrays and objects more than `limit` levels deep. Iterative: any depth is safe to ask about. */
export function nestedDeeperThan (value: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, depth] = next
    if (item === null || typeof item !== 'object') continue
    if (depth > limit) return true
    for (const child of Array.isArray(item) ? item : Object.values(item)) pending.push([child, depth + 1])
  }
  return false
}
