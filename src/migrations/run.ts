/**
 * Running one migration plan against the database, with its row in `_okra_migrations` written in the same
 * transaction: either the migration and its row are both there, or neither is. A migration marked
 * `-- okra:no-transaction` cannot have that, so it is recorded as failed before it starts and as applied
 * once it ends: a crash or a failure half way leaves a `failed` row that stops later runs until resolved.
 *
 * Every write here runs in a transaction that first proves this run still holds the migration lock
 * (`transaction(fn, { holding })`), and the ledger row is a plain INSERT under its key: a run that lost its
 * lock (its session ended) stops before writing, and a second application of one migration fails on the
 * key and rolls back, so a data migration never runs twice.
 */
import { type Driver, DriverError, LockLostError, type Queryable } from '../dialects/index'
import { OkraError } from '../errors'
import type { MigrationFolder } from './folders'
import { type HistoryRow, insertHistoryRow, markApplied, removeHistoryRow, writeHistoryRow } from './history'
import { MIGRATION_LOCK } from './lock'
import type { MigrationPlan } from './plan'

/** A migration that failed: the database's message, which statement at which line of which file, and what state it left. */
export class MigrationFailedError extends OkraError {
  override name = 'MigrationFailedError'
  constructor(
    message: string,
    hint: string,
    readonly migration: string,
    readonly statement?: string,
    readonly line?: number,
  ) {
    super(message, hint)
  }
}

function row(folder: MigrationFolder, status: HistoryRow['status'], executionMs: number): HistoryRow {
  return { id: folder.id, checksum: folder.checksum, appliedAt: new Date().toISOString(), executionMs, status, files: folder.files }
}

/** Every write proves the run still holds the migration lock. */
const HOLDING = { holding: MIGRATION_LOCK }

/** Applies the plan and records it; returns how long it took (ms). */
export async function applyMigration(driver: Driver, folder: MigrationFolder, plan: MigrationPlan): Promise<number> {
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  if (!plan.transactional) {
    try {
      await driver.transaction((tx) => insertHistoryRow(tx, row(folder, 'failed', 0)), HOLDING)
    } catch (error) {
      throw failure(error, plan, 'rolled-back')
    }
    try {
      await driver.exec(plan.before.text)
    } catch (error) {
      await writeHistoryRow(driver, row(folder, 'failed', elapsed())).catch(() => undefined)
      throw failure(error, plan, 'outside')
    }
    try {
      await driver.transaction((tx) => markApplied(tx, row(folder, 'applied', elapsed())), HOLDING)
    } catch (error) {
      throw failure(error, plan, 'outside')
    }
    return elapsed()
  }
  await runInTransaction(driver, plan, async (tx) => insertHistoryRow(tx, row(folder, 'applied', elapsed())))
  return elapsed()
}

/** Reverts with the plan and removes the migration's row; returns how long it took (ms). */
export async function revertMigration(driver: Driver, folder: MigrationFolder, plan: MigrationPlan): Promise<number> {
  const started = performance.now()
  if (!plan.transactional) {
    try {
      await driver.exec(plan.before.text)
    } catch (error) {
      throw failure(error, plan, 'outside')
    }
    try {
      await driver.transaction((tx) => removeHistoryRow(tx, folder.id), HOLDING)
    } catch (error) {
      throw failure(error, plan, 'outside')
    }
  } else {
    await runInTransaction(driver, plan, (tx) => removeHistoryRow(tx, folder.id))
  }
  return Math.round(performance.now() - started)
}

async function runInTransaction(driver: Driver, plan: MigrationPlan, record: (tx: Queryable) => Promise<void>): Promise<void> {
  try {
    if (plan.before.statements) await driver.exec(plan.before.text)
    await driver.transaction(async (tx) => {
      if (plan.inside.statements) await driver.dialect.keepThroughRebuilds(tx, plan.inside.text, () => tx.exec(plan.inside.text))
      await record(tx)
    }, HOLDING)
  } catch (error) {
    throw failure(error, plan, 'rolled-back')
  } finally {
    // Restores the connection's settings (SQLite's foreign_keys) also after a failure.
    if (plan.after.statements) await driver.exec(plan.after.text)
  }
}

function failure(error: unknown, plan: MigrationPlan, state: 'rolled-back' | 'outside'): unknown {
  if (error instanceof LockLostError) return lockLost(error, plan, state)
  if (!(error instanceof DriverError) || error.statement === undefined) return error
  const where = plan.source.kind === 'file' ? plan.source.file : `the SQL derived from ${plan.source.from} -> ${plan.source.to}`
  const line = error.line !== undefined ? `, line ${error.line}` : ''
  const verb = plan.direction === 'up' ? 'Migration' : 'Reverting migration'
  const outcome =
    state === 'rolled-back'
      ? 'It was rolled back: the database and _okra_migrations are as they were before it.'
      : `It ran outside a transaction: ${appliedBefore(plan.before.lines, error.line)}${ownTransactionNote(plan)}; nothing after it ran. ${
          plan.direction === 'up' ? 'It is recorded as failed.' : 'The migration is still recorded as applied.'
        }`
  const hint =
    state === 'rolled-back'
      ? plan.source.kind === 'file'
        ? `Fix ${plan.source.file} (or the data it trips over) and run the command again.`
        : 'See the SQL with --dry-run; fix the data it trips over, or write the SQL yourself in the migration folder, and run the command again.'
      : `Check the database; then \`okra migrate:resolve --applied ${plan.id}\` once it is complete, or \`--rolled-back ${plan.id}\` once it is undone.`
  // "already exists" on the way up: most often a database that got the change another way (db:sync).
  const already =
    plan.direction === 'up' && state === 'rolled-back' && /already exists/i.test(error.message)
      ? `\nIf the database already has what ${plan.id} makes (it was synced with db:sync, or changed by hand), record it without running it: \`okra migrate:resolve --applied ${plan.id}\`.`
      : ''
  return new MigrationFailedError(
    `${verb} ${plan.id} failed (${where}${line}). ${outcome}\n${error.message}`,
    (error.hint ? `${error.hint}\n${hint}` : hint) + already,
    plan.id,
    error.statement,
    error.line,
  )
}

/** The run's lock went away under it: what was kept, and what to do. */
function lockLost(error: LockLostError, plan: MigrationPlan, state: 'rolled-back' | 'outside'): MigrationFailedError {
  const verb = plan.direction === 'up' ? 'Migration' : 'Reverting migration'
  const outcome =
    state === 'rolled-back'
      ? 'It was rolled back: the database and _okra_migrations are as they were before it.'
      : plan.direction === 'up'
        ? 'It ran outside a transaction and finished, but is still recorded as failed.'
        : 'It ran outside a transaction and finished, but is still recorded as applied.'
  const next =
    state === 'rolled-back'
      ? ''
      : ` Once no other run is going: \`okra migrate:resolve ${plan.direction === 'up' ? '--applied' : '--rolled-back'} ${plan.id}\`.`
  return new MigrationFailedError(`${verb} ${plan.id} stopped: ${error.message} ${outcome}`, `${error.hint ?? ''}${next}`, plan.id)
}

/** What a statement-by-statement run left applied before the statement that failed at `line`. */
function appliedBefore(lines: readonly number[], line: number | undefined): string {
  const applied = line === undefined ? [] : lines.filter((l) => l < line)
  if (applied.length === 0) return 'no statement before that one was applied'
  const span = applied.length === 1 ? `line ${applied[0]}` : `lines ${applied[0]}-${applied[applied.length - 1]}`
  return applied.length === 1 ? `the statement before it (${span}) stays applied` : `the ${applied.length} statements before it (${span}) stay applied`
}

/** A file with its own BEGIN: what it had not committed when a statement failed is rolled back with the session. */
function ownTransactionNote(plan: MigrationPlan): string {
  return /^[ \t]*(?:BEGIN|START[ \t]+TRANSACTION)\b/im.test(plan.before.text) ? ' (except what ran in a transaction of the file\'s own that it had not committed: that is rolled back)' : ''
}
