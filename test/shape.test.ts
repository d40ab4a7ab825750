// The shape of a body, as the conformance kit sees it: kinds, keys and elements, never values;
// and the sentences that say where the target's shape leaves leancore-mock's.
import { Type } from '@sinclair/typebox'
import t from 'tap'
import { Lead } from '../src/core/leads/schema.js'
import { bodyShape, schemaShape, shapeDifferences } from '../src/conformance/shape.js'

const kinds = (...names: string[]): { kinds: Set<string> } => ({ kinds: new Set(names) })
const always = (shape: object): { shape: object, always: boolean } => ({ shape, always: true })
const sometimes = (shape: object): { shape: object, always: boolean } => ({ shape, always: false })

/** Where the target's body parts from the mock's, both as the text a server sends. */
const between = (target: string, mock: string): string[] => shapeDifferences(bodyShape(target), bodyShape(mock), 'body')

t.test('an empty body, text that is not JSON, and each JSON value have the kind they look like', async (t) => {
  t.strictSame(bodyShape(''), kinds('empty'))
  t.strictSame(bodyShape(' '), kinds('text'), 'blanks are no empty body, and no JSON')
  t.strictSame(bodyShape('<html><body>Bad Request</body></html>'), kinds('text'))
  t.strictSame(bodyShape('{"statusCode":'), kinds('text'), 'JSON cut short is text')
  t.strictSame(bodyShape('"Not Found"'), kinds('string'))
  t.strictSame(bodyShape('0'), kinds('number'))
  t.strictSame(bodyShape('false'), kinds('boolean'))
  t.strictSame(bodyShape('null'), kinds('null'))
  t.strictSame(bodyShape('[]'), kinds('array'), 'an empty array has no element shape')
  t.strictSame(bodyShape('{}'), { kinds: new Set(['object']), keys: new Map() })
})

t.test('an object has each of its keys always, with the shape of its value', async (t) => {
  t.strictSame(bodyShape('{"name":"Rosa","quota":5000,"image":null,"history":["called"],"payment_data":{"bank":"x"}}'), {
    kinds: new Set(['object']),
    keys: new Map([
      ['name', always(kinds('string'))],
      ['quota', always(kinds('number'))],
      ['image', always(kinds('null'))],
      ['history', always({ kinds: new Set(['array']), items: kinds('string') })],
      ['payment_data', always({ kinds: new Set(['object']), keys: new Map([['bank', always(kinds('string'))]]) })]
    ])
  })
})

t.test('the elements of an array merge into one shape with all their kinds', async (t) => {
  t.strictSame(bodyShape('[1,"a",null,2]'), { kinds: new Set(['array']), items: kinds('number', 'string', 'null') })
  t.strictSame(bodyShape('[[1],[],["a"]]'), { kinds: new Set(['array']), items: { kinds: new Set(['array']), items: kinds('number', 'string') } },
    'arrays in an array merge their elements too, and an empty one adds none')
  t.strictSame(bodyShape('[[],[]]'), { kinds: new Set(['array']), items: kinds('array') })
})

t.test('in merged objects, a key is always there only if every object has it', async (t) => {
  t.strictSame(bodyShape('[{"a":1,"b":"x"},{"a":"y","c":true}]'), {
    kinds: new Set(['array']),
    items: {
      kinds: new Set(['object']),
      keys: new Map([['a', always(kinds('number', 'string'))], ['b', sometimes(kinds('string'))], ['c', sometimes(kinds('boolean'))]])
    }
  })
  t.strictSame(bodyShape('[{"a":1},{},{"a":2}]'), { kinds: new Set(['array']), items: { kinds: new Set(['object']), keys: new Map([['a', sometimes(kinds('number'))]]) } },
    'one object without the key among others that have it')
  t.strictSame(bodyShape('[{"a":1},null]'), { kinds: new Set(['array']), items: { kinds: new Set(['object', 'null']), keys: new Map([['a', sometimes(kinds('number'))]]) } },
    'null among objects: their keys are not always there')
  t.strictSame(bodyShape('[{"a":{"b":1}},{"a":{"c":[true]}}]'), {
    kinds: new Set(['array']),
    items: {
      kinds: new Set(['object']),
      keys: new Map([['a', always({
        kinds: new Set(['object']),
        keys: new Map([['b', sometimes(kinds('number'))], ['c', sometimes({ kinds: new Set(['array']), items: kinds('boolean') })]])
      })]])
    }
  }, 'nested objects merge key by key')
})

t.test('the lead schema\'s shape: every field always there, unions as kinds, JSON columns open', async (t) => {
  const text = always(kinds('string'))
  t.strictSame(schemaShape(Lead), {
    kinds: new Set(['object']),
    keys: new Map([
      ['id', text], ['name', text], ['lastname', text], ['business_name', text], ['status', text], ['phone', text],
      ['email', text], ['nit', text], ['address', text], ['ecosystem', text], ['business_entity', text],
      ['quota', always(kinds('number'))],
      ['image', always(kinds('string', 'null'))],
      ['score', always(kinds('number', 'null'))],
      ['apn_token', always(kinds('string', 'null'))],
      ['history', always({ kinds: new Set(['array']), open: true })],
      ['payment_data', always({ kinds: new Set(['object']), open: true })],
      ['additional_data', always({ kinds: new Set(['object']), open: true })]
    ])
  })
})

t.test('a schema\'s object is open unless it refuses additional properties', async (t) => {
  t.strictSame(schemaShape(Type.Object({ a: Type.String() })), { kinds: new Set(['object']), open: true })
  t.strictSame(schemaShape(Type.Object({ a: Type.String() }, { additionalProperties: true })), { kinds: new Set(['object']), open: true })
  t.strictSame(schemaShape(Type.Object({ a: Type.Boolean() }, { additionalProperties: false })), { kinds: new Set(['object']), keys: new Map([['a', always(kinds('boolean'))]]) })
  t.strictSame(schemaShape(Type.Array(Type.Unknown())), { kinds: new Set(['array']), open: true })
  t.strictSame(schemaShape(Type.Union([Type.String(), Type.Number(), Type.Null()])), kinds('string', 'number', 'null'))
  t.strictSame(schemaShape(Type.Union([Type.Object({ a: Type.Null() }, { additionalProperties: false }), Type.Null()])),
    { kinds: new Set(['object', 'null']), keys: new Map([['a', sometimes(kinds('null'))]]) }, 'a nullable object: its keys are there only when it is')
})

t.test('the same shape, whatever the values, is no difference', async (t) => {
  t.same(between('', ''), [])
  t.same(between('oops', '<html></html>'), [], 'text is text')
  t.same(between('{"name":"Rosa","quota":1,"tags":["a"]}', '{"name":"Ana","quota":2.5,"tags":["b","c"]}'), [])
  t.same(between('[{"a":1},{"a":2}]', '[{"a":3}]'), [])
  t.same(shapeDifferences(bodyShape('{"a":"x"}'), bodyShape('{"a":"y"}'), 'response'), [])
})

t.test('a kind the mock never answers with is one line naming both sides', async (t) => {
  const targets: Array<[string, string]> = [
    ['', 'an empty body'], ['Service Unavailable', 'text that is not JSON'], ['"x"', 'a string'], ['1', 'a number'],
    ['true', 'a boolean'], ['null', 'null'], ['[]', 'an array'], ['{}', 'an object']
  ]
  for (const [target, kind] of targets) {
    const mock = target === '1' ? '"1"' : '1'
    t.same(between(target, mock), [`body: target ${kind}, leancore-mock ${target === '1' ? 'a string' : 'a number'}`], kind)
  }
  t.same(shapeDifferences(bodyShape('[{"a":1}]'), bodyShape('{"a":1}'), 'response'), ['response: target an array, leancore-mock an object'], 'the path is the one given')
})

t.test('several kinds are named together, and kinds the mock also has are no difference', async (t) => {
  t.same(between('[1,"a",1]', '[true]'), ['body[]: target a number or a string, leancore-mock a boolean'])
  t.same(between('[1,"a"]', '[true,null,false]'), ['body[]: target a number or a string, leancore-mock a boolean or null'])
  t.same(between('[1,"a"]', '["b",2]'), [], 'the same kinds in another order')
  t.same(between('[null]', '["x",null]'), [], 'null where the mock has a string or null')
  t.same(between('["x"]', '["x",null]'), [], 'a string where the mock has a string or null')
  t.same(between('["x",null]', '["x"]'), ['body[]: target a string or null, leancore-mock a string'])
  t.same(between('null', '{"a":1}'), ['body: target null, leancore-mock an object'])
  t.same(shapeDifferences(bodyShape('null'), schemaShape(Type.Union([Type.Object({ a: Type.Null() }, { additionalProperties: false }), Type.Null()])), 'body'), [],
    'null where the mock has an object or null')
})

t.test('a different kind is the only line for that path: the keys of a different kind are not compared', async (t) => {
  t.same(between('[{"b":1},null]', '[{"a":1}]'), ['body[]: target an object or null, leancore-mock an object'])
  t.same(between('{"a":[{"b":1}]}', '{"a":{"c":1}}'), ['body.a: target an array, leancore-mock an object'])
})

t.test('a key only one side has is named, with its kinds', async (t) => {
  t.same(between('{"a":1}', '{"a":2,"b":"x"}'), ['body.b: missing at the target, leancore-mock has it (a string)'])
  t.same(between('{"a":1,"z":[1]}', '{"a":1}'), ['body.z: only at the target (an array), leancore-mock has no such key'])
  t.same(between('{"name":"Rosa"}', '{"nombre":"Rosa"}'), [
    'body.nombre: missing at the target, leancore-mock has it (a string)',
    'body.name: only at the target (a string), leancore-mock has no such key'
  ], 'a renamed key is both')
  t.same(shapeDifferences(bodyShape('{}'), schemaShape(Type.Object({ image: Type.Union([Type.String(), Type.Null()]) }, { additionalProperties: false })), 'body'),
    ['body.image: missing at the target, leancore-mock has it (a string or null)'])
  t.same(between('[{"a":1,"b":[1]},{"a":2}]', '[{"a":1}]'), ['body[].b: only at the target (an array), leancore-mock has no such key'], 'whether or not every element has it')
})

t.test('a key of the target that is not a plain word is quoted, its controls written out, never sent to the terminal', async (t) => {
  const keys = JSON.stringify({ 'first name': 1, 'a.b': 1, 'x\u001b[2Jy': 1, 'line\nbreak': 1, 'C1\u009b': 1, 'rtl\u202eevil': 1, 'señal_1-$': { 'día\t': 1 } })
  t.same(between(keys, '{}'), [
    'body["first name"]: only at the target (a number), leancore-mock has no such key',
    'body["a.b"]: only at the target (a number), leancore-mock has no such key',
    'body["x\\u001b[2Jy"]: only at the target (a number), leancore-mock has no such key',
    'body["line\\nbreak"]: only at the target (a number), leancore-mock has no such key',
    'body["C1\\u009b"]: only at the target (a number), leancore-mock has no such key',
    'body["rtl\\u202eevil"]: only at the target (a number), leancore-mock has no such key',
    'body.señal_1-$: only at the target (an object), leancore-mock has no such key'
  ])
  t.same(between(keys, JSON.stringify({ 'señal_1-$': {} })).at(-1), 'body.señal_1-$["día\\t"]: only at the target (a number), leancore-mock has no such key', 'deeper too')
})

t.test('the mock\'s missing keys come first, then the target\'s keys in the target\'s order', async (t) => {
  t.same(between('{"d":1,"c":"x","a":1}', '{"a":1,"b":1,"c":1,"e":null}'), [
    'body.b: missing at the target, leancore-mock has it (a number)',
    'body.e: missing at the target, leancore-mock has it (null)',
    'body.d: only at the target (a number), leancore-mock has no such key',
    'body.c: target a string, leancore-mock a number'
  ])
})

t.test('a key the mock always has but some of the target\'s objects lack is named', async (t) => {
  t.same(between('[{"a":1},{"b":1}]', '[{"a":1,"b":1}]'), [
    'body[].a: missing from some at the target, leancore-mock always has it',
    'body[].b: missing from some at the target, leancore-mock always has it'
  ])
  t.same(between('[{"a":"x"},{}]', '[{"a":1}]'), [
    'body[].a: missing from some at the target, leancore-mock always has it',
    'body[].a: target a string, leancore-mock a number'
  ], 'and its kinds are still compared')
  t.same(between('[{"a":1},{}]', '[{"a":1},{}]'), [], 'not when the mock also lacks it sometimes')
  t.same(between('[{"a":1}]', '[{"a":1},{}]'), [], 'nor when the target always has it')
})

t.test('differences deep inside are named by their path', async (t) => {
  t.same(between('{"a":{"b":[{"c":1}]}}', '{"a":{"b":[{"c":"x"}]}}'), ['body.a.b[].c: target a number, leancore-mock a string'])
  t.same(between('[[{"a":1}]]', '[[{"a":1,"b":true}]]'), ['body[][].b: missing at the target, leancore-mock has it (a boolean)'])
  t.same(shapeDifferences(bodyShape('{"a":{}}'), bodyShape('{"a":{"b":1}}'), 'token'), ['token.a.b: missing at the target, leancore-mock has it (a number)'])
})

t.test('an empty array on either side has no elements to compare', async (t) => {
  t.same(between('[]', '[{"a":1}]'), [])
  t.same(between('[{"a":1}]', '[]'), [])
  t.same(shapeDifferences(bodyShape('[]'), { kinds: new Set(['array']), items: schemaShape(Lead) }, 'body'), [], 'no leads is a list of leads')
})

t.test('open contents take anything of their kind, but not another kind', async (t) => {
  const open = schemaShape(Type.Object({}, { additionalProperties: true }))
  t.same(shapeDifferences(bodyShape('{"anything":{"at":["all"]}}'), open, 'body.payment_data'), [])
  t.same(shapeDifferences(bodyShape('{}'), open, 'body.payment_data'), [])
  t.same(shapeDifferences(bodyShape('[]'), open, 'body.payment_data'), ['body.payment_data: target an array, leancore-mock an object'])
  const history = schemaShape(Type.Array(Type.Unknown()))
  t.same(shapeDifferences(bodyShape('[1,{"event":"called"},null]'), history, 'body.history'), [])
  t.same(shapeDifferences(bodyShape('{}'), history, 'body.history'), ['body.history: target an object, leancore-mock an array'])
  const nullable = schemaShape(Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]))
  t.same(shapeDifferences(bodyShape('{"any":"key"}'), nullable, 'body.extra'), [], 'a nullable open object takes any keys too')
  t.same(shapeDifferences(bodyShape('{"b":"x"}'), { ...bodyShape('{"a":1}'), open: true }, 'body'), [], 'an open shape takes any keys, even one that lists some')
  t.same(shapeDifferences(bodyShape('["x"]'), { ...bodyShape('[1]'), open: true }, 'body'), [], 'and any elements')
})

t.test('a lead with every field of the schema has the lead\'s shape; one field off is named', async (t) => {
  const lead = {
    id: 'lead-1',
    name: 'Rosa',
    lastname: 'Pérez',
    business_name: 'Tienda Rosa',
    status: 'active',
    phone: '573136434030',
    email: 'rosa@example.com',
    nit: '900123456-8',
    address: 'Calle 1 # 2-3',
    ecosystem: 'fd3705e1-3149-4c41-bfe7-cf0bee79cfad',
    business_entity: 'SAS',
    quota: 5000000,
    image: null,
    score: 700,
    apn_token: null,
    history: [{ event: 'called' }],
    payment_data: {},
    additional_data: { channel: 'web' }
  }
  const schema = schemaShape(Lead)
  t.same(shapeDifferences(bodyShape(JSON.stringify(lead)), schema, 'body'), [])
  t.same(shapeDifferences(bodyShape(JSON.stringify({ ...lead, score: '700' })), schema, 'body'), ['body.score: target a string, leancore-mock a number or null'])
  t.same(shapeDifferences(bodyShape(JSON.stringify({ ...lead, history: null })), schema, 'body'), ['body.history: target null, leancore-mock an array'])
})
