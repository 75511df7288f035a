/**
 * A database that does not exist yet (a SQLite file never created): commands that only read it must not
 * create it by opening it. `migrate:status` then reports every migration pending, without connecting.
 */
import type { ResolvedConfig } from '../config/types'
import { databaseTarget, dialectOf, maskUrl } from '../dialects/index'
import type { MigrateStatusResult } from './status'
import { type MigrationsOptions, openSession } from './session'

/** The database's URL (password masked) when it does not exist yet; undefined when it does (or may: a server). */
export function missingDatabase(config: ResolvedConfig): string | undefined {
  const target = databaseTarget(config.database.url, config.root)
  return dialectOf(target.provider).exists(target) ? undefined : maskUrl(config.database.url)
}

/** The status of a database that does not exist yet (every migration pending), or undefined when it exists. */
export async function statusWithoutDatabase(options: MigrationsOptions): Promise<MigrateStatusResult | undefined> {
  const session = await openSession(options)
  const url = missingDatabase(session.config)
  if (url === undefined) return undefined
  return {
    url,
    provider: session.config.database.provider,
    migrations: session.folders.map((f) => ({ id: f.id, state: 'pending', appliedAt: null, changes: [], outOfOrder: false })),
    driftBase: null,
    drift: [],
    pending: session.folders.length,
    changed: 0,
    failed: 0,
  }
}
