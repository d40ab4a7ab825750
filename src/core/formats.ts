import { FormatRegistry } from '@sinclair/typebox'

/** The same rule as Ajv's "uuid" format, which validates ?ecosystem= on GET /lead. */
export const UUID = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i
/** RFC 6750's b64token: anything else could not be sent in an Authorization header. */
export const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/
const URI = /^[a-z][a-z0-9+.-]*:\S+$/i

/**
 * The string formats the fixture's TypeBox schemas use, registered for TypeBox's compiler. Called
 * by the validators before they compile; registering twice is harmless.
 */
export function registerFormats (): void {
  FormatRegistry.Set('uuid', (value) => UUID.test(value))
  FormatRegistry.Set('uri', (value) => URI.test(value) && URL.canParse(value))
}
