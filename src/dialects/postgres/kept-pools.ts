/**
 * PostgreSQL pools that outlive their command, in OKRA's daemon only. Opening a session costs the server a
 * process and its catalog caches (20 to 30 ms on a small machine: more than all the statements of a
 * db:sync), so there a pool given back is kept for the next command on the same database for a while,
 * then ended. The next command's driver begins each connection it takes from such a pool with DISCARD ALL
 * (driver.ts), so nothing of an earlier command's session is left (settings, prepared statements,
 * temporary tables, advisory locks), and a connection the server ended meanwhile is replaced.
 */
import type { Pool, PoolConfig } from 'pg'
import type { PgModule } from './pg'

let keepMs = 0
const kept = new Map<string, { pool: Pool; timer: NodeJS.Timeout }>()

export interface PoolHandle {
  pool: Pool
  /** Its connections may have served an earlier command. */
  reused: boolean
  /** Ends the pool, or keeps it for the next command (keepPostgresPools). */
  giveBack(): Promise<void>
}

/** From now on pools are kept `ms` after their command (OKRA's daemon); 0 ends them at once again. */
export function keepPostgresPools(ms: number): void {
  keepMs = ms
}

/** Ends every kept pool now (the daemon stopping). */
export async function endKeptPools(): Promise<void> {
  const pools = [...kept.values()]
  kept.clear()
  for (const { pool, timer } of pools) {
    clearTimeout(timer)
    await pool.end().catch(() => undefined)
  }
}

/**
 * The pool for `config`: the kept one for the same connection string and PG* variables (pg reads
 * PGPASSWORD, PGSSLMODE, ... itself), else a new one. A kept pool serves one command at a time.
 */
export function takePool(pg: PgModule, config: PoolConfig): PoolHandle {
  const key = JSON.stringify([config, Object.entries(process.env).filter(([name]) => name.startsWith('PG')).sort()])
  const entry = kept.get(key)
  if (entry) {
    kept.delete(key)
    clearTimeout(entry.timer)
  }
  const pool = entry?.pool ?? new pg.Pool(config)
  return {
    pool,
    reused: entry !== undefined,
    async giveBack() {
      if (keepMs <= 0 || kept.has(key)) return pool.end()
      const timer = setTimeout(() => {
        if (kept.get(key)?.pool === pool) kept.delete(key)
        void pool.end().catch(() => undefined)
      }, keepMs)
      kept.set(key, { pool, timer })
    },
  }
}
