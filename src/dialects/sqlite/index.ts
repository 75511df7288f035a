/**
 * SQLite, as OKRA uses it: a local file (or `:memory:`) opened with better-sqlite3. Tables change by
 * ALTER TABLE where it suffices and by the table rebuild procedure of sqlite.org otherwise; enums are
 * TEXT with a CHECK; the write transaction is the lock that keeps syncs apart.
 */
import { existsSync } from 'node:fs'
import { isAbsolute, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { maskUrl } from '../../config/url'
import { OkraError } from '../../errors'
import { displayPath } from '../../fs'
import { outsideTransaction, sql } from '../../sql/statement'
import type { DatabaseTarget, Dialect } from '../dialect'
import { sqliteBehaviour } from './behaviour'
import { unsupportedUrl } from '../url'
import { SQLITE_BACKUP_DIR, listSqliteBackups, sqliteBackupLabel } from './backup'
import { quote } from './ddl'
import { keepThroughRebuilds } from './keep-through-rebuilds'
import { SQLITE_SYNTAX } from './syntax'
import { renderSqlite } from './render'
import { sqliteTypes } from './types'

/** `sqlite://path`, `sqlite://:memory:`, `file:path`: the file, absolute (relative to `root`), or `:memory:`. */
function target(url: string, root: string): DatabaseTarget {
  const displayUrl = maskUrl(url)
  const match = /^(?:sqlite:(?:\/\/)?|file:)(.*)$/i.exec(url)
  if (!match) throw unsupportedUrl(url)
  const path = match[1]!.replace(/[?#].*$/, '')
  const target = (file: string): DatabaseTarget => ({ provider: 'sqlite', file, displayUrl, secrets: [] })
  if (path === ':memory:') return target(':memory:')
  if (path === '') {
    throw new OkraError(`The SQLite URL ${displayUrl} names no file`, 'Write it as sqlite://./dev.db (relative to the project root) or sqlite:///absolute/path.db.')
  }
  if (/^file:\/\//i.test(url)) return target(fileURLToPath(url.replace(/[?#].*$/, '')))
  return target(isAbsolute(path) ? path : resolve(root, path))
}

/** The database file and its -wal / -shm companions, when the file is inside the project. */
function localFiles(url: string, root: string): string[] {
  const file = target(url, root).file!
  const inside = relative(root, file).split('\\').join('/')
  return file === ':memory:' || inside.startsWith('..') || isAbsolute(inside) ? [] : [inside, `${inside}-wal`, `${inside}-shm`]
}

export const sqlite: Dialect = {
  provider: 'sqlite',
  displayName: 'SQLite',
  behaviour: sqliteBehaviour,
  types: sqliteTypes,
  quote,
  syntax: SQLITE_SYNTAX,
  render: renderSqlite,
  // PRAGMA foreign_keys does nothing inside a transaction.
  runsOutsideTransaction: (statement) => /^PRAGMA\s+foreign_keys\s*=/i.test(statement),
  keepThroughRebuilds,
  // With foreign keys on, dropping a parent would delete rows of other tables through ON DELETE CASCADE.
  resetStatements: ({ tables }, create) => [
    outsideTransaction('PRAGMA foreign_keys = OFF'),
    ...tables.map((t) => sql(`DROP TABLE IF EXISTS ${quote.identifier(t)}`)),
    ...create,
    outsideTransaction('PRAGMA foreign_keys = ON'),
  ],
  timeType: 'TEXT',
  syncIsolation: 'recheck-on-write',
  // origin 'u': a UNIQUE written in CREATE TABLE (OKRA writes CREATE UNIQUE INDEX, origin 'c').
  hasDatabaseNamedIndexes: async (db) =>
    (await db.query(`SELECT 1 AS "found" FROM sqlite_master m JOIN pragma_index_list(m.name) il WHERE m.type = 'table' AND il.origin = 'u' LIMIT 1`)).length > 0,
  backupBeforeMigrations: true,
  newProject: { urlInConfig: true, testUrl: 'sqlite://:memory:', localFiles },
  backupPlace: (t, root) =>
    `a copy of ${t.file === ':memory:' ? 'the in-memory database' : displayPath(root, t.file!)} in ${SQLITE_BACKUP_DIR}/${sqliteBackupLabel(t.file!)}-<time>.db`,
  backupLabel: (t) => sqliteBackupLabel(t.file!),
  localBackups: (t, root) => listSqliteBackups(root, t.file!),
  target,
  exists: (t) => t.file !== ':memory:' && existsSync(t.file!),
  connect: async (t) => (await import('./driver')).openSqlite(t, sqlite),
}
