/**
 * `migrateUp()`: applies the pending migrations in order, each in its own transaction together with its
 * row in `_okra_migrations`, so that eight replicas starting at once apply each migration exactly once:
 *
 *   read the history -> check it (changed or failed migrations stop everything, before any SQL)
 *   -> take the migration lock -> read the history again (another process may have applied them)
 *   -> back the database up where the dialect wants it -> apply, one migration after the other -> give the lock back
 */
import { performance } from 'node:perf_hooks'
import { OkraError, UsageError } from '../errors'
import { handMadeIndexes } from '../project/hand-made'
import { noteOwnWrite, readSyncRecord } from '../sync/record'
import { type MigrationFolder, folderSchemaReader } from './folders'
import { type HistoryRow, ensureHistoryTable, readHistory, insertHistoryRow } from './history'
import { type PresentMigrations, presentMigrations } from './present'
import { type Ledger, assertRunnable, makeLedger } from './ledger'
import { DEFAULT_LOCK_TIMEOUT_S, withMigrationLock } from './lock'
import { type MigrationPlan, planUp, upChanges } from './plan'
import type { Destruction } from './chain'
import { assertChain } from './chain-check'
import { assertDeclared, describeDestruction } from './destroys'
import { applyMigration } from './run'
import { refuseRequiredOverNulls, explainFailure } from './required-values'
import { type CatchUp, assertCatchUpStructure, planCatchUp, recordAliases } from './rebased'
import { type MigrationsOptions, type MigrationsSession, backupBeforeMigrations, mentionBackup, openSession, sessionChain, warn, withDatabase } from './session'
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
  /** Pending migrations whose changes the database already has are recorded as applied, without running them (else: an error saying so). */
  resolveApplied?: boolean
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
  /** Pending migrations the database already had, recorded as applied without running them (--resolve-applied). */
  resolved: string[]
  /** Migrations applied before this run. */
  alreadyApplied: number
  /** SQLite: the backup taken before applying (its path). */
  backup: string | null
  /** Its name (`dev-20240120-143022-123`), what `okra db:restore` takes. */
  backupName?: string
  /** The PostgreSQL schema (`?schema=`) created first because it did not exist. */
  createdSchema?: string
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
      resolved: [],
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
      const present = await presentMigrations(driver, before, handMade(session, driver))
      if (present.folders.length > 0) note(alreadyThere(present, driver.displayUrl).message.replace(' Nothing was run.', ' A real run stops here unless given --resolve-applied.'))
      const schemaOf = folderSchemaReader()
      for (const folder of take(before.pending.filter((f) => !caughtUp.has(f)), steps)) {
        const index = session.folders.indexOf(folder)
        const plan = await planUp(session.folders, index, driver.dialect, schemaOf)
        if (plan.derived) assertDeclared(folder.id, folder.shownDir, plan.derived, declared(folder.id))
        plan.notes.forEach(note)
        const step = plan.derived ?? (await upChanges(session.folders, index, driver.dialect, schemaOf))
        const destroys = await describeDestruction(driver, step, declared(folder.id))
        result.planned.push({ id: plan.id, source: sourceOf(plan), transactional: plan.transactional, script: plan.script, destroys })
      }
      result.remaining = before.pending.slice(result.planned.length).map((f) => f.id)
      return done()
    }
    if (before.pending.length === 0 && before.rebased.length === 0) return done()

    const record = await readSyncRecord(driver)
    const timeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_S * 1000
    await withMigrationLock(driver, timeoutMs, async () => {
      result.createdSchema = (await driver.ensureSchema()) ?? undefined
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
      const present = await presentMigrations(driver, ledger, handMade(session, driver))
      if (present.folders.length > 0) {
        if (!options.resolveApplied) throw alreadyThere(present, driver.displayUrl)
        for (const file of present.handWritten) note(`${file} holds hand-written SQL that was not run: run what the database still lacks by hand`)
        for (const folder of present.folders) await insertHistoryRow(driver, resolvedRow(folder))
        result.resolved = present.folders.map((f) => f.id)
      }
      const pending = ledger.pending.filter((f) => !present.folders.includes(f))
      const todo = take(pending, steps)
      result.remaining = pending.slice(todo.length).map((f) => f.id)
      if (todo.length === 0) return
      reportOddities(ledger, todo, session, note)
      await applyAll(driver, session, todo, options, note, result, declared)
    }).finally(() => noteOwnWrite(driver, record, result.applied.length ? `migrate:up applied ${result.applied.map((a) => a.id).join(', ')}` : undefined))
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
  const schemaOf = folderSchemaReader()
  for (const folder of todo) {
    const plan = await planUp(session.folders, session.folders.indexOf(folder), driver.dialect, schemaOf)
    if (plan.derived) assertDeclared(folder.id, folder.shownDir, plan.derived, declared(folder.id))
    plans.push(plan)
  }
  for (const plan of plans) plan.notes.forEach(note)
  // Before the backup: a change that cannot run gets none.
  await refuseRequiredOverNulls(driver, plans[0]!, todo[0]!)
  const backup = options.backup ?? !options.driver ? await backupBeforeMigrations(driver, session.config) : null
  if (backup) Object.assign(result, { backup: backup.path, backupName: backup.name })
  const progress = options.terminal?.progress('Applied', todo.length)
  try {
    for (const [i, folder] of todo.entries()) {
      if (i > 0) await refuseRequiredOverNulls(driver, plans[i]!, folder)
      const executionMs = await applyMigration(driver, folder, plans[i]!).catch(async (error: unknown) => {
        throw await explainFailure(error, driver, session.folders, session.folders.indexOf(folder))
      })
      result.applied.push({ id: folder.id, executionMs, source: sourceOf(plans[i]!) })
      progress?.step(`${folder.id} (${executionMs} ms)`)
    }
  } catch (error) {
    throw mentionBackup(error, backup, session.config.root)
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
  const backup = catchUp.plans.length && (options.backup ?? !options.driver) ? await backupBeforeMigrations(driver, session.config) : null
  if (backup) Object.assign(result, { backup: backup.path, backupName: backup.name })
  try {
    for (const { folder, plan } of catchUp.plans) {
      const executionMs = await applyMigration(driver, folder, plan)
      result.applied.push({ id: folder.id, executionMs, source: sourceOf(plan) })
    }
  } catch (error) {
    throw mentionBackup(error, backup, session.config.root)
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

/** The database already has these pending migrations: nothing was run; the way to record them. */
function alreadyThere(present: PresentMigrations, url: string): OkraError {
  const ids = present.folders.map((f) => f.id)
  const last = present.folders.at(-1)!
  const what = ids.length === 1 ? `pending migration ${ids[0]}` : `the pending migrations ${ids.join(', ')}`
  const hand = present.handWritten.length
    ? `\nHand-written SQL is not part of that check (${present.handWritten.join(', ')}): run what the database still lacks by hand first.`
    : ''
  return new OkraError(
    `${url} already has the changes of ${what}: its structure is ${last.shownDir}/schema.json (synced with db:sync, or changed by hand). Nothing was run.`,
    `Record ${ids.length === 1 ? 'it' : 'them'} as applied without running ${ids.length === 1 ? 'it' : 'them'}: \`okra migrate:up --resolve-applied\`` +
      (ids.length === 1 ? ` (or \`okra migrate:resolve --applied ${ids[0]}\`).` : '.') +
      hand,
  )
}

function resolvedRow(folder: MigrationFolder): HistoryRow {
  return { id: folder.id, checksum: folder.checksum, appliedAt: new Date().toISOString(), executionMs: 0, status: 'applied', files: folder.files }
}

/** The hand-made indexes of the project's migrations, read once and only when asked. */
function handMade(session: MigrationsSession, driver: Driver): () => ReadonlySet<string> {
  let names: ReadonlySet<string> | undefined
  return () => (names ??= handMadeIndexes(session.config, driver.dialect.types))
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
