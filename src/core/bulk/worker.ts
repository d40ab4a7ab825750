// The bulk worker: a thread with its own connection to the database file, running the jobs of
// jobs.ts one at a time for the server (runner.ts), so that the server's event loop never waits
// for a large load, reset, delete or read.
import { parentPort, workerData } from 'node:worker_threads'
import { demoFinancialEntities, demoLeads, demoUsers } from '../../../seed/demo.js'
import { openDatabase } from '../db/open.js'
import { FixtureError } from '../errors.js'
import { FinancialEntityRepository } from '../financial-entities/repository.js'
import { LeadRepository } from '../leads/repository.js'
import { EMPTY_SEED, type SeedData } from '../seed-data.js'
import { UserRepository } from '../users/repository.js'
import { SandboxWriter } from '../sandboxes/creation.js'
import { SandboxStore } from '../sandboxes/store.js'
import { runJob, type BulkJob } from './jobs.js'
import { transferable, type BulkWorkerData } from './runner.js'

const data = workerData as BulkWorkerData
const db = openDatabase(data.databasePath)
const repositories = { leads: new LeadRepository(db, data.limits), financialEntities: new FinancialEntityRepository(db), users: new UserRepository(db) }
let demo: SeedData | undefined
const demoSeed = (): SeedData => (demo ??= { leads: demoLeads(), financialEntities: demoFinancialEntities(), users: demoUsers() })
const sandboxes = new SandboxWriter(db, new SandboxStore(db), repositories, { maxSandboxes: data.maxSandboxes, now: Date.now, demo: demoSeed })
const sharedSeed = (): SeedData => data.sharedSeed === 'demo' ? demoSeed() : data.sharedSeed === 'none' ? EMPTY_SEED : data.sharedSeed
const context = { db, repositories, sandboxes, sharedSeed }

parentPort?.on('message', ({ id, job, stop }: { id: number, job: BulkJob, stop?: true }) => {
  if (stop === true) {
    // Nothing left to wait for once the port is closed: the thread ends.
    db.close()
    parentPort?.close()
    return
  }
  try {
    const value = runJob(context, job)
    const transfer = value instanceof Uint8Array ? transferable(value) : []
    parentPort?.postMessage({ id, ok: true, value }, transfer)
  } catch (error) {
    const { statusCode, message } = error as FixtureError
    parentPort?.postMessage({ id, ok: false, statusCode: error instanceof FixtureError ? statusCode : 500, message, name: (error as Error).name })
  }
})
