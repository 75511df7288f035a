/**
 * The dialects OKRA speaks, and the one place that chooses between them: everything else asks
 * `dialectOf(provider)` (or a driver's `dialect`) and never which database it is. A new database is a
 * folder beside sqlite/ and postgres/ exporting its Dialect, and one line here.
 */
import { providerOfUrl } from '../config/url'
import type { Provider } from '../schema/physical-types'
import type { DatabaseTarget, Dialect } from './dialect'
import type { Driver } from './driver'
import { postgres } from './postgres/index'
import { endKeptPools, keepPostgresPools } from './postgres/kept-pools'
import { sqlite } from './sqlite/index'
import { unsupportedUrl } from './url'

export type { BackupEntry, BackupRequest, DatabaseTarget, Dialect, PortableFeature, SyncBackup } from './dialect'
export { DEFAULT_BACKUPS_KEPT } from './dialect'
export type { Driver, LockHolder, Queryable, ReleaseLock, StatementTimeouts } from './driver'
export { DriverError, LockLostError, applyTimeouts } from './driver'
export { maskUrl } from './url'

const DIALECTS: Record<Provider, Dialect> = { sqlite, postgres }

export function dialectOf(provider: Provider): Dialect {
  return DIALECTS[provider]
}

/**
 * Where a URL points: `sqlite://path`, `sqlite://:memory:`, `file:path` (relative to `root`),
 * `postgres://...` / `postgresql://...` (`?schema=name` picks the schema, default `public`).
 */
export function databaseTarget(url: string, root: string): DatabaseTarget {
  const provider = providerOfUrl(url)
  if (!provider) throw unsupportedUrl(url)
  return dialectOf(provider).target(url, root)
}

/** Opens the database a URL names (relative paths from `root`, default the working directory). */
export async function openDriver(url: string, opts: { root?: string } = {}): Promise<Driver> {
  const target = databaseTarget(url, opts.root ?? process.cwd())
  return dialectOf(target.provider).connect(target)
}

/**
 * For a process that runs one command after another (OKRA's daemon): database sessions given back by a
 * command stay open `ms` for the next command on the same database (PostgreSQL: opening one costs the
 * server 20 to 30 ms; a SQLite file opens in a fraction of a millisecond and is always opened afresh).
 */
export function keepConnections(ms: number): void {
  keepPostgresPools(ms)
}

/** Closes what keepConnections kept. */
export function closeKeptConnections(): Promise<void> {
  return endKeptPools()
}
