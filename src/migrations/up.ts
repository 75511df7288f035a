/**
 * `migrateUp()`: applies the pending migrations in order, each in its own transaction together with its
 * row in `_okra_migrations`, so that eight replicas starting at once apply each migration exactly once:
 *
 *   read the history -> check it (changed or failed migrations stop everything, before any SQL)
 *   -> take the migration lock -> read the history again (another process may have applied them)
 *   -> back the database up where the dialect wants it -> apply, one migration after the other -> give the lock back
 */
import { performance } from 'node:perf_hooks'
import { UsageError } from '../errors'
import { ensureHistoryTable, readHistory } from './history'
import { type Ledger, assertRunnable, makeLedger } from './ledger'
import { DEFAULT_LOCK_TIMEOUT_S, withMigrationLock } from './lock'
import { type MigrationPlan, planUp, upChanges } from './plan'
import type { Destruction } from './chain'
import { assertChain } from './chain-check'
import { assertDeclared, describeDestruction } from './destroys'
import { applyMigration } from './run'
import { type CatchUp, assertCatchUpStructure, planCatchUp, recordAliases } from './rebased'
import { type MigrationsOptions, type MigrationsSession, backupBeforeMigrations, openSession, sessionChain, warn, withDatabase } from './session'
import type { Provider } from '../schema/physical-types'
import type { Driver } from '../dialects/index'

export interface MigrateUpOptions extends MigrationsOptions {
  /** Apply at most this many of the pending migrations. */
  steps?: number
  /** Show the SQL of the pending migrations; change nothing. */
  dryRun?: boolean
  /** How long to wait for another process's migration lock. Default 60 s. */
  lockTimeoutMs?: number
  /** SQLite: copy the configured database file into `.okra/backups/` before applying (default: true unless `driver` is given). */
  backup?: boolean
}

export interface AppliedMigration {
  id: string
  executionMs: number
  /** The file applied (relative to the root), or `derived` (from the schema states). */
  source: string
}

export interface PlannedMigration {
  id: string
  source: string
  transactional: boolean
  script: string
  /** migrate:up: what it destroys, as declared (with the rows at stake now when there are any). */
  destroys?: string[]
}

export interface MigrateUpResult {
  url: string
  provider: Provider
  dryRun: boolean
  applied: AppliedMigration[]
  /** --dry-run: what would be applied. */
  planned: PlannedMigration[]
  /** Pending migrations left for later (--steps). */
  remaining: string[]
  /** Migrations applied before this run. */
  alreadyApplied: number
  /** SQLite: the backup taken before applying. */
  backup: string | null
  /** Migrations this database had applied under their names before `migrate:rebase` moved them: now recorded under their new names. */
  rebased: { id: string; formerly: string[] }[]
  warnings: string[]
  durationMs: number
}

export async function migrateUp(options: MigrateUpOptions = {}): Promise<MigrateUpResult> {
  const started = performance.now()
  const steps = checkSteps(options.steps)
  const session = await openSession(options)
  // A forked history applies nothing: which branch's SQL would run depends on folder names.
  const chain = await sessionChain(session)
  assertChain(chain)
  return withDatabase(session.config, options, async (driver) => {
    const result: MigrateUpResult = {
      url: driver.displayUrl,
      provider: driver.provider,
      dryRun: options.dryRun === true,
      applied: [],
      planned: [],
      remaining: [],
      alreadyApplied: 0,
      backup: null,
      rebased: [],
      warnings: [],
      durationMs: 0,
    }
    const note = (text: string) => {
      result.warnings.push(text)
      warn(options.terminal, text)
    }
    const done = () => ({ ...result, durationMs: performance.now() - started })
    chain.notes.forEach(note)
    const declared = (id: string) => chain.shape.links.find((l) => l.id === id)?.destroys ?? null

    const before = makeLedger(session.folders, await readHistory(driver))
    assertRunnable(before)
    result.alreadyApplied = before.rows.size
    if (options.dryRun) {
      const catchUp = await planCatchUp(session.folders, before.rebased, before.pending, driver)
      if (catchUp) {
        await assertCatchUpStructure(driver, catchUp)
        catchUp.notes.forEach(note)
        for (const { plan } of catchUp.plans) result.planned.push({ id: plan.id, source: sourceOf(plan), transactional: plan.transactional, script: plan.script, destroys: [] })
        result.rebased = rebasedOf(catchUp)
      }
      const caughtUp = new Set(catchUp?.plans.map((p) => p.folder) ?? [])
      for (const folder of take(before.pending.filter((f) => !caughtUp.has(f)), steps)) {
        const index = session.folders.indexOf(folder)
        const plan = await planUp(session.folders, index, driver.dialect)
        if (plan.derived) assertDeclared(folder.id, folder.shownDir, plan.derived, declared(folder.id))
        plan.notes.forEach(note)
        const step = plan.derived ?? (await upChanges(session.folders, index, driver.dialect))
        const destroys = await describeDestruction(driver, step, declared(folder.id))
        result.planned.push({ id: plan.id, source: sourceOf(plan), transactional: plan.transactional, script: plan.script, destroys })
      }
      result.remaining = before.pending.slice(result.planned.length).map((f) => f.id)
      return done()
    }
    if (before.pending.length === 0 && before.rebased.length === 0) return done()

    const timeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_S * 1000
    await withMigrationLock(driver, timeoutMs, async () => {
      await ensureHistoryTable(driver)
      // Another process may have applied some while this one waited for the lock.
      let ledger = makeLedger(session.folders, await readHistory(driver))
      assertRunnable(ledger)
      result.alreadyApplied = ledger.rows.size
      const catchUp = await planCatchUp(session.folders, ledger.rebased, ledger.pending, driver)
      if (catchUp) {
        await applyCatchUp(driver, session, catchUp, options, note, result)
        ledger = makeLedger(session.folders, await readHistory(driver))
      }
      const todo = take(ledger.pending, steps)
      result.remaining = ledger.pending.slice(todo.length).map((f) => f.id)
      if (todo.length === 0) return
      reportOddities(ledger, todo, session, note)
      await applyAll(driver, session, todo, options, note, result, declared)
    })
    return done()
  })
}

/** Plans every migration first (a damaged folder stops the run before any SQL), then applies them one by one. */
async function applyAll(
  driver: Driver,
  session: MigrationsSession,
  todo: MigrationsSession['folders'],
  options: MigrateUpOptions,
  note: (text: string) => void,
  result: MigrateUpResult,
  declared: (id: string) => Destruction[] | null,
): Promise<void> {
  const plans: MigrationPlan[] = []
  for (const folder of todo) {
    const plan = await planUp(session.folders, session.folders.indexOf(folder), driver.dialect)
    if (plan.derived) assertDeclared(folder.id, folder.shownDir, plan.derived, declared(folder.id))
    plans.push(plan)
  }
  for (const plan of plans) plan.notes.forEach(note)
  if (options.backup ?? !options.driver) result.backup = await backupBeforeMigrations(driver, session.config)
  const progress = options.terminal?.progress('Applied', todo.length)
  try {
    for (const [i, folder] of todo.entries()) {
      const executionMs = await applyMigration(driver, folder, plans[i]!)
      result.applied.push({ id: folder.id, executionMs, source: sourceOf(plans[i]!) })
      progress?.step(`${folder.id} (${executionMs} ms)`)
    }
  } finally {
    progress?.done()
  }
}

/**
 * A database that applied migrations under the names they had before a rebase: the other branch's
 * migrations are applied with those changes kept, then the moved ones are recorded under their new names.
 */
async function applyCatchUp(
  driver: Driver,
  session: MigrationsSession,
  catchUp: CatchUp,
  options: MigrateUpOptions,
  note: (text: string) => void,
  result: MigrateUpResult,
): Promise<void> {
  await assertCatchUpStructure(driver, catchUp)
  catchUp.notes.forEach(note)
  if (catchUp.plans.length && (options.backup ?? !options.driver)) result.backup = await backupBeforeMigrations(driver, session.config)
  for (const { folder, plan } of catchUp.plans) {
    const executionMs = await applyMigration(driver, folder, plan)
    result.applied.push({ id: folder.id, executionMs, source: sourceOf(plan) })
  }
  await recordAliases(driver, catchUp.aliases)
  result.rebased = rebasedOf(catchUp)
  for (const r of result.rebased) note(`${r.formerly.join(', ')} (applied before migrate:rebase) is now recorded as ${r.id}`)
}

function rebasedOf(catchUp: CatchUp): MigrateUpResult['rebased'] {
  return catchUp.aliases.map((a) => ({ id: a.folder.id, formerly: a.rows.map((r) => r.id) }))
}

function reportOddities(ledger: Ledger, todo: MigrationsSession['folders'], session: MigrationsSession, note: (text: string) => void): void {
  for (const row of ledger.missing) {
    note(`migration ${row.id} is recorded in _okra_migrations but its folder is not in ${session.dirShown}/ (is this checkout older than the database?)`)
  }
  const newest = [...ledger.rows.keys()].filter((id) => session.folders.some((f) => f.id === id)).sort().pop()
  for (const folder of ledger.outOfOrder.filter((f) => todo.includes(f))) {
    note(`migration ${folder.id} is older than ${newest}, the newest applied one (merged from another branch?): applying it now`)
  }
}

function take<T>(items: T[], steps: number | undefined): T[] {
  return steps === undefined ? items : items.slice(0, steps)
}

export function checkSteps(steps: number | undefined): number | undefined {
  if (steps !== undefined && (!Number.isInteger(steps) || steps < 1)) throw new UsageError(`--steps expects a whole number of at least 1, got ${steps}`)
  return steps
}

export function sourceOf(plan: MigrationPlan): string {
  return plan.source.kind === 'file' ? plan.source.file : 'derived'
}
