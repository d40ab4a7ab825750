import { createHash } from 'node:crypto'
import {
  BANKS, BUSINESS_KINDS, CITIES, EMAIL_DOMAINS, MOBILE_PREFIXES, STAND_IN_BUSINESS_NAMES, STAND_IN_FIRST_NAMES,
  STAND_IN_LAST_NAMES, STREET_TYPES
} from '../../seed/colombia.js'
import { formatNit } from '../../seed/nit.js'
import { Random } from '../../seed/random.js'
import type { Lead } from '../core/leads/schema.js'

/** The lead fields that hold personal data: every one is replaced. */
const PERSONAL_FIELDS = ['name', 'lastname', 'business_name', 'phone', 'email', 'nit', 'address', 'apn_token', 'image'] as const

/** What free text becomes when it cannot be kept and has no kind to imitate. */
const PLACEHOLDER = 'texto reemplazado'
/** Draws from the stand-in lists before falling back to made-up names, which always find a clean one. */
const STAND_IN_ATTEMPTS = 40
/**
 * Made-up names are clean unless a recorded value is short text they all contain (an email ".co",
 * the bare kind of every business); then no look-alike exists, and recording fails instead of looping.
 */
const MOST_ATTEMPTS = 1000
/** Shorter text ("de", "la", a lone "-" for a missing surname) is no one's name, and would match everywhere. */
const SHORTEST_SEARCHED = 3
const SYLLABLES = ['ma', 'ri', 'lo', 'sa', 've', 'na', 'to', 'ra', 'li', 'be', 'do', 'ca', 'mi', 'ne', 'ro', 'gui', 'llo', 'da']
const NOT_TEXT = { text: false }
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const URL_TEXT = /^https?:\/\/\S+$/i
const NIT = /^\d{6,15}-\d$/
// Two digits at least: a lone digit is nobody's, and could not be scrambled into another.
const DIGITS = /^[\d\s+().-]*\d[\d\s+().-]*\d[\d\s+().-]*$/
// A street type, then its number: Colombian addresses start that way; in a sentence, it starts a word.
const ADDRESS = /^(?:calle|carrera|avenida|transversal|diagonal|cra|cll|cl|kra|kr|cr|ak|ac|av|tv|dg)\.?\s+\S*\d/i
const ADDRESS_INSIDE = new RegExp(ADDRESS.source.replace('^', '\\b'), 'i')
const COLOMBIAN_MOBILE = /^(?:57)?3\d{9}$/
// Two or more capitalised words, with the particles of Spanish names between them.
const NAME_LIKE = /^\p{Lu}[\p{L}'-]*(?:\s+(?:(?:de|del|la|las|los|y)\s+)*\p{Lu}[\p{L}'-]*)+$/u
// The same inside a sentence, each word a capital and small letters: a name, not an acronym or "S.A.".
const NAME_INSIDE = /\p{Lu}\p{Ll}+\s+(?:(?:de|del|la|las|los|y)\s+)*\p{Lu}\p{Ll}/u
// A title, then a capitalised word: "la señora Gómez", "el Sr. Pérez", "doña Rosa".
const TITLED_NAME = /(?:^|\s)(?:[Ss]eñora?|[Ss]ra?\.|[Dd]on|[Dd]oña|[Dd]ra?\.)\s+\p{Lu}/u
/** Banks and places: capitalised like names, and nobody's. */
const KNOWN_NAMES = [...BANKS, ...CITIES.flatMap(({ city, department, neighborhoods }) => [city, department, ...neighborhoods])]

/**
 * Personal data replaced by look-alikes of the same kind, deterministically: the same original
 * always becomes the same look-alike, drawn from a generator seeded by the original itself. A
 * look-alike never contains an original value of a replaced field, nor a word of a recorded
 * person's name, so nothing of the originals survives in a recording.
 */
export class LookAlikes {
  /** The words of every recorded person's name, without accents, in lower case */
  readonly #nameWords = new Set<string>()
  /** Every original value of a replaced field */
  readonly #originals: string[]
  readonly #drawn = new Map<string, string>()
  /** Original -> look-alike, whatever the kind: free-form data that repeats a lead's value gets the same look-alike. */
  readonly #replacements = new Map<string, string>()
  /** Phones handed out: a phone must keep finding one lead */
  readonly #phones = new Set<string>()

  constructor (leads: readonly Lead[]) {
    for (const lead of leads) {
      for (const word of wordsOf(`${lead.name} ${lead.lastname}`)) this.#nameWords.add(word)
    }
    const originals = new Set(leads.flatMap((lead) => PERSONAL_FIELDS.map((field) => lead[field])))
    this.#originals = [...originals].filter((original): original is string => original !== null && original.length >= SHORTEST_SEARCHED)
  }

  /** A lead's personal fields replaced. Replace every lead's before any free-form data. */
  lead (lead: Lead): Lead {
    const name = this.#draw('name', lead.name, (random, attempt) => firstName(random, attempt))
    const lastname = this.#draw('lastname', lead.lastname, (random, attempt) => `${lastName(random, attempt)} ${lastName(random, attempt)}`)
    const legalForm = lead.business_name.endsWith(` ${lead.business_entity}`) ? ` ${lead.business_entity}` : ''
    return {
      ...lead,
      name,
      lastname,
      business_name: this.#draw('business', lead.business_name, (random, attempt) =>
        `${random.pick(BUSINESS_KINDS).kind} ${attempt < STAND_IN_ATTEMPTS ? random.pick(STAND_IN_BUSINESS_NAMES) : madeUpWord(random)}${legalForm}`),
      phone: this.#draw('phone', lead.phone, (random) => phone(random, lead.phone), { taken: this.#phones }),
      email: this.#draw('email', lead.email, (random) => email(random, name, lastname)),
      nit: this.#draw('nit', lead.nit, (random) => nit(random, lead.nit), NOT_TEXT),
      address: this.#draw('address', lead.address, address),
      apn_token: lead.apn_token === null ? null : this.#draw('apn_token', lead.apn_token, (random) => apnToken(random, lead.apn_token as string), NOT_TEXT),
      image: lead.image === null ? null : this.#draw('image', lead.image, freshUrl, NOT_TEXT)
    }
  }

  /**
   * history, payment_data or additional_data with the same keys and kinds: a value that repeats
   * a lead's personal data gets its look-alike, emails, URLs, NITs and numbers get look-alikes
   * of their kind, names get names, and free text is kept only when it holds nothing personal.
   */
  freeForm (value: unknown): unknown {
    if (typeof value === 'string') return this.#text(value)
    if (typeof value === 'number') return this.#number(value)
    if (Array.isArray(value)) return value.map((item) => this.freeForm(item))
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item], index) => [this.#key(key, index), this.freeForm(item)]))
    }
    return value
  }

  /** A key is kept unless it holds personal data: a lead's value gets its look-alike, anything else a numbered placeholder. */
  #key (key: string, index: number): string {
    return this.#clean(key) ? key : this.#replacements.get(key) ?? `${PLACEHOLDER} ${index + 1}`
  }

  #text (text: string): string {
    const replacement = this.#replacements.get(text)
    if (replacement !== undefined) return replacement
    if (DATE.test(text)) return text
    if (EMAIL.test(text)) return this.#draw('email', text, (random, attempt) => email(random, firstName(random, attempt), lastName(random, attempt)))
    if (URL_TEXT.test(text)) return this.#draw('url', text, freshUrl, NOT_TEXT)
    if (NIT.test(text)) return this.#draw('nit', text, (random) => nit(random, text), NOT_TEXT)
    if (DIGITS.test(text)) return this.#draw('digits', text, (random) => scrambleDigits(random, text), NOT_TEXT)
    if (ADDRESS.test(text)) return this.#draw('address', text, address)
    // A phone, an email, a link or an address inside a sentence: the sentence goes.
    if (/@|:\/\//.test(text) || text.replace(/\D/g, '').length >= 7 || ADDRESS_INSIDE.test(text)) return PLACEHOLDER
    // Composed first: an accent written as a letter and a combining mark is still one letter.
    const unnamed = KNOWN_NAMES.reduce((rest, known) => rest.replaceAll(known, ''), text.normalize('NFC'))
    if (NAME_LIKE.test(unnamed)) return this.#draw('fullname', text, (random, attempt) => `${firstName(random, attempt)} ${lastName(random, attempt)}`)
    // Anyone's name inside a sentence goes too, recorded or not: a client's contact, an agent.
    return this.#clean(text) && !NAME_INSIDE.test(unnamed) && !TITLED_NAME.test(unnamed) ? text : PLACEHOLDER
  }

  #number (number: number): number {
    const digits = String(number)
    const replacement = this.#replacements.get(digits)
    if (replacement !== undefined) return Number(replacement)
    return COLOMBIAN_MOBILE.test(digits) ? Number(this.#draw('digits', digits, (random) => scrambleDigits(random, digits), NOT_TEXT)) : number
  }

  /**
   * The look-alike of `original`, drawn until it is clean; the same one every time it is asked
   * for. `taken`: look-alikes handed out before, which no other original gets; this one joins them.
   * `text: false`: tokens and links, whose letters are the generator's own and never anyone's name.
   */
  #draw (kind: string, original: string, make: (random: Random, attempt: number) => string, { taken, text = true }: { taken?: Set<string>, text?: boolean } = {}): string {
    const key = `${kind}\u0000${original}`
    const known = this.#drawn.get(key)
    if (known !== undefined) return known
    const draw = (attempt: number): string => make(seededBy(`${key}\u0000${attempt}`), attempt)
    const fits = (candidate: string): boolean => candidate !== original && this.#clean(candidate, text) && taken?.has(candidate) !== true
    let attempt = 0
    let candidate = draw(attempt)
    while (!fits(candidate)) {
      if (++attempt === MOST_ATTEMPTS) {
        throw new Error(`cannot record: every ${kind} look-alike in ${MOST_ATTEMPTS} draws held a recorded value or name; one of them is probably short text that they all contain`)
      }
      candidate = draw(attempt)
    }
    taken?.add(candidate)
    this.#drawn.set(key, candidate)
    this.#replacements.set(original, candidate)
    return candidate
  }

  /** Holds no original value of a replaced field, and (for text) no word of a recorded person's name. */
  #clean (candidate: string, text = true): boolean {
    return !(text && wordsOf(candidate).some((word) => this.#nameWords.has(word))) &&
      !this.#originals.some((original) => candidate.includes(original))
  }
}

function seededBy (text: string): Random {
  return new Random(createHash('sha256').update(text).digest().readUInt32BE(0))
}

/** Words without accents, in lower case, long enough to be someone's name */
function wordsOf (text: string): string[] {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().split(/[^a-z]/)
    .filter((word) => word.length >= SHORTEST_SEARCHED)
}

function madeUpWord (random: Random): string {
  const word = Array.from({ length: 3 }, () => random.pick(SYLLABLES)).join('')
  return `${word.charAt(0).toUpperCase()}${word.slice(1)}`
}

function firstName (random: Random, attempt: number): string {
  return attempt < STAND_IN_ATTEMPTS ? random.pick(STAND_IN_FIRST_NAMES) : madeUpWord(random)
}

function lastName (random: Random, attempt: number): string {
  return attempt < STAND_IN_ATTEMPTS ? random.pick(STAND_IN_LAST_NAMES) : madeUpWord(random)
}

/** The stand-in names are letters only: without accents, in lower case, they fit an email's local part. */
function slug (text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
}

function email (random: Random, name: string, lastname: string): string {
  return `${slug(name.split(' ')[0] as string)}.${slug(lastname.split(' ')[0] as string)}${random.int(1, 99)}@${random.pick(EMAIL_DOMAINS)}`
}

/** A Colombian mobile keeps its shape, the country code and a mobile prefix; another number keeps its length. */
function phone (random: Random, original: string): string {
  if (/^573\d{9}$/.test(original)) return `57${random.pick(MOBILE_PREFIXES)}${random.digits(7)}`
  return random.digits(original.length)
}

/** As long as the original's base, with DIAN's check digit. */
function nit (random: Random, original: string): string {
  const length = Math.min(15, Math.max(6, (original.split('-')[0] as string).replace(/\D/g, '').length))
  return formatNit(`${random.int(1, 9)}${random.digits(length - 1)}`)
}

function address (random: Random): string {
  const place = random.pick(CITIES)
  return `${random.pick(STREET_TYPES)} ${random.int(1, 170)} # ${random.int(1, 120)}-${random.int(1, 99)}, ` +
    `${random.pick(place.neighborhoods)}, ${place.city}, ${place.department}`
}

/** Fresh, of the same length; hex stays hex (APNs), anything else gets base64url (FCM). */
function apnToken (random: Random, original: string): string {
  if (/^[0-9a-f]+$/i.test(original)) return random.hex(original.length)
  return Array.from({ length: original.length }, () => BASE64URL[random.int(0, 63)] as string).join('')
}

function freshUrl (random: Random): string {
  return `https://cdn.leancore-mock.example/recorded/${random.hex(32)}.jpg`
}

/** The first digit stays (a number keeps its length and its sign of what it is), the others are drawn. */
function scrambleDigits (random: Random, text: string): string {
  const first = text.search(/\d/)
  return text.replace(/\d/g, (digit, offset: number) => offset === first ? digit : String(random.int(0, 9)))
}
