/**
 * The migration lock: one process at a time applies, reverts or resolves migrations on a database. The
 * driver's lock polls a try-lock (PostgreSQL: a session advisory lock on its own connection, gone the moment
 * its process dies; SQLite: a row in `_okra_lock`, taken over when its process is gone), waiting at most
 * the timeout and then naming the holder.
 */
import { type Driver, DriverError, type ReleaseLock } from '../dialects/index'

export const MIGRATION_LOCK = 'migrate'

/** Default of `--lock-timeout`: long enough to wait for another replica's whole run. */
export const DEFAULT_LOCK_TIMEOUT_S = 60

/**
 * Takes the lock. On SQLite, claiming it needs a write transaction, which can itself hit the busy timeout
 * while another process runs a long migration: that is waiting too, so it is retried until the deadline.
 */
export async function takeMigrationLock(driver: Driver, timeoutMs: number): Promise<ReleaseLock> {
  const deadline = Date.now() + timeoutMs
  // The first try waits the whole timeout (its message names it: "within 1 s", not the 0.999 s left a
  // millisecond later); a retry after SQLITE_BUSY waits what is left.
  for (let attempt = 0; ; attempt++) {
    try {
      return await driver.lock(MIGRATION_LOCK, { timeoutMs: attempt === 0 ? timeoutMs : Math.max(0, deadline - Date.now()) })
    } catch (error) {
      const busy = error instanceof DriverError && error.code?.startsWith('SQLITE_BUSY')
      if (!busy || Date.now() >= deadline) throw error
    }
  }
}

/** Runs `fn` holding the lock, and gives it back whatever happens. */
export async function withMigrationLock<T>(driver: Driver, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const release = await takeMigrationLock(driver, timeoutMs)
  try {
    return await fn()
  } finally {
    await release()
  }
}
