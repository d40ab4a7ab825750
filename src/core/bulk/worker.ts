// The bulk worker: a thread with its own connection to the database file, running the jobs of
// jobs.ts one at a time for the server (runner.ts), so that the server's event loop never waits
// for a large load, reset, delete or read.
import { parentPort, workerData } from 'node:worker_threads'
import { demoLeads } from '../../../seed/demo.js'
import { openDatabase } from '../db/open.js'
import { FixtureError } from '../errors.js'
import { LeadRepository } from '../leads/repository.js'
import type { Lead } from '../leads/schema.js'
import { SandboxWriter } from '../sandboxes/creation.js'
import { SandboxStore } from '../sandboxes/store.js'
import { runJob, type BulkJob } from './jobs.js'
import { transferable, type BulkWorkerData } from './runner.js'

const data = workerData as BulkWorkerData
const db = openDatabase(data.databasePath)
const repository = new LeadRepository(db, data.limits)
let demo: Lead[] | undefined
const demoSeed = (): Lead[] => (demo ??= demoLeads())
const sandboxes = new SandboxWriter(db, new SandboxStore(db), repository, { maxSandboxes: data.maxSandboxes, now: Date.now, demo: demoSeed })
const sharedSeed = (): Lead[] => data.sharedSeed === 'demo' ? demoSeed() : data.sharedSeed === 'none' ? [] : data.sharedSeed
const context = { db, repository, sandboxes, sharedSeed }

parentPort?.on('message', ({ id, job }: { id: number, job: BulkJob }) => {
  try {
    const value = runJob(context, job)
    const transfer = value instanceof Uint8Array ? transferable(value) : []
    parentPort?.postMessage({ id, ok: true, value }, transfer)
  } catch (error) {
    const { statusCode, message } = error as FixtureError
    parentPort?.postMessage({ id, ok: false, statusCode: error instanceof FixtureError ? statusCode : 500, message, name: (error as Error).name })
  }
})
