import Database from 'better-sqlite3'
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ConfigError } from '../src/core/errors.js'
import { migrate, schemaVersion } from '../src/core/db/migrate.js'
import { explain, openDatabase } from '../src/core/db/open.js'
import { LATEST_SCHEMA as LATEST, temporaryDirectory } from './helper.js'

t.test('a fresh database is migrated to the newest version, and a second run does nothing', async (t) => {
  const db = new Database(':memory:')
  t.after(() => db.close())
  t.same(migrate(db), Array.from({ length: LATEST }, (_, index) => index + 1))
  t.equal(schemaVersion(db), LATEST)
  t.same(migrate(db), [], 'running the migrations again applies nothing')
  t.equal(schemaVersion(db), LATEST)
})

t.test('the leads table is STRICT, with CHECKed JSON columns and an index per lookup', async (t) => {
  const db = new Database(':memory:')
  t.after(() => db.close())
  migrate(db)
  const insert = db.prepare(`INSERT INTO leads (id, name, lastname, business_name, status, phone, email, nit, address,
    ecosystem, business_entity, quota, history, payment_data, additional_data) VALUES
    (@id, 'n', 'l', 'b', 's', '573000000000', 'e', '1-8', 'a', 'eco', 'x', @quota, @history, @payment_data, @additional_data)`)
  const row = { id: 'ok', quota: 1, history: '[]', payment_data: '{}', additional_data: '{}' }
  insert.run(row)
  const rejected: Array<[string, Record<string, unknown>, RegExp]> = [
    ['history that is not JSON', { history: 'not json' }, /CHECK constraint failed: json_valid\(history\)/],
    ['history that is an object', { history: '{}' }, /CHECK constraint failed/],
    ['payment_data that is an array', { payment_data: '[]' }, /CHECK constraint failed: json_valid\(payment_data\)/],
    ['additional_data that is a string', { additional_data: '"x"' }, /CHECK constraint failed: json_valid\(additional_data\)/],
    ['a quota that is text', { quota: 'lots' }, /cannot store TEXT value in REAL column leads.quota/]
  ]
  for (const [what, change, message] of rejected) {
    t.throws(() => insert.run({ ...row, id: what, ...change }), message, what)
  }
  t.equal(db.prepare('SELECT count(*) FROM leads').pluck().get(), 1, 'nothing but the good row was written')

  const plan = (sql: string): string => db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all().map((step) => (step as { detail: string }).detail).join('; ')
  t.match(plan("SELECT * FROM leads WHERE sandbox = 0 AND ecosystem = 'x' ORDER BY seq"), /^SEARCH leads USING INDEX leads_by_ecosystem \(sandbox=\? AND ecosystem=\?\)$/)
  t.match(plan("SELECT * FROM leads WHERE sandbox = 0 AND phone = 'x' ORDER BY seq LIMIT 1"), /^SEARCH leads USING INDEX leads_by_phone \(sandbox=\? AND phone=\?\)$/)
  t.match(plan('DELETE FROM leads WHERE sandbox = 3'), /USING (COVERING )?INDEX .*\(sandbox=\?\)/, 'a sandbox\'s leads go in one range')
  t.match(plan("SELECT * FROM sandboxes WHERE token_digest = 'x'"), /^SEARCH sandboxes USING INDEX sqlite_autoindex_sandboxes_\d \(token_digest=\?\)$/)
  t.match(plan('SELECT * FROM sandboxes WHERE expires_at <= 5'), /^SEARCH sandboxes USING INDEX sandboxes_by_expiry \(expires_at<\?\)$/)
})

t.test('a database newer than the code is refused, naming the file and both versions', async (t) => {
  const db = new Database(':memory:')
  t.after(() => db.close())
  db.pragma('user_version = 99')
  const error = t.throws(() => migrate(db), ConfigError)
  t.match((error as Error).message, new RegExp(`^DATABASE_PATH: :memory: has schema version 99, newer than this leancore-mock supports \\(${LATEST}\\); upgrade leancore-mock or use another file$`))
})

t.test('a migration that does not set its version is rolled back and reported', async (t) => {
  const directory = temporaryDirectory(t)
  writeFileSync(join(directory, '0001_ok.sql'), 'CREATE TABLE a (x INTEGER); PRAGMA user_version = 1;')
  writeFileSync(join(directory, '0002_forgot_version.sql'), 'CREATE TABLE b (x INTEGER);')
  writeFileSync(join(directory, 'notes.txt'), 'not a migration')
  const db = new Database(':memory:')
  t.after(() => db.close())
  t.throws(() => migrate(db, directory), /0002_forgot_version.sql left user_version at 1; it must end with PRAGMA user_version = 2;/)
  t.equal(schemaVersion(db), 1, 'the first step stays applied')
  t.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'b'").pluck().get(), 0, 'the failed step left nothing behind')
})

t.test('an empty migrations directory leaves the database alone', async (t) => {
  const db = new Database(':memory:')
  t.after(() => db.close())
  t.same(migrate(db, temporaryDirectory(t)), [])
  t.equal(schemaVersion(db), 0)
})

t.test('the shipped migrations are numbered from 1 without gaps', async (t) => {
  const versions = readdirSync(new URL('../migrations/', import.meta.url)).filter((file) => file.endsWith('.sql')).map((file) => Number(file.slice(0, 4))).sort((a, b) => a - b)
  t.ok(versions.length > 0)
  t.same(versions, versions.map((_, i) => i + 1))
})

t.test('openDatabase: a file database runs in WAL mode with a busy timeout', async (t) => {
  const directory = temporaryDirectory(t)
  const db = openDatabase(join(directory, 'leancore.db'))
  t.after(() => db.close())
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal')
  t.equal(db.pragma('busy_timeout', { simple: true }), 5000)
})

t.test('openDatabase: problems with the path are ConfigErrors naming DATABASE_PATH', async (t) => {
  const directory = temporaryDirectory(t)
  t.throws(() => openDatabase(join(directory, 'missing', 'leancore.db')), {
    name: 'ConfigError',
    message: `DATABASE_PATH: the directory ${join(directory, 'missing')} does not exist; create it or point DATABASE_PATH elsewhere`
  })
  writeFileSync(join(directory, 'a-file'), 'x')
  t.throws(() => openDatabase(join(directory, 'a-file', 'leancore.db')), {
    name: 'ConfigError',
    message: `DATABASE_PATH: ${join(directory, 'a-file')} is not a directory`
  })
  const notSqlite = join(directory, 'notes.db')
  writeFileSync(notSqlite, 'These are my notes, not a database.\n'.repeat(100))
  t.throws(() => openDatabase(notSqlite), { name: 'ConfigError', message: `DATABASE_PATH: ${notSqlite} is not a SQLite database` })
  mkdirSync(join(directory, 'a-directory.db'))
  t.throws(() => openDatabase(join(directory, 'a-directory.db')), {
    name: 'ConfigError',
    message: /^DATABASE_PATH: cannot write .*a-directory\.db \(SQLITE_CANTOPEN\); check that its directory is writable by this user$/
  })
})

t.test('openDatabase creates the directory when asked to (the built-in default)', async (t) => {
  const directory = temporaryDirectory(t)
  const db = openDatabase(join(directory, 'data', 'nested', 'leancore.db'), { createDirectory: true })
  t.after(() => db.close())
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal')
})

t.test('migrations are the NNNN_name.sql files of their directory, applied in the order of their numbers', async (t) => {
  const directory = temporaryDirectory(t)
  const step = (version: number): string => `CREATE TABLE step_${version} (x); INSERT INTO steps VALUES (${version}); PRAGMA user_version = ${version};`
  writeFileSync(join(directory, '0001_start.sql'), `CREATE TABLE steps (version INTEGER); ${step(1).replace('CREATE TABLE step_1 (x); ', '')}`)
  writeFileSync(join(directory, '0010_tenth.sql'), step(10))
  writeFileSync(join(directory, '0002_second.sql'), step(2))
  // Not migrations: a prefix before the number, a backup, notes.
  writeFileSync(join(directory, 'x0003_prefixed.sql'), 'SELECT no_such_function();')
  writeFileSync(join(directory, '0004_backup.sql.bak'), 'SELECT no_such_function();')
  writeFileSync(join(directory, 'README.md'), '# notes')
  const db = new Database(':memory:')
  t.after(() => db.close())
  t.same(migrate(db, directory), [1, 2, 10])
  t.same(db.prepare('SELECT version FROM steps').pluck().all(), [1, 2, 10], 'each in turn')
  db.pragma('user_version = 11')
  t.throws(() => migrate(db, directory), /has schema version 11, newer than this leancore-mock supports \(10\)/, 'the newest is the highest number')
})

t.test('SQLite refusing to write the file is a ConfigError naming DATABASE_PATH; anything else is passed on', async (t) => {
  for (const code of ['SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_PERM', 'SQLITE_IOERR_WRITE']) {
    const explained = explain(new Database.SqliteError('refused', code), 'data/x.db')
    t.ok(explained instanceof ConfigError, code)
    t.match(explained, { message: `DATABASE_PATH: cannot write data/x.db (${code}); check that its directory is writable by this user` })
  }
  t.match(explain(new Database.SqliteError('file is not a database', 'SQLITE_NOTADB'), 'data/x.db'), { message: 'DATABASE_PATH: data/x.db is not a SQLite database' })
  const other = new Database.SqliteError('disk I/O error', 'SQLITE_IOERR_READ')
  t.equal(explain(other, 'data/x.db'), other)
})
