/**
 * The second half of a sync: run the planned statements and record what the database now is, all or
 * nothing. `transactionParts`: the few statements that must run outside a transaction (SQLite's
 * foreign_keys pragma) before and after it — `after` also when it failed, as it restores the
 * connection — and everything else in ONE transaction together with the `_okra_state` update. A
 * failure rolls it all back: a SQLite file is left byte for byte as it was.
 */
import type { Driver, Queryable } from '../dialects/index'
import { toScript, transactionParts } from '../sql/statement'
import type { SyncPlan } from './plan'
import { ensureStateTable, writeDatabaseState } from './record'
import type { SyncOptions } from './types'

export interface ApplyHooks {
  /** First thing in the transaction: throw to abort before anything is written (e.g. the database moved since the plan). */
  check?(tx: Queryable): Promise<void>
  /** In the transaction, before the changes (PostgreSQL backups). */
  beforeChanges?(tx: Queryable): Promise<void>
  /** Shows the progress of a long apply. */
  progress?: SyncOptions['progress']
  /** The lock (taken with `driver.lock`) the transaction must prove it still holds before writing. */
  holding?: string
}

/** Below this many statements a sync is quick: no progress display. */
const PROGRESS_FROM = 50
/** A long apply reports about this many steps, so plain (non-terminal) output stays short. */
const PROGRESS_STEPS = 10

export async function applyPlan(driver: Driver, plan: SyncPlan, hooks: ApplyHooks = {}): Promise<void> {
  const { before, inside, after } = transactionParts(plan.statements)
  try {
    for (const statement of before) await driver.query(statement.sql)
    await driver.transaction(async (tx) => {
      await hooks.check?.(tx)
      await hooks.beforeChanges?.(tx)
      await applyInside(driver, tx, plan, inside, hooks.progress)
    }, hooks.holding === undefined ? undefined : { holding: hooks.holding })
  } finally {
    for (const statement of after) await driver.query(statement.sql)
  }
}

/**
 * The transactional part, for a caller that already holds the transaction: the statements, then
 * `_okra_state` with the structure fingerprint taken after them.
 */
export async function applyInside(driver: Driver, tx: Queryable, plan: SyncPlan, statements = plan.statements, progress?: SyncOptions['progress']): Promise<void> {
  const stray = statements.find((s) => !s.transactional)
  if (stray) throw new Error(`applyInside: ${stray.sql} must run outside the transaction`)
  const shown = progress && statements.length >= PROGRESS_FROM ? progress('Applying', PROGRESS_STEPS) : undefined
  const every = Math.ceil(statements.length / PROGRESS_STEPS)
  try {
    await driver.dialect.keepThroughRebuilds(tx, toScript(statements), async () => {
      for (let i = 0; i < statements.length; i++) {
        await tx.query(statements[i]!.sql)
        if (shown && ((i + 1) % every === 0 || i + 1 === statements.length)) shown.step(`${i + 1} of ${statements.length} statements`)
      }
    })
  } finally {
    shown?.done()
  }
  if (plan.state === null) await ensureStateTable(tx)
  const structure = await driver.fingerprint(tx)
  await writeDatabaseState(tx, { schemaHash: plan.targetHash, syncedAt: new Date().toISOString(), structure })
}
