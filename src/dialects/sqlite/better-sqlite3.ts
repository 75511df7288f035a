/**
 * better-sqlite3, loaded when a SQLite database is first opened (a command on PostgreSQL never loads it).
 * Its native addon is loaded from where npm's install puts it: left to itself, better-sqlite3 searches
 * several places through the `bindings` package, which costs a short `okra` command about 8 ms. When the
 * addon is not there (another layout, a debug build), better-sqlite3 searches as it always does.
 */
import type BetterSqlite3 from 'better-sqlite3'
import { installed, requireBetterSqlite3 } from '../packages'

let loaded: { Database: typeof BetterSqlite3; addon?: string } | undefined

export function openBetterSqlite(file: string, options: BetterSqlite3.Options): BetterSqlite3.Database {
  if (!loaded) {
    const Database = requireBetterSqlite3()
    let addon: string | undefined
    try {
      addon = installed.resolve('better-sqlite3/build/Release/better_sqlite3.node')
    } catch {
      addon = undefined
    }
    loaded = { Database, addon }
  }
  return new loaded.Database(file, loaded.addon ? { ...options, nativeBinding: loaded.addon } : options)
}
