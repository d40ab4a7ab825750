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
