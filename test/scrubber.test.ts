// The scrubber on its own: every form a client can give a secret in, replaced before the text is
// logged or kept in the journal. The logging and journal tests show it at work over real sockets.
import t from 'tap'
import { configFromOptions } from '../src/core/config.js'
import { Scrubber } from '../src/core/tokens/scrubber.js'

const SECRET = 'aZ+b-c.d_e:z'
// A client secret: any printable text, so it can hold every character that needs encoding.
const scrubber = new Scrubber(configFromOptions({ oauthClients: [{ id: 'app', secret: SECRET }] }))
/** Each character percent-encoded, its hex digits in the given case */
const encoded = (text: string, upper: boolean): string => [...text].map((character) => {
  const hex = character.charCodeAt(0).toString(16)
  return `%${upper ? hex.toUpperCase() : hex}`
}).join('')

t.test('a secret percent-encoded with lower- or upper-case hex digits, or a mix, is replaced', async (t) => {
  for (const form of [encoded(SECRET, false), encoded(SECRET, true), `aZ+b-c.d_e${encoded(':z', true)}`, `aZ${encoded('+b-', false)}c.d_e:z`]) {
    t.equal(scrubber.scrub(`/lead?note=${form}&x=1`), '/lead?note=[redacted]&x=1', form)
  }
})

t.test('a + of the secret read as a space by form decoding, plain or encoded, is replaced', async (t) => {
  for (const form of ['aZ b-c.d_e:z', 'aZ%20b-c.d_e:z', `aZ b${encoded('-c', true)}.d_e:z`, `aZ%2520b-c.d_e${encoded(':', false)}z`]) {
    t.equal(scrubber.scrub(`before ${form} after`), 'before [redacted] after', form)
  }
})

t.test('text that only looks like part of the secret is kept', async (t) => {
  for (const text of ['aZ+b-c.d_e', 'aZ%2Bb-c.d_e%3A', 'aZXb-c.d_e:z', 'aZ%21b-c.d_e:z']) t.equal(scrubber.scrub(text), text, text)
})

t.test('every occurrence is replaced, of a secret and of a token this server hands out, encoded or not', async (t) => {
  const issued = `lcm_${'A1b2-C3d4_'.repeat(4)}xyz`
  const text = `${encoded(SECRET, false)} and ${encoded(SECRET, true)}, ${issued} and ${issued.replace('_', '%5F')}`
  t.equal(scrubber.scrub(text), '[redacted] and [redacted], [redacted] and [redacted]')
})

t.test('a secret is scrubbed from six characters up; a shorter one would match ordinary words', async (t) => {
  const short = new Scrubber(configFromOptions({ oauthClients: [{ id: 'six', secret: 'k3y-6x' }, { id: 'five', secret: 'k3y-5' }] }))
  t.equal(short.scrub('a k3y-6x and a k3y-5'), 'a [redacted] and a k3y-5')
})

t.test('a secret with characters JSON escapes or UTF-8 encodes in two bytes is found in each form, mixed', async (t) => {
  const secret = 'pé"z\\q-7'
  const mixed = new Scrubber(configFromOptions({ oauthClients: [{ id: 'app', secret }] }))
  for (const form of ['p%C3%A9\\"z\\\\q-7', 'p%c3%a9"z%5Cq-7', 'pé\\"z\\\\q%2D7']) t.equal(mixed.scrub(`[${form}]`), '[[redacted]]', form)
})
