/**
 * `migrateDown()`: reverts the last applied migrations (the newest first), each in its own transaction with
 * its row removed from `_okra_migrations`. The way back is the migration's own `down.sql` when the user
 * wrote one, else the SQL derived from its schema.json back to the previous folder's. It asks first (at a
 * terminal; elsewhere `force` answers), and says what a revert cannot bring back: structure returns, data
 * that the migration dropped does not.
 */
import { performance } from 'node:perf_hooks'
import type { Change } from '../diff/changes'
import { describeRisk, summarize } from '../diff/index'
import type { Driver } from '../dialects/index'
import { OkraError } from '../errors'
import type { MigrationFolder } from './folders'
import { type HistoryRow, readHistory } from './history'
import { type Ledger, assertRunnable, makeLedger } from './ledger'
import { DEFAULT_LOCK_TIMEOUT_S, withMigrationLock } from './lock'
import { type MigrationPlan, planDown, upChanges } from './plan'
import { revertMigration } from './run'
import { countRows } from './destroys'
import { type MigrationsOptions, type MigrationsSession, backupBeforeMigrations, openSession, sessionChain, warn, withDatabase } from './session'
import { assertChain } from './chain-check'
import type { Provider } from '../schema/physical-types'
import { type PlannedMigration, checkSteps, sourceOf } from './up'

export interface MigrateDownOptions extends MigrationsOptions {
  /** How many applied migrations to revert, newest first. Default 1. */
  steps?: number
  /** Show the SQL; change nothing. */
  dryRun?: boolean
  /** Revert without asking. */
  force?: boolean
  lockTimeoutMs?: number
  /** SQLite: copy the configured database file into `.okra/backups/` before reverting (default: true unless `driver` is given). */
  backup?: boolean
}

export interface MigrateDownResult {
  url: string
  provider: Provider
  dryRun: boolean
  reverted: { id: string; executionMs: number; source: string }[]
  planned: PlannedMigration[]
  /** What the revert cannot bring back, or will lose. */
  dataWarnings: string[]
  backup: string | null
  durationMs: number
}

export async function migrateDown(options: MigrateDownOptions = {}): Promise<MigrateDownResult> {
  const started = performance.now()
  const steps = checkSteps(options.steps) ?? 1
  const session = await openSession(options)
  assertChain(await sessionChain(session))
  return withDatabase(session.config, options, async (driver) => {
    const ledger = makeLedger(session.folders, await readHistory(driver))
    assertRunnable(ledger)
    const targets = revertTargets(ledger, session, steps)
    const plans: MigrationPlan[] = []
    for (const folder of targets) plans.push(await planDown(session.folders, session.folders.indexOf(folder), driver.dialect))
    const dataWarnings = await dataLossWarnings(driver, session.folders, targets, plans)
    const result: MigrateDownResult = {
      url: driver.displayUrl,
      provider: driver.provider,
      dryRun: options.dryRun === true,
      reverted: [],
      planned: plans.map((plan) => ({ id: plan.id, source: sourceOf(plan), transactional: plan.transactional, script: plan.script })),
      dataWarnings,
      backup: null,
      durationMs: 0,
    }
    if (options.dryRun || targets.length === 0) return { ...result, durationMs: performance.now() - started }
    for (const text of dataWarnings) warn(options.terminal, text)
    await confirmRevert(targets, driver.displayUrl, session.config.env, options)

    await withMigrationLock(driver, options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_S * 1000, async () => {
      const now = makeLedger(session.folders, await readHistory(driver))
      assertRunnable(now)
      const still = revertTargets(now, session, steps)
      if (still.map((f) => f.id).join() !== targets.map((f) => f.id).join()) {
        throw new OkraError('The applied migrations changed while this command waited (another process ran migrations); nothing was reverted', 'Run it again.')
      }
      if (options.backup ?? !options.driver) result.backup = await backupBeforeMigrations(driver, session.config)
      const progress = options.terminal?.progress('Reverted', targets.length)
      try {
        for (const [i, folder] of targets.entries()) {
          const executionMs = await revertMigration(driver, folder, plans[i]!)
          result.reverted.push({ id: folder.id, executionMs, source: sourceOf(plans[i]!) })
          progress?.step(`${folder.id} (${executionMs} ms)`)
        }
      } finally {
        progress?.done()
      }
    })
    return { ...result, durationMs: performance.now() - started }
  })
}

/** The newest `steps` applied migrations, in the order they were applied, newest first. */
function revertTargets(ledger: Ledger, session: MigrationsSession, steps: number): MigrationFolder[] {
  const applied = ledger.history.filter((row) => row.status === 'applied').reverse().slice(0, steps)
  return applied.map((row: HistoryRow) => {
    const folder = session.folders.find((f) => f.id === row.id)
    if (!folder) {
      throw new OkraError(
        `Cannot revert migration ${row.id}: its folder is not in ${session.dirShown}/`,
        'Check out the commit that has it, or write the way back by hand and run `okra migrate:resolve --rolled-back ' + row.id + '`.',
      )
    }
    return folder
  })
}

/** Structure comes back, data does not: what each revert cannot restore, and what it drops (counted for the first revert). */
async function dataLossWarnings(driver: Driver, folders: MigrationFolder[], targets: MigrationFolder[], plans: MigrationPlan[]): Promise<string[]> {
  const warnings: string[] = []
  for (const [i, folder] of targets.entries()) {
    const up = await upChanges(folders, folders.indexOf(folder), driver.dialect)
    for (const change of up.changes.filter(losesData)) {
      warnings.push(`${folder.id} did "${summarize(change)!.slice(2)}": reverting it brings the structure back, not the data that was removed or altered`)
    }
    for (const change of plans[i]!.derived?.changes ?? []) {
      if (change.safety.level !== 'destructive') continue
      for (const risk of change.safety.risks) {
        // Rows can be counted only for the first revert: the later ones run on a database the earlier ones changed.
        const count = i === 0 ? await countRows(driver, risk.countSql) : undefined
        if (count === 0) continue
        warnings.push(`reverting ${folder.id}: ${count === undefined ? `${risk.reason} any ${risk.unit.other} there are by then` : describeRisk(risk, count)}`)
      }
    }
  }
  return warnings
}

/** An up change whose lost data a revert cannot bring back (adding a required column, say, loses nothing). */
function losesData(change: Change): boolean {
  if (change.safety.level !== 'destructive' || change.implied) return false
  switch (change.kind) {
    case 'dropTable':
    case 'dropColumn':
      return true
    case 'alterColumn':
      return change.aspects.includes('type')
    case 'alterEnum':
      return change.removed.length > 0
    default:
      return false
  }
}

/** `--force`, else a yes at a terminal; in `production`, the environment's name must be typed. */
async function confirmRevert(targets: MigrationFolder[], url: string, env: string, options: MigrateDownOptions): Promise<void> {
  if (options.force) return
  const what = `${targets.length === 1 ? 'migration' : `${targets.length} migrations`} ${targets.map((f) => f.id).join(', ')} on ${url}`
  if (!options.terminal) throw new OkraError(`Reverting ${what} needs confirmation`, 'Pass force: true (--force) to revert without asking.')
  if (env === 'production') {
    const answer = await options.terminal.ask(`This reverts ${what} in the production environment. Type "production" to go on:`, { flag: '--force' })
    if (answer !== 'production') throw new OkraError('Cancelled: nothing was reverted')
    return
  }
  if (!(await options.terminal.confirm(`Revert ${what}?`, { flag: '--force' }))) throw new OkraError('Cancelled: nothing was reverted')
}
