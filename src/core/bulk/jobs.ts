import type { Database } from 'better-sqlite3'
import { validateFinancialEntities } from '../financial-entities/validate.js'
import { parseJson } from '../json-text.js'
import { validateLeads } from '../leads/validate.js'
import { LeadWriter, readNewLeads } from '../leads/writes.js'
import type { SandboxWriter } from '../sandboxes/creation.js'
import type { CreatedSandbox } from '../sandboxes/schema.js'
import { writeSeed, type Repositories, type SeedData } from '../seed-data.js'
import { validateUsers } from '../users/validate.js'

/** The kinds of records a space holds */
export type BulkTable = 'leads' | 'financial-entities' | 'users'

/**
 * The work that grows with what a client sends or holds: loads of up to 32 MiB, resets, deletes and
 * reads of up to MAX_LEADS_PER_SANDBOX leads. On a database file it runs in the bulk worker, on a
 * connection of its own, so that the event loop keeps answering (WAL lets reads go on meanwhile);
 * each job is one transaction, all or nothing, as it would be on the server's own connection.
 */
export type BulkJob =
  /** POST /__admin/leads (financial-entities, users): a JSON array, added or replaced by id */
  | { kind: 'load', table: BulkTable, space: number, body: Uint8Array }
  /** POST /create-lead?bulk-load=true: a JSON array of create-lead bodies; answers the new leads, with lead_status, as JSON */
  | { kind: 'create-leads', space: number, body: Uint8Array }
  /** POST /__admin/sandboxes with a body: a sandbox, its seed written with it, created at `now` */
  | { kind: 'create-sandbox', body: Uint8Array, now: number }
  /** A space back to its seed */
  | { kind: 'reset', space: number }
  /** Every record of a kind in a space, or of one of its ecosystems */
  | { kind: 'remove', table: BulkTable, space: number, ecosystem: string | undefined }
  /** The leads, entities and users of a deleted sandbox, and its usage row: what the deletion left to do */
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

/** What the jobs run against: a connection, its repositories, and how sandboxes and seeds are written. */
export interface BulkContext {
  db: Database
  repositories: Repositories
  sandboxes: SandboxWriter
  /** What a reset of the shared data writes */
  sharedSeed: () => SeedData
}

export function runJob (context: BulkContext, job: BulkJob): BulkResults[BulkJob['kind']] {
  const { repositories } = context
  const { leads } = repositories
  const json = (body: Uint8Array): unknown => parseJson(Buffer.from(body.buffer, body.byteOffset, body.byteLength))
  switch (job.kind) {
    case 'load':
      return job.table === 'leads'
        ? leads.upsert(job.space, validateLeads(json(job.body)))
        : job.table === 'financial-entities'
          ? leads.write(job.space, () => repositories.financialEntities.upsertAll(job.space, validateFinancialEntities(json(job.body))))
          : leads.write(job.space, () => repositories.users.upsertAll(job.space, validateUsers(json(job.body))))
    case 'create-leads': {
      const created = new LeadWriter(leads, job.space).create(readNewLeads(json(job.body), true))
      return Buffer.from(JSON.stringify(created.map((lead) => ({ ...lead, lead_status: lead.status }))))
    }
    case 'create-sandbox':
      return context.sandboxes.create(json(job.body) ?? {}, job.now)
    case 'reset': {
      const seed = job.space === 0 ? context.sharedSeed() : context.sandboxes.seedOf(job.space)
      return leads.write(job.space, () => writeSeed(repositories, job.space, seed, true))
    }
    case 'remove':
      return job.table === 'leads'
        ? job.ecosystem === undefined ? leads.deleteAll(job.space) : leads.deleteEcosystem(job.space, job.ecosystem)
        : leads.write(job.space, () => (job.table === 'users' ? repositories.users : repositories.financialEntities).deleteAll(job.space, job.ecosystem))
    case 'purge':
      return leads.purge(job.space)
    case 'read':
      return Buffer.from(JSON.stringify(leads.byEcosystem(job.space, job.ecosystem)))
  }
}
