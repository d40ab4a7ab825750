import { Type, type Static } from '@sinclair/typebox'
import { Lead } from '../leads/schema.js'

/**
 * A user: a lead turned into a client of a financial entity. GET /user answers the lead's 18 keys,
 * with `id`, and `available_quota` (observed in LeanCore's client: it reads it there after a
 * conversion); the mock's user is the lead it was, so the id stays the lead's.
 */
export const User = Type.Object({
  ...Lead.properties,
  available_quota: Type.Number({ description: 'What the user may still borrow, in COP: the quota, as no loans exist in the mock' })
}, { $id: 'User', additionalProperties: false })
export type User = Static<typeof User>

/** A user as the fixture holds it: the user, and the financial entity it is a client of. */
export const StoredUser = Type.Object({
  ...User.properties,
  financial_entity: Type.String({ minLength: 1, maxLength: 128, description: 'The uid of its financial entity' })
}, { additionalProperties: false })
export type StoredUser = Static<typeof StoredUser>

const LeadOptional = ['image', 'score', 'apn_token', 'history', 'payment_data', 'additional_data', 'available_quota'] as const

/** What a fixture may send as a user: a StoredUser whose optional fields may be left out (available_quota: its quota). */
export const UserInput = Type.Composite([
  Type.Omit(StoredUser, LeadOptional),
  Type.Partial(Type.Pick(StoredUser, LeadOptional))
], { additionalProperties: false })
export type UserInput = Static<typeof UserInput>

/**
 * What POST /turn-lead-into-client answers, as LeanCore documents it: the lead's 18 keys with `_id`
 * in place of `id`.
 */
export const ConvertedUser = Type.Object({
  _id: Type.String({ description: 'The new user\'s id: the id of the lead it was' }),
  ...Type.Omit(Lead, ['id']).properties
}, { $id: 'ConvertedUser', additionalProperties: false })
export type ConvertedUser = Static<typeof ConvertedUser>

const UPDATABLE = ['name', 'lastname', 'nit', 'phone', 'email', 'address', 'business_entity', 'business_name', 'history', 'score', 'image', 'status', 'additional_data'] as const

/** POST /update-user's body, as LeanCore documents it: `id`, and any of these. */
export const UpdateUserInput = Type.Composite([
  Type.Pick(Lead, ['id']),
  Type.Partial(Type.Pick(Lead, UPDATABLE))
], { additionalProperties: false })
export type UpdateUserInput = Static<typeof UpdateUserInput>
