import { AjvCompiler } from '@fastify/ajv-compiler'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import type { FastifyServerOptions } from 'fastify'

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>
type Validate = ((data: unknown) => unknown) & { errors?: unknown }
type Serialize = (data: unknown) => string
interface RouteSchema { schema: object }

// Fastify's own compilers (Ajv and fast-json-stringify, with Fastify's options), shared by every app
// this process builds.
const buildAjvValidator = AjvCompiler()
const buildSerializer = SerializerSelector()
const validators = new Map<string, Validate>()
const serializers = new Map<string, Serialize>()
// A schema is known by its JSON, given a short number so that the keys stay short; route schemas
// are module constants, the same objects in every app, so each is turned into JSON once.
const numbers = new Map<string, number>()
const numberOf = (json: string): number => numbers.get(json) ?? remember(numbers, json, numbers.size)
const schemaNumbers = new WeakMap<object, number>()
const keyOf = (schema: object): number => schemaNumbers.get(schema) ?? remember(schemaNumbers, schema, numberOf(JSON.stringify(schema)))

/**
 * Compiling route schemas is most of what building an app costs, and the schemas are the same in
 * every app a process builds. So each schema is compiled once per process, and only when a request
 * first needs it: a test file that starts many servers and calls few routes pays for few
 * compilations, and a CLI that answers GET /lead first compiles that route first. A schema is known
 * by its JSON and the shared schemas it may refer to.
 */
export const compilersFactory = {
  buildValidator: (externalSchemas: Parameters<typeof buildAjvValidator>[0], options: Parameters<typeof buildAjvValidator>[1]) => {
    const scope = numberOf(`${JSON.stringify(externalSchemas)}${JSON.stringify(options)}`)
    let compile: ReturnType<typeof buildAjvValidator> | undefined
    return (route: RouteSchema) => {
      const key = `${scope}:${keyOf(route.schema)}`
      let compiled = validators.get(key)
      const validate: Validate = (data) => {
        compiled ??= validators.get(key) ?? remember(validators, key, (compile ??= buildAjvValidator(externalSchemas, options))(route as never) as Validate)
        const valid = compiled(data)
        validate.errors = compiled.errors
        return valid
      }
      return validate
    }
  },
  buildSerializer: (externalSchemas: Parameters<typeof buildSerializer>[0], options: Parameters<typeof buildSerializer>[1]) => {
    const scope = numberOf(`${JSON.stringify(externalSchemas)}${JSON.stringify(options)}`)
    let compile: ReturnType<typeof buildSerializer> | undefined
    return (route: RouteSchema) => {
      const key = `${scope}:${keyOf(route.schema)}`
      let compiled = serializers.get(key)
      return (data: unknown) => {
        compiled ??= serializers.get(key) ?? remember(serializers, key, (compile ??= buildSerializer(externalSchemas, options))(route as never) as Serialize)
        return compiled(data)
      }
    }
  }
} as unknown as CompilersFactory

function remember<K, T> (cache: { set: (key: K, value: T) => unknown }, key: K, value: T): T {
  cache.set(key, value)
  return value
}
