import { once } from 'node:events'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { FixtureError } from '../errors.js'
import type { SpaceLimits } from '../leads/repository.js'
import type { SeedData } from '../seed-data.js'
import { LeadValidationError } from '../leads/validate.js'
import { runJob, type BulkContext, type BulkJob, type BulkResults } from './jobs.js'

/** What the bulk worker is started with */
export interface BulkWorkerData {
  databasePath: string
  limits: SpaceLimits
  maxSandboxes: number
  sharedSeed: 'demo' | 'none' | SeedData
}

// The worker as built next to this module: worker.js in dist (per file, and in the bundle, where
// this code is inlined into cli.js or index.js beside worker.js), worker.ts when tests run the source.
const WORKER = new URL(`./worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url)

type Answer = { id: number, ok: true, value: unknown } | { id: number, ok: false, statusCode: number, message: string, name: string }

/**
 * Runs the bulk jobs, one at a time and in order, with the server's own writes (exclusive()) taking
 * their turn between them, so that no write ever waits on the database's lock with the event loop
 * held. On a database file the jobs run in a worker thread on a connection of its own; an in-memory
 * database has only the server's connection, and they run there (the event loop then waits for them).
 */
export class BulkRunner {
  #turn: Promise<unknown> = Promise.resolve()
  #worker: Worker | undefined
  #next = 0
  readonly #pending = new Map<number, { resolve: (value: unknown) => void, reject: (error: Error) => void }>()

  /** `inline` runs the jobs on the server's connection; `worker` starts a worker thread for them. */
  constructor (private readonly inline: BulkContext, private readonly worker: BulkWorkerData | undefined) {}

  /** Runs `job` once every job and write before it is done; rejects with the FixtureError it threw. */
  async run<K extends BulkJob['kind']> (job: BulkJob & { kind: K }): Promise<BulkResults[K]> {
    return await this.#take(async () => await (this.worker === undefined
      ? runJob(this.inline, job)
      : this.#send(job))) as BulkResults[K]
  }

  /** Runs a write of the server's own connection when no bulk job is under way. */
  async exclusive<T> (write: () => T): Promise<T> {
    return await this.#take(write)
  }

  /**
   * Stops the worker, once the jobs under way are done: asked to stop, it closes its connection and
   * ends on its own (a terminated thread would do neither, nor write its V8 coverage).
   */
  async close (): Promise<void> {
    await this.#turn.catch(() => {})
    const worker = this.#worker
    this.#worker = undefined
    if (worker === undefined) return
    const exited = once(worker, 'exit')
    // Held until it has ended: an unreferenced worker would let the process end first.
    worker.ref()
    worker.postMessage({ stop: true })
    await exited
  }

  async #take<T> (work: () => T | Promise<T>): Promise<T> {
    const result = this.#turn.then(work, work)
    this.#turn = result.catch(() => {})
    return await result
  }

  async #send (job: BulkJob): Promise<unknown> {
    const worker = this.#worker ??= this.#start(this.worker as BulkWorkerData)
    const id = ++this.#next
    return await new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject })
      worker.postMessage({ id, job }, 'body' in job ? transferable(job.body) : [])
    })
  }

  #start (data: BulkWorkerData): Worker {
    const worker = new Worker(WORKER, { workerData: data, execArgv: workerFlags(process.execArgv) })
    worker.unref()
    worker.on('message', (answer: Answer) => {
      const pending = this.#pending.get(answer.id)
      this.#pending.delete(answer.id)
      if (answer.ok) return pending?.resolve(answer.value)
      const error = answer.name === 'LeadValidationError' ? new LeadValidationError(answer.message) : new FixtureError(answer.statusCode, answer.message)
      pending?.reject(error)
    })
    worker.on('error', (error) => {
      for (const { reject } of this.#pending.values()) reject(error)
      this.#pending.clear()
      this.#worker = undefined
    })
    return worker
  }
}

/**
 * The flags a worker starts with: the process's (the worker inherits them when given none), but when
 * they hold --input-type, which is for `node -e` and makes a worker refuse its file, the rest without
 * it, and without the V8 heap flags a worker refuses when they are given (`npm start` sets one).
 * @internal (exported for its test)
 */
export function workerFlags (flags: readonly string[]): string[] | undefined {
  if (!flags.some((flag) => flag.startsWith('--input-type'))) return undefined
  return flags.filter((flag) => !/^--(input-type|max-semi-space-size|max-old-space-size)/.test(flag))
}

/**
 * The memory a message may hand over instead of copying: only a buffer that owns all of its
 * ArrayBuffer. A small Buffer shares Node's pool with others, and handing the pool over would empty
 * every one of them.
 */
export function transferable (bytes: Uint8Array): ArrayBuffer[] {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? [bytes.buffer as ArrayBuffer] : []
}
