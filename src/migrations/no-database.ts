/**
 * A database that does not exist yet (a SQLite file never created): commands that only read it must not
 * create it by opening it. `migrate:status` then reports every migration pending, without connecting.
 */
import { maskUrl } from '../dialects/index'
import { hasDatabase } from '../project/validate'
import type { MigrateStatusResult } from './status'
import { type MigrationsOptions, openSession, sessionChain } from './session'
import type { ChainReport } from './chain-check'

/** Without a database there are no rows to count: the declared lines as they are. */
function declaredLines(chain: ChainReport, id: string): string[] {
  return chain.shape.links.find((l) => l.id === id)?.destroys?.map((d) => d.line) ?? []
}

/** The status of a database that does not exist yet (every migration pending), or undefined when it exists. */
export async function statusWithoutDatabase(options: MigrationsOptions): Promise<MigrateStatusResult | undefined> {
  const session = await openSession(options)
  if (hasDatabase(session.config)) return undefined
  const chain = await sessionChain(session)
  return {
    problems: chain.problems,
    notes: chain.notes,
    url: maskUrl(session.config.database.url),
    provider: session.config.database.provider,
    migrations: session.folders.map((f) => ({ id: f.id, state: 'pending', appliedAt: null, changes: [], outOfOrder: false, destroys: declaredLines(chain, f.id) })),
    driftBase: null,
    drift: [],
    rebase: [],
    pending: session.folders.length,
    changed: 0,
    failed: 0,
  }
}
