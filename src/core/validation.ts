import type { TSchema } from '@sinclair/typebox'
import { TypeCompiler, ValueErrorType, type TypeCheck, type ValueError } from '@sinclair/typebox/compiler'
import { registerFormats } from './formats.js'

/**
 * A TypeBox schema compiled on first use (a server that is never sent fixture data does not pay
 * for it at start-up), with messages that name the field: `field respond.status: expected …`.
 */
export class Validator<T extends TSchema> {
  #check: TypeCheck<T> | undefined

  constructor (readonly schema: T) {}

  /** What is wrong with `value`, as "field a.b: problem" or "problem"; undefined when it is valid. */
  problem (value: unknown): string | undefined {
    this.#check ??= compile(this.schema)
    // The compiled check is fast; walking the errors is not, and is only needed for a message.
    if (this.#check.Check(value)) return undefined
    // A value the check refused has an error to name.
    return describe(this.#check.Errors(value).First() as ValueError)
  }
}

function compile<T extends TSchema> (schema: T): TypeCheck<T> {
  registerFormats()
  return TypeCompiler.Compile(schema)
}

function describe (error: ValueError): string {
  const problem = error.type === ValueErrorType.Union ? `expected ${describeUnion(error.schema)}` : error.message.toLowerCase()
  return error.path === '' ? problem : `field ${error.path.slice(1).replaceAll('/', '.')}: ${problem}`
}

/** "expected union value" says nothing; say "expected a uri string or null", "expected "/lead" or "/oauth2/token"". */
function describeUnion (schema: TSchema): string {
  return (schema.anyOf as TSchema[]).map((member) => {
    if (member.const !== undefined) return JSON.stringify(member.const)
    if (member.type === 'null') return 'null'
    const kind = `${typeof member.format === 'string' ? `${member.format as string} ` : ''}${member.type as string}`
    return `${/^[aeio]/.test(kind) ? 'an' : 'a'} ${kind}`
  }).join(' or ')
}
