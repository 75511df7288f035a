/**
 * `migrateUnlock()`: the way out of a migration lock whose holder is gone but cannot be seen to be gone.
 *
 * SQLite keeps the lock as a row in `_okra_lock`. A row whose process is gone from this host is taken over
 * by the next run without asking; a row from another host (a replaced container) never is, since that
 * process may still be running. This removes such a row after saying whose it is, asking first at a
 * terminal (`force` skips the question, and is needed without one), and refuses while the holder is seen
 * running on this host.
 *
 * PostgreSQL keeps it as a session advisory lock: it belongs to its database session and goes the moment
 * that session ends (also when its process dies), so there is nothing to remove from outside. This names
 * the session holding it and how to end it.
 */
import { type LockHolder, DriverError } from '../dialects/index'
import { OkraError } from '../errors'
import type { Provider } from '../schema/physical-types'
import { MIGRATION_LOCK } from './lock'
import { type MigrationsOptions, openSession, withDatabase } from './session'
import { askOrForce } from '../consent'

export interface MigrateUnlockOptions extends MigrationsOptions {
  /** Remove the lock without asking (needed without a terminal). */
  force?: boolean
  /** Asked before removing, unless `force`; absent, or throwing an OkraError (no terminal): `force` is needed. */
  confirm?: (question: string) => Promise<boolean>
}

export interface MigrateUnlockResult {
  url: string
  provider: Provider
  /** Who held the lock (null: nobody did). */
  holder: LockHolder | null
  /** The lock row was removed. */
  cleared: boolean
}

export async function migrateUnlock(options: MigrateUnlockOptions = {}): Promise<MigrateUnlockResult> {
  const session = await openSession(options)
  return withDatabase(session.config, options, async (driver) => {
    const url = driver.displayUrl
    const holder = await driver.lockHolder(MIGRATION_LOCK)
    if (!holder) return { url, provider: driver.provider, holder: null, cleared: false }
    if (holder.kind === 'session') {
      throw new OkraError(
        `The migration lock of ${url} is held by ${describeHolder(holder)}. A PostgreSQL advisory lock belongs to its session: ` +
          'it is released when that session ends (also when its process dies), and there is nothing to remove from outside',
        `If that is a migration still running, wait for it. If the session is stuck, end it (as a superuser or its own role): ` +
          `SELECT pg_terminate_backend(${holder.pid}); then run the command again.`,
      )
    }
    if (holder.alive) {
      throw new OkraError(
        `The migration lock of ${url} is held by ${describeHolder(holder)}, which is running on this host: not removed`,
        `Wait for it to finish, or stop it (kill ${holder.pid}); a lock whose process is gone from this host is taken over by the next run.`,
      )
    }
    if (!options.force) await askFirst(`Remove the migration lock of ${url} held by ${describeHolder(holder)}? Only do this if that process is gone.`, options.confirm)
    let cleared: boolean
    try {
      cleared = await driver.clearLock(MIGRATION_LOCK, holder)
    } catch (error) {
      if (error instanceof DriverError && error.code?.startsWith('SQLITE_BUSY')) {
        throw new OkraError(`${url} is busy writing: the lock was not removed`, 'Run okra migrate:unlock again in a moment.')
      }
      throw error
    }
    if (!cleared) {
      throw new OkraError(`The migration lock of ${url} was released or taken again meanwhile: nothing was removed`, 'Run okra migrate:unlock again to see who holds it now.')
    }
    return { url, provider: driver.provider, holder, cleared }
  })
}

/** `process 4242 on host build-7 (since 2026-...)`, `PostgreSQL session 812 (application "okra-lock", ...)`. */
export function describeHolder(holder: LockHolder): string {
  if (holder.kind === 'row') {
    const where = holder.host ? ` on host ${holder.host}` : ''
    const state = holder.alive === false ? ', no longer running' : holder.alive === undefined ? ', which cannot be checked from here' : ''
    return `process ${holder.pid}${where} (since ${holder.since ?? '?'}${state})`
  }
  const parts = [
    holder.application !== undefined ? `application "${holder.application}"` : undefined,
    holder.user !== undefined ? `user ${holder.user}` : undefined,
    holder.client !== undefined ? `from ${holder.client}` : undefined,
    holder.since !== undefined ? `connected since ${holder.since}` : undefined,
    holder.state !== undefined ? `state ${holder.state}` : undefined,
    holder.query ? `query "${holder.query.replace(/\s+/g, ' ').slice(0, 80)}"` : undefined,
  ].filter((p): p is string => p !== undefined)
  return `PostgreSQL session ${holder.pid}${parts.length ? ` (${parts.join(', ')})` : ''}`
}

function askFirst(question: string, confirm: MigrateUnlockOptions['confirm']): Promise<void> {
  return askOrForce(question, confirm, { risk: 'migrate:unlock removes a lock', verb: 'remove it', cancelled: 'Unlock cancelled: the lock is still there' })
}
