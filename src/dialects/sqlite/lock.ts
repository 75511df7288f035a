/**
 * OKRA's lock on a SQLite database. SQLite has no session locks that outlive a transaction, so the lock
 * is a row in `_okra_lock` (key, holder pid, host, a random token, since when), claimed under BEGIN
 * IMMEDIATE: the database file itself serialises the claim, and the busy timeout makes claimers queue.
 * A waiter polls every 100 ms until its timeout, then names the holder's pid.
 *
 * A holder that died cannot delete its row, so a row is taken over when it is stale: its process is no
 * longer alive on this host, or it belongs to this very process but no open driver holds it any more.
 * (A holder on another host is never presumed dead.)
 */
import { randomUUID } from '../../hash'
import { hostname } from 'node:os'
import { OkraError } from '../../errors'
import { type Driver, LockLostError } from '../driver'

const POLL_MS = 100
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_okra_lock" ("key" TEXT NOT NULL PRIMARY KEY, "pid" INTEGER NOT NULL, "host" TEXT NOT NULL, "token" TEXT NOT NULL, "acquired_at" TEXT NOT NULL)`

interface LockRow {
  pid: number
  host: string
  token: string
  acquired_at: string
}

/** Tokens of the locks this process holds, by the driver holding them. */
const heldByDriver = new Map<Driver, Map<string, string>>()

function heldHere(token: string): boolean {
  for (const held of heldByDriver.values()) if (held.has(token)) return true
  return false
}

export async function acquireSqliteLock(driver: Driver & { isOpen: boolean }, key: string, timeoutMs: number): Promise<() => Promise<void>> {
  await driver.exec(CREATE_TABLE)
  const token = randomUUID()
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const holder = await driver.transaction(async (tx) => {
      const [row] = await tx.query<LockRow>('SELECT "pid", "host", "token", "acquired_at" FROM "_okra_lock" WHERE "key" = $1', [key])
      if (row && !isStale(row)) return row
      await tx.query('INSERT OR REPLACE INTO "_okra_lock" ("key", "pid", "host", "token", "acquired_at") VALUES ($1, $2, $3, $4, $5)', [
        key,
        process.pid,
        hostname(),
        token,
        new Date().toISOString(),
      ])
      return undefined
    })
    if (!holder) break
    const left = deadline - Date.now()
    if (left <= 0) throw lockTimeout(driver.displayUrl, key, timeoutMs, holder)
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, left)))
  }
  const held = heldByDriver.get(driver) ?? new Map<string, string>()
  heldByDriver.set(driver, held.set(token, key))
  return async () => {
    if (!held.delete(token)) return
    if (held.size === 0) heldByDriver.delete(driver)
    if (driver.isOpen) await driver.query('DELETE FROM "_okra_lock" WHERE "key" = $1 AND "token" = $2', [key, token])
  }
}

/** Gives back every lock `driver` still holds (on close). */
export async function releaseAllSqliteLocks(driver: Driver): Promise<void> {
  const held = heldByDriver.get(driver)
  if (!held) return
  heldByDriver.delete(driver)
  for (const [token, key] of held) await driver.query('DELETE FROM "_okra_lock" WHERE "key" = $1 AND "token" = $2', [key, token])
  held.clear()
}

function isStale(row: LockRow): boolean {
  if (row.host !== hostname()) return false
  if (row.pid === process.pid) return !heldHere(row.token)
  return !processAlive(row.pid)
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as { code?: string }).code === 'EPERM'
  }
}

function lockTimeout(displayUrl: string, key: string, timeoutMs: number, holder: LockRow): OkraError {
  const where = holder.host === hostname() ? '' : ` on host ${holder.host}`
  // Only a holder on this host can be seen to be gone (and is then taken over without asking); one on
  // another host (a replaced container) may be alive, so clearing it is the operator's call.
  const hint =
    holder.host === hostname()
      ? `Wait for that process to finish (or stop it: kill ${holder.pid}), then run the command again.`
      : `Wait for that process to finish. If it is gone (a replaced container or machine), OKRA cannot tell from here: ` +
        'clear its lock with `okra migrate:unlock` (it asks first; --force without a terminal), then run the command again.'
  return new OkraError(`Could not take the lock "${key}" on ${displayUrl} within ${timeoutMs / 1000} s: process ${holder.pid}${where} holds it (since ${holder.acquired_at}).`, hint)
}

/**
 * Inside a write transaction (BEGIN IMMEDIATE: no other process can change the row meanwhile): throws a
 * LockLostError unless `_okra_lock` still holds `driver`'s token for `key`. A row taken over (its holder
 * presumed dead) or cleared by hand means another process may be running under the lock now.
 */
export async function proveSqliteLock(driver: Driver, key: string): Promise<void> {
  const token = [...(heldByDriver.get(driver) ?? new Map<string, string>())].find(([, k]) => k === key)?.[0]
  if (token === undefined) throw new LockLostError(key, driver.displayUrl, 'it was given back before this transaction')
  const [row] = await driver.query<LockRow>('SELECT "pid", "host", "token", "acquired_at" FROM "_okra_lock" WHERE "key" = $1', [key])
  if (row?.token === token) return
  throw new LockLostError(
    key,
    driver.displayUrl,
    row ? `its row in _okra_lock now belongs to process ${row.pid} on host ${row.host} (since ${row.acquired_at})` : 'its row in _okra_lock was removed',
  )
}
