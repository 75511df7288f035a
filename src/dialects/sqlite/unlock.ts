/**
 * The holder of a SQLite lock row (src/dialects/sqlite/lock.ts) and clearing it by hand: what
 * `okra migrate:unlock` needs for a row left by a process on another host, which is never taken over.
 */
import { hostname } from 'node:os'
import type { Driver, LockHolder } from '../driver'
import { processAlive } from './lock'

const LOCK_TABLE = '_okra_lock'

export async function sqliteLockHolder(driver: Driver, key: string): Promise<LockHolder | null> {
  if (!(await driver.tableExists(LOCK_TABLE))) return null
  const [row] = await driver.query<{ pid: number; host: string; token: string; acquired_at: string }>(
    `SELECT "pid", "host", "token", "acquired_at" FROM "${LOCK_TABLE}" WHERE "key" = $1`,
    [key],
  )
  if (!row) return null
  const here = row.host === hostname()
  return { kind: 'row', pid: row.pid, host: row.host, since: row.acquired_at, token: row.token, alive: here ? processAlive(row.pid) : undefined }
}

/** Deletes the row only if it is still `holder`'s claim (a token changes with every claim). */
export async function clearSqliteLock(driver: Driver, key: string, holder: LockHolder): Promise<boolean> {
  if (holder.kind !== 'row' || !(await driver.tableExists(LOCK_TABLE))) return false
  const removed = await driver.transaction((tx) => tx.query(`DELETE FROM "${LOCK_TABLE}" WHERE "key" = $1 AND "token" = $2 RETURNING "key"`, [key, holder.token]))
  return removed.length > 0
}
