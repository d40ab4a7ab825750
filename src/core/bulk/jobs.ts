import type { Database } from 'better-sqlite3'
import { parseJson } from '../json-text.js'
import type { LeadRepository } from '../leads/repository.js'
import type { Lead } from '../leads/schema.js'
import { validateLeads } from '../leads/validate.js'
import { LeadWriter, readNewLeads } from '../leads/writes.js'
import type { SandboxWriter } from '../sandboxes/creation.js'
import type { CreatedSandbox } from '../sandboxes/schema.js'

/**
 * The work that grows with what a client sends or holds: loads of up to 32 MiB, resets, deletes and
 * reads of up to MAX_LEADS_PER_SANDBOX leads. On a database file it runs in the bulk worker, on a
 * connection of its own, so that the event loop keeps answering (WAL lets reads go on meanwhile);
 * each job is one transaction, all or nothing, as it would be on the server's own connection.
 */
export type BulkJob =
  /** POST /__admin/leads: a JSON array of leads, added or replaced by id */
  | { kind: 'load', space: number, body: Uint8Array }
  /** POST /create-lead?bulk-load=true: a JSON array of create-lead bodies; answers the new leads, with lead_status, as JSON */
  | { kind: 'create-leads', space: number, body: Uint8Array }
  /** POST /__admin/sandboxes with a body: a sandbox, its seed written with it, created at `now` */
  | { kind: 'create-sandbox', body: Uint8Array, now: number }
  /** A space back to its seed */
  | { kind: 'reset', space: number }
  /** Every lead of a space, or of one of its ecosystems */
  | { kind: 'remove', space: number, ecosystem: string | undefined }
  /** The leads of a deleted sandbox, and its usage row: what the deletion left to do */
  | { kind: 'purge', space: number }
  /** An ecosystem's leads, serialized as GET /lead answers them */
  | { kind: 'read', space: number, ecosystem: string }

export interface BulkResults {
  load: number
  'create-leads': Uint8Array
  'create-sandbox': CreatedSandbox & { key: number }
  reset: number
  remove: number
  purge: number
  read: Uint8Array
}

/** What the jobs run against: a connection, its repository, and how sandboxes and seeds are written. */
export interface BulkContext {
  db: Database
  repository: LeadRepository
  sandboxes: SandboxWriter
  /** What a reset of the shared data writes */
  sharedSeed: () => Lead[]
}

export function runJob (context: BulkContext, job: BulkJob): BulkResults[BulkJob['kind']] {
  const { repository } = context
  switch (job.kind) {
    case 'load':
      return repository.upsert(job.space, validateLeads(parseJson(Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength))))
    case 'create-leads': {
      const leads = readNewLeads(parseJson(Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength)), true)
      const created = new LeadWriter(repository, job.space).create(leads)
      return Buffer.from(JSON.stringify(created.map((lead) => ({ ...lead, lead_status: lead.status }))))
    }
    case 'create-sandbox':
      return context.sandboxes.create(parseJson(Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength)) ?? {}, job.now)
    case 'reset':
      return repository.replaceAll(job.space, job.space === 0 ? context.sharedSeed() : context.sandboxes.seedOf(job.space))
    case 'remove':
      return job.ecosystem === undefined ? repository.deleteAll(job.space) : repository.deleteEcosystem(job.space, job.ecosystem)
    case 'purge':
      return repository.purge(job.space)
    case 'read':
      return Buffer.from(JSON.stringify(repository.byEcosystem(job.space, job.ecosystem)))
  }
}
