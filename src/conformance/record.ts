import type { Lead } from '../core/leads/schema.js'
import { validateLeads } from '../core/leads/validate.js'
import { LookAlikes } from './lookalikes.js'

/**
 * The leads the target answered with, once each (by id), personal data replaced by look-alikes,
 * checked like any fixture data: what `SEED=<file>` and `startServer({ seed })` load.
 */
function recordedLeads (seen: readonly Lead[]): Lead[] {
  const byId = new Map<string, Lead>()
  for (const lead of seen) if (!byId.has(lead.id)) byId.set(lead.id, lead)
  const originals = [...byId.values()]
  const lookAlikes = new LookAlikes(originals)
  // Every lead's own fields first, so that free-form data repeating another lead's name or phone
  // gets that lead's look-alike.
  const leads = originals.map((lead) => lookAlikes.lead(lead))
  return validateLeads(leads.map((lead) => ({
    ...lead,
    history: lookAlikes.freeForm(lead.history) as unknown[],
    payment_data: lookAlikes.freeForm(lead.payment_data) as Lead['payment_data'],
    additional_data: lookAlikes.freeForm(lead.additional_data) as Lead['additional_data']
  })))
}

/** The recording as the file holds it: a JSON array, two spaces, a final newline; and how many leads. */
export function recording (seen: readonly Lead[]): { text: string, leads: number } {
  const leads = recordedLeads(seen)
  return { text: `${JSON.stringify(leads, null, 2)}\n`, leads: leads.length }
}
