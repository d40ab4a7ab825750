import type { Database } from 'better-sqlite3'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from '../errors.js'
import { packagePath } from '../package-path.js'

const MIGRATIONS_DIRECTORY = packagePath('migrations')

interface Migration {
  version: number
  file: string
}

const MIGRATION_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/

interface MigrationFiles { migrations: Migration[], sql: Map<string, string> }

// The shipped files are read once per process: a test suite opens many databases.
let shipped: MigrationFiles | undefined

function readMigrations (directory: string): MigrationFiles {
  const migrations = listMigrations(directory)
  return { migrations, sql: new Map(migrations.map(({ file }) => [file, readFileSync(file, 'utf8')])) }
}

function listMigrations (directory: string): Migration[] {
  const migrations = readdirSync(directory)
    .filter((file) => MIGRATION_FILE.test(file))
    .map((file) => ({ version: Number(file.slice(0, 4)), file: join(directory, file) }))
  // Stryker disable next-line MethodExpression,ArrowFunction,ArithmeticOperator: equivalent, Node's readdir lists names sorted, and four-digit numbers sort as text as they do as numbers; this only says so
  return migrations.sort((a, b) => a.version - b.version)
}

/**
 * Brings the database to the newest schema: each pending file in its own transaction, the version
 * kept in PRAGMA user_version (set by the file itself). Applying it again does nothing. Returns
 * the versions it applied.
 */
export function migrate (db: Database, directory = MIGRATIONS_DIRECTORY): number[] {
  // Stryker disable next-line ConditionalExpression: equivalent, the shipped files read again are the same files
  const { migrations, sql } = directory === MIGRATIONS_DIRECTORY ? (shipped ??= readMigrations(directory)) : readMigrations(directory)
  const latest = migrations.at(-1)?.version ?? 0
  const applied: number[] = []
  for (const { version, file } of migrations) {
    // The version is read inside the write lock: another process starting on the same file may
    // have applied this step a moment ago.
    const ran = db.transaction(() => {
      const current = schemaVersion(db)
      if (current > latest) {
        throw new ConfigError(
          'DATABASE_PATH',
          `${db.name} has schema version ${current}, newer than this leancore-mock supports (${latest}); upgrade leancore-mock or use another file`
        )
      }
      if (current >= version) return false
      db.exec(sql.get(file) as string)
      const reached = schemaVersion(db)
      if (reached !== version) {
        throw new Error(`${file} left user_version at ${reached}; it must end with PRAGMA user_version = ${version};`)
      }
      return true
    }).immediate()
    if (ran) applied.push(version)
  }
  return applied
}

export function schemaVersion (db: Database): number {
  return db.pragma('user_version', { simple: true }) as number
}
