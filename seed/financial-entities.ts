import type { FinancialEntity, LoanProduct } from '../src/core/financial-entities/schema.js'
import { CITIES, STREET_TYPES } from './colombia.js'
import { formatNit } from './nit.js'
import { Random } from './random.js'

// Made-up lenders, named as Colombian fintechs and cooperatives are; none is a real company.
const NAMES = [
  'Crédito Andino S.A.S.', 'Finanzas del Valle S.A.S.', 'Impulso Pyme S.A.S.', 'Capital Cafetero S.A.S.',
  'Microcréditos La Sabana S.A.', 'Fondo Progresar', 'Prestamos Caribe S.A.S.', 'Cooperativa Avanzar',
  'Liquidez Express S.A.S.', 'Aliado Financiero S.A.S.', 'Confía Crédito S.A.S.', 'Semilla Capital S.A.S.',
  'Rendir Finanzas S.A.S.', 'Cuota Fácil S.A.S.', 'Tienda Crédito S.A.S.'
] as const

/** The simulator's product, every lender has one: what LeanCore's app shows a borrower first. */
function simulator (random: Random): LoanProduct {
  const rate = random.int(15, 28) / 1000
  return {
    name: 'simulador',
    loan_type: 'consumo',
    interest_rate: rate,
    interest_rate_basis: 'monthly',
    payment_frequency: 'monthly',
    grace_period: 0,
    billing_interval_type: 'month',
    arrear_interest_rate: Math.round(rate * 1.5 * 10_000) / 10_000,
    arrear_interest_rate_basis: 'monthly',
    arrear_max_interest_rate: 0.0305,
    other_expenses: random.int(0, 6) * 5_000
  }
}

function workingCapital (random: Random): LoanProduct {
  return {
    name: 'capital de trabajo',
    loan_type: 'comercial',
    interest_rate: random.int(12, 22) / 1000,
    interest_rate_basis: 'monthly',
    payment_frequency: random.pick(['weekly', 'biweekly', 'monthly']),
    grace_period: random.int(0, 2),
    billing_interval_type: 'month',
    arrear_interest_rate: 0.028,
    arrear_interest_rate_basis: 'monthly',
    arrear_max_interest_rate: 0.0305,
    other_expenses: random.int(1, 8) * 10_000
  }
}

/** `count` financial entities for each ecosystem, the same for the same seed on every run. */
export function generateFinancialEntities (ecosystems: ReadonlyArray<{ id: string, count: number }>, seed = 20261205): FinancialEntity[] {
  const random = new Random(seed)
  const entities: FinancialEntity[] = []
  for (const ecosystem of ecosystems) {
    for (let i = 0; i < ecosystem.count; i++) {
      const name = NAMES[entities.length % NAMES.length] as string
      const place = random.pick(CITIES)
      const slug = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/ s\.a\.s\.| s\.a\./, '').replace(/[^a-z0-9]+/g, '')
      const simulatorId = random.uuid()
      entities.push({
        uid: random.uuid(),
        name,
        nit: formatNit(`901${random.digits(6)}`),
        ecosystem: ecosystem.id,
        email: `creditos@${slug}.com.co`,
        phone: `60${random.pick(['1', '2', '4', '5'])}${random.digits(7)}`,
        address: `${random.pick(STREET_TYPES)} ${random.int(1, 120)} # ${random.int(1, 99)}-${random.int(1, 99)}, ${place.city}, ${place.department}`,
        loan_products: random.chance(0.5)
          ? { [simulatorId]: simulator(random), [random.uuid()]: workingCapital(random) }
          : { [simulatorId]: simulator(random) }
      })
    }
  }
  return entities
}
