import Database from 'better-sqlite3'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { migrate } from '../src/core/db/migrate.js'
import { openDatabase } from '../src/core/db/open.js'
import { LeadRepository, StoredLeadError } from '../src/core/leads/repository.js'
import { generateLeads } from '../seed/generate.js'
import type { Lead } from '../src/core/leads/schema.js'
import { temporaryDirectory } from './helper.js'

const ECO_A = '11111111-1111-4111-8111-111111111111'
const ECO_B = '22222222-2222-4222-8222-222222222222'

function leads (): Lead[] {
  return [...generateLeads([{ id: ECO_A, size: 3 }, { id: ECO_B, size: 2 }], 99)]
}

function repository (t: Test): { db: Database.Database, repo: LeadRepository } {
  const db = new Database(':memory:')
  t.after(() => db.close())
  migrate(db)
  return { db, repo: new LeadRepository(db) }
}

t.test('reads: by ecosystem in write order, by phone, pages and counts', async (t) => {
  const { repo } = repository(t)
  const all = leads()
  t.equal(repo.upsert(0, all), 5)
  t.same(repo.byEcosystem(0, ECO_A), all.slice(0, 3))
  t.same(repo.byEcosystem(0, '33333333-3333-4333-8333-333333333333'), [])
  t.same(repo.byPhone(0, all[4]?.phone as string), all[4])
  t.equal(repo.byPhone(0, '570000000000'), undefined)
  t.same(repo.page(0, { limit: 2, offset: 1 }), { total: 5, leads: all.slice(1, 3) })
  t.same(repo.page(0, { ecosystem: ECO_B, limit: 10, offset: 0 }), { total: 2, leads: all.slice(3) })
  t.equal(repo.count(0), 5)
})

t.test('writes: replace by id, delete by ecosystem, by id and all, replace everything', async (t) => {
  const { repo } = repository(t)
  const all = leads()
  repo.upsert(0, all)
  repo.upsert(0, [{ ...(all[0] as Lead), status: 'rejected' }])
  t.equal(repo.count(0), 5, 'an upsert of a known id replaces it')
  t.equal(repo.byEcosystem(0, ECO_A)[0]?.status, 'rejected')
  t.equal(repo.deleteEcosystem(0, ECO_B), 2)
  t.equal(repo.deleteById(0, all[1]?.id as string), true)
  t.equal(repo.deleteById(0, 'no-such-id'), false)
  t.equal(repo.count(0), 2)
  t.equal(repo.replaceAll(0, all.slice(3)), 2)
  t.same(repo.page(0, { limit: 10, offset: 0 }).leads, all.slice(3))
  t.equal(repo.deleteAll(0), 2)
  t.equal(repo.count(0), 0)
})

t.test('a write that fails half way writes nothing', async (t) => {
  const { repo } = repository(t)
  const all = leads()
  const broken = { ...(all[2] as Lead), quota: 'lots' as unknown as number }
  t.throws(() => repo.upsert(0, [all[0] as Lead, all[1] as Lead, broken]), /cannot store TEXT value in REAL column/)
  t.equal(repo.count(0), 0)
  repo.upsert(0, all)
  t.throws(() => repo.replaceAll(0, [broken]))
  t.equal(repo.count(0), 5, 'a failed replaceAll keeps the old leads')
})

t.test('a lead the database refuses is named, as a client error; a failure that is not the lead\'s is not blamed on it', async (t) => {
  const { repo, db } = repository(t)
  const all = leads()
  const broken = { ...(all[1] as Lead), quota: 'lots' as unknown as number }
  t.throws(() => repo.upsert(0, [all[0] as Lead, broken]), {
    name: 'LeadValidationError',
    statusCode: 400,
    message: `lead 1 (id ${JSON.stringify(broken.id)}): the database refused it (SQLITE_CONSTRAINT_DATATYPE: cannot store TEXT value in REAL column leads.quota)`
  })
  // A trigger that fails on its own: the database's problem, not the lead's.
  db.exec("CREATE TRIGGER broken BEFORE INSERT ON leads BEGIN SELECT json('not json'); END")
  t.throws(() => repo.upsert(0, [all[0] as Lead]), { name: 'SqliteError', code: 'SQLITE_ERROR', message: 'malformed JSON' })
  t.equal(repo.count(0), 0, 'and neither wrote anything')
})

t.test('generation moves on every write, here or through another connection, and only then', async (t) => {
  const directory = temporaryDirectory(t)
  const path = join(directory, 'leancore.db')
  const db = openDatabase(path)
  t.after(() => db.close())
  migrate(db)
  const repo = new LeadRepository(db)
  const g0 = repo.generation(0)
  t.equal(repo.generation(0), g0, 'reading does not move it')
  repo.upsert(0, leads())
  const g1 = repo.generation(0)
  t.not(g1, g0, 'a write through this repository moves it')
  t.throws(() => repo.upsert(0, [{ ...leads()[0] as Lead, quota: 'x' as unknown as number }]))
  const g2 = repo.generation(0)
  t.not(g2, g1, 'a failed write moves it too, to be safe')

  const other = openDatabase(path)
  t.after(() => other.close())
  other.prepare("UPDATE leads SET status = 'changed elsewhere'").run()
  const g3 = repo.generation(0)
  t.not(g3, g2, "another connection's commit moves it")
  t.equal(repo.byEcosystem(0, ECO_A)[0]?.status, 'changed elsewhere')
  t.equal(repo.generation(0), g3)
})

t.test('a row with broken JSON, written around the CHECKs, is reported by lead id and column', async (t) => {
  const { db, repo } = repository(t)
  const all = leads()
  repo.upsert(0, all)
  db.pragma('ignore_check_constraints = ON')
  db.prepare("UPDATE leads SET payment_data = '{broken' WHERE id = ?").run(all[1]?.id)
  const error = t.throws(() => repo.byEcosystem(0, ECO_A))
  t.type(error, StoredLeadError)
  t.match(error, { name: 'StoredLeadError', leadId: all[1]?.id, column: 'payment_data', message: `Stored lead "${all[1]?.id as string}" has invalid JSON in payment_data; fix or delete that row` })
})
