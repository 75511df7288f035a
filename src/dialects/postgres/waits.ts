/**
 * Bounded waits on PostgreSQL: a statement waits at most `lock_timeout` for a lock another session holds
 * (a psql left in `BEGIN; SELECT * FROM users;` blocks an ALTER TABLE users forever otherwise, and every
 * query on the table queues behind the ALTER), and at most `statement_timeout` in all. When the lock wait
 * runs out, the error names who was in the way. PostgreSQL's own message does not, and once the statement
 * is cancelled `pg_blocking_pids` has nothing left to say, so a statement still running after a short
 * while is watched from another connection, and the last sessions seen blocking it are kept.
 */
import type { Pool } from 'pg'
import type { StatementTimeouts } from '../driver'

/** A session in the way, as pg_stat_activity shows it. */
export interface Blocker {
  pid: number
  application_name: string | null
  usename: string | null
  state: string | null
  state_change: Date | null
  xact_start: Date | null
  query: string | null
}

const BLOCKER_COLUMNS = `a.pid, a.application_name, a.usename, a.state, a.state_change, a.xact_start, left(a.query, 80) AS query`

const BLOCKING_SQL = `SELECT ${BLOCKER_COLUMNS} FROM pg_stat_activity a WHERE a.pid = ANY (pg_blocking_pids($1::int)) ORDER BY a.pid`

/** After the cancel: sessions holding locks on tables of this database (the likeliest culprits), when none was seen blocking. */
const HOLDERS_SQL =
  `SELECT DISTINCT ${BLOCKER_COLUMNS} FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid JOIN pg_class c ON c.oid = l.relation ` +
  `JOIN pg_namespace n ON n.oid = c.relnamespace WHERE l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) ` +
  `AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND a.pid <> ALL ($1::int[]) AND a.pid <> pg_backend_pid() ORDER BY a.pid LIMIT 3`

/** How often a waiting statement is looked at: a few times within the lock wait, at most twice a second. */
export function watchInterval(lockWaitMs: number): number {
  return Math.max(50, Math.min(500, lockWaitMs / 4))
}

export interface BlockerWatch {
  /** The sessions last seen blocking the statement, when `error` is a lock timeout (else none). */
  blockers(error: unknown, ownPids: (number | undefined)[]): Promise<Blocker[]>
  stop(): void
}

const NO_WATCH: BlockerWatch = { blockers: async () => [], stop: () => undefined }

/** Starts watching backend `pid` (nothing to watch without a lock wait: such a statement waits for good). */
export function watchBlockers(pool: Pool, pid: number | undefined, lockWaitMs: number): BlockerWatch {
  if (!pid || lockWaitMs <= 0) return NO_WATCH
  let seen: Blocker[] = []
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  const every = watchInterval(lockWaitMs)
  const tick = () => {
    pool
      .query<Blocker>(BLOCKING_SQL, [pid])
      .then((result) => {
        if (result.rows.length) seen = result.rows
      })
      .catch(() => undefined)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, every).unref()
      })
  }
  timer = setTimeout(tick, every).unref()
  return {
    async blockers(error, ownPids) {
      if ((error as { code?: string }).code !== '55P03') return []
      if (seen.length) return seen
      const own = [pid, ...ownPids].filter((p): p is number => typeof p === 'number')
      return pool
        .query<Blocker>(HOLDERS_SQL, [own])
        .then((result) => result.rows)
        .catch(() => [])
    },
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}

/** `pid 4242 (application "psql", user app, idle in transaction since 2024-01-20 14:30:22 UTC, query "SELECT * FROM users;")`. */
export function describeBlocker(b: Blocker): string {
  const since = b.state_change ? ` since ${utc(b.state_change)}` : ''
  const query = b.query ? `, its last query "${b.query.replace(/\s+/g, ' ').trim()}${b.query.length >= 80 ? '...' : ''}"` : ''
  return `pid ${b.pid} (application "${b.application_name ?? ''}", user ${b.usename ?? '?'}, ${b.state ?? 'state unknown'}${since}${query})`
}

function utc(date: Date): string {
  return date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')
}

const seconds = (ms: number) => `${ms / 1000} s`

/** What to add to a lock timeout or statement timeout error: who was in the way, and what to do. */
export function describeWaitFailure(code: string, timeouts: StatementTimeouts, blockers: Blocker[]): { message: string; hint: string } | undefined {
  if (code === '55P03' && timeouts.lockWaitMs > 0) {
    const longer = `or allow a longer wait with --lock-wait S (lockWait in okra.config.json).`
    if (blockers.length === 0) {
      return {
        message: `It waited ${seconds(timeouts.lockWaitMs)} (the lock wait) for a lock another session holds.`,
        hint: `Find that session with SELECT pid, application_name, state, query FROM pg_stat_activity WHERE state <> 'idle'; end its transaction, then run the command again; ${longer}`,
      }
    }
    const [first] = blockers
    return {
      message: `It waited ${seconds(timeouts.lockWaitMs)} (the lock wait) for a lock held by session ${blockers.map(describeBlocker).join('; and session ')}.`,
      hint:
        `That session holds a lock on what this statement changes. End its transaction (COMMIT or ROLLBACK there) or the session (SELECT pg_terminate_backend(${first!.pid});), ` +
        `then run the command again; ${longer}`,
    }
  }
  if (code === '57014' && timeouts.statementTimeoutMs > 0) {
    return {
      message: `It ran longer than the statement timeout (${seconds(timeouts.statementTimeoutMs)}) and was cancelled.`,
      hint: 'Allow more time with --statement-timeout S (statementTimeout in okra.config.json; 0 means no limit), or make the statement faster.',
    }
  }
  return undefined
}
