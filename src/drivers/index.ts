/**
 * Opens the driver a database URL names. The driver modules, and their packages, load only when opened,
 * so commands that never touch a database (and `okra --help`) stay fast.
 */
import type { Driver } from './types'
import { parseDatabaseUrl } from './url'

export type { Driver, Queryable, ReleaseLock } from './types'
export { DriverError } from './types'
export { maskUrl, parseDatabaseUrl } from './url'

/**
 * `sqlite://path`, `sqlite://:memory:`, `file:path` (relative to `root`, default the working directory),
 * `postgres://...` / `postgresql://...` (`?schema=name` picks the schema, default `public`).
 */
export async function openDriver(url: string, opts: { root?: string } = {}): Promise<Driver> {
  const target = parseDatabaseUrl(url, opts.root ?? process.cwd())
  if (target.provider === 'sqlite') {
    const { openSqlite } = await import('./sqlite')
    return openSqlite(target.file, target.displayUrl)
  }
  const { openPostgres } = await import('./pg')
  return openPostgres(target)
}
