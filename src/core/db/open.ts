import Database from 'better-sqlite3'
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { ConfigError } from '../errors.js'

// Stryker disable next-line StringLiteral: equivalent, SQLite knows ':memory:' itself; the fixture only uses this to cache a seeded image, which is speed
export const MEMORY = ':memory:'

export interface OpenOptions {
  /** Create the file's directory when it is missing (only the built-in default does this). */
  createDirectory?: boolean
}

/**
 * Opens the SQLite file at `path` for a server: WAL so that readers never wait for a writer, and
 * a busy timeout so that two processes on one file queue instead of failing. Problems a user can
 * fix come out as ConfigError naming DATABASE_PATH. A Buffer (Database.serialize()) opens as a new
 * in-memory database holding a copy of it.
 */
export function openDatabase (path: string | Buffer, options: OpenOptions = {}): Database.Database {
  // ':memory:' passes too: its "directory" is the working directory.
  if (typeof path === 'string') checkDirectory(path, options.createDirectory === true)
  let db: Database.Database | undefined
  try {
    db = new Database(path)
    db.pragma('busy_timeout = 5000')
    // Leads are about 1 KB each: 8 KiB pages hold more of them and split less, which makes a large
    // seed faster (the README's Performance section). Only takes effect on a new file, before WAL is on.
    db.pragma('page_size = 8192')
    // An in-memory database keeps its MEMORY journal: SQLite answers the request without changing it.
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    return db
  } catch (error) {
    db?.close()
    throw explain(error, String(path))
  }
}

function checkDirectory (path: string, create: boolean): void {
  const directory = dirname(resolve(path))
  if (!existsSync(directory)) {
    if (!create) {
      throw new ConfigError('DATABASE_PATH', `the directory ${directory} does not exist; create it or point DATABASE_PATH elsewhere`)
    }
    mkdirSync(directory, { recursive: true })
  } else if (!statSync(directory).isDirectory()) {
    throw new ConfigError('DATABASE_PATH', `${directory} is not a directory`)
  }
}

/** Turns SQLite's codes into a sentence about the file the user gave. */
export function explain (error: unknown, path: string): unknown {
  const code = (error as { code?: string }).code
  if (code === 'SQLITE_NOTADB') {
    return new ConfigError('DATABASE_PATH', `${path} is not a SQLite database`)
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM' || code === 'SQLITE_IOERR_WRITE') {
    return new ConfigError('DATABASE_PATH', `cannot write ${path} (${code}); check that its directory is writable by this user`)
  }
  return error
}
