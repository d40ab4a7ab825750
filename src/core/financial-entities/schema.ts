import { Type, type Static } from '@sinclair/typebox'

/**
 * A loan product of a financial entity, as LeanCore's own client reads it from GET
 * /financial-entity (observed, not documented): the terms a simulator shows a borrower.
 */
export const LoanProduct = Type.Object({
  name: Type.String({ maxLength: 200 }),
  loan_type: Type.String({ maxLength: 100 }),
  interest_rate: Type.Number({ description: 'Per period of interest_rate_basis, as a fraction (0.021 is 2.1%)' }),
  interest_rate_basis: Type.String({ maxLength: 50, description: 'The period interest_rate is for: monthly' }),
  payment_frequency: Type.String({ maxLength: 50, description: 'How often the borrower pays: weekly, biweekly or monthly' }),
  grace_period: Type.Integer({ minimum: 0, description: 'Periods before the first payment' }),
  billing_interval_type: Type.String({ maxLength: 50 }),
  arrear_interest_rate: Type.Number(),
  arrear_interest_rate_basis: Type.String({ maxLength: 50 }),
  arrear_max_interest_rate: Type.Number(),
  other_expenses: Type.Number({ description: 'Fees on top of interest, in COP' })
}, { additionalProperties: false })
export type LoanProduct = Static<typeof LoanProduct>

/** A financial entity (a fintech) of an ecosystem: what leads are assigned to and become users of. */
export const FinancialEntity = Type.Object({
  uid: Type.String({ minLength: 1, maxLength: 128, description: 'Its id: what financial_entity_id and ?uid= name' }),
  name: Type.String({ maxLength: 200 }),
  nit: Type.String({ maxLength: 64, description: 'Its NIT, with DIAN\'s check digit' }),
  ecosystem: Type.String({ format: 'uuid' }),
  email: Type.String({ maxLength: 320 }),
  phone: Type.String({ maxLength: 32 }),
  address: Type.String({ maxLength: 500 }),
  loan_products: Type.Record(Type.String({ minLength: 1, maxLength: 128 }), LoanProduct, { description: 'Keyed by product id' })
}, { $id: 'FinancialEntity', additionalProperties: false })
export type FinancialEntity = Static<typeof FinancialEntity>

/** One user of a financial entity, as GET /financial-entity-users lists it */
export const FinancialEntityUser = Type.Object({
  uid: Type.String({ description: 'The user\'s id (the id of the lead it was)' }),
  name: Type.String(),
  nit: Type.String(),
  email: Type.String(),
  phone: Type.String(),
  address: Type.String()
}, { additionalProperties: false })
export type FinancialEntityUser = Static<typeof FinancialEntityUser>

/** GET /financial-entity-users' answer, as LeanCore documents it: how many users, and a page of them */
export const FinancialEntityUsersPage = Type.Object({
  size: Type.Integer({ description: 'How many users the entity has' }),
  data: Type.Array(FinancialEntityUser)
}, { additionalProperties: false })
export type FinancialEntityUsersPage = Static<typeof FinancialEntityUsersPage>
