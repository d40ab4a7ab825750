// DIAN's check digit (dígito de verificación) for a NIT: the digits, right to left, weighted by
// these primes; the remainder mod 11 gives the digit (0 and 1 stand for themselves).
const WEIGHTS = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71]

function nitCheckDigit (base: string): number {
  if (!/^\d{1,15}$/.test(base)) throw new RangeError(`a NIT base is 1 to 15 digits, got ${JSON.stringify(base)}`)
  let sum = 0
  for (let i = 0; i < base.length; i++) {
    sum += Number(base[base.length - 1 - i]) * (WEIGHTS[i] as number)
  }
  const remainder = sum % 11
  return remainder > 1 ? 11 - remainder : remainder
}

/** "900123456" -> "900123456-8" */
export function formatNit (base: string): string {
  return `${base}-${nitCheckDigit(base)}`
}
