/** A setting the user can fix. The message starts with the setting's name as the user wrote it. */
export class ConfigError extends Error {
  constructor (readonly setting: string, problem: string) {
    super(`${setting}: ${problem}`)
    this.name = 'ConfigError'
  }
}

/**
 * Something a caller asked of the fixture that it cannot do: bad input, a missing item, a limit
 * reached. `statusCode` says which, in HTTP's terms (400, 404, 409, 413, 429), so that both doors,
 * the admin API and startServer(), report it the same way.
 */
export class FixtureError extends Error {
  constructor (readonly statusCode: number, message: string) {
    super(message)
    this.name = 'FixtureError'
  }
}
