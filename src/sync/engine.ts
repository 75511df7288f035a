/**
 * The sync engine behind `sync()` (sync.ts): one run against an open driver.
 *
 *   plan (writes nothing) -> consent for destructive changes -> backup (when asked) -> apply + record
 *
 * One sync at a time per database, kept apart the way the dialect says (`Dialect.syncIsolation`):
 * - `one-transaction` (PostgreSQL): the whole sync is one transaction that first takes the transaction
 *   form of the `sync` lock: plan, count, back up, apply, record. Another sync waits for the lock. A
 *   question is never asked inside it (its locks would stall everyone else while a person reads): the
 *   transaction rolls back, the question is asked, and the transaction runs again, going ahead only when
 *   what it counts then is covered by the answer.
 * - `recheck-on-write` (SQLite): the write transaction itself serialises syncs (BEGIN IMMEDIATE); it
 *   first checks that `_okra_state` and the structure fingerprint are still what the plan read (else it
 *   plans again) and counts the rows at risk again: rows written since the question was asked are asked
 *   about again. No lock row is written, because writing one would change the file, and a refused or
 *   failed sync must leave it byte for byte as it was.
 * Within one process, syncs of one database also queue (`oneAtATimeInProcess`).
 */
import { performance } from 'node:perf_hooks'
import { describeBackup, keptBackups } from '../backups/backups'
import type { ResolvedConfig } from '../config/types'
import { summaries, tablesAtRisk } from '../diff/index'
import type { Driver, Queryable, SyncBackup } from '../dialects/index'
import { OkraError } from '../errors'
import { appendSyncedRenames, renamesOf } from '../project/renames'
import { writeCurrentSchema } from '../project/schema-states'
import type { Schema } from '../schema/types'
import { applyInside, applyPlan } from './apply'
import { type DataAtRisk, DataLossError, consentCovers, consentQuestion, dataAtRisk } from './consent'
import { refuseMissingValues } from './missing-values'
import { type SyncPlan, planSync, rememberSynced } from './plan'
import { readDatabaseState } from './record'
import type { SyncOptions, SyncResult } from './types'

/** The lock key every OKRA sync of a database takes. */
export const SYNC_LOCK = 'sync'
const DEFAULT_LOCK_TIMEOUT_MS = 30_000
/** SQLite: how often a sync plans again when another one changed the database between its plan and its write. */
const SQLITE_ATTEMPTS = 3

/** Syncs `schema` into the database behind `driver` (left open). `started`: when the caller began (performance.now()), for `durationMs`. */
export function runSync(driver: Driver, config: ResolvedConfig, schema: Schema, options: SyncOptions, started = performance.now()): Promise<SyncResult> {
  const run = { driver, config, schema, options, started, log: options.log ?? (() => undefined) }
  return driver.dialect.syncIsolation === 'one-transaction' ? syncInOneTransaction(run) : syncRecheckingOnWrite(run)
}

/** The end of the last sync started in this process, per database URL. */
const running = new Map<string, Promise<unknown>>()

/**
 * Syncs of one database from this process run one after another. Two SQLite connections of one thread
 * must not wait for each other's write lock: better-sqlite3 waits synchronously, blocking the very
 * event loop the other one needs to finish.
 */
export async function oneAtATimeInProcess<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const previous = running.get(url) ?? Promise.resolve()
  const run = previous.then(fn, fn)
  const tail = run.catch(() => undefined)
  running.set(url, tail)
  try {
    return await run
  } finally {
    if (running.get(url) === tail) running.delete(url)
  }
}

interface SyncRun {
  driver: Driver
  config: ResolvedConfig
  schema: Schema
  options: SyncOptions
  started: number
  log: (line: string) => void
}

/** What a plan says before anything is decided: the repair line and the warnings. */
function announce(plan: SyncPlan, log: SyncRun['log']): void {
  if (plan.repair) log(`Reading the database instead of migrations/current/schema.json: ${plan.repair}.`)
  for (const warning of plan.warnings) log(`warning: ${warning.message}`)
}

/** Nothing to change and the database already records this schema. */
function alreadySynced(plan: SyncPlan): boolean {
  return plan.changes.length === 0 && plan.state?.schemaHash === plan.targetHash && plan.state.structure === plan.structure
}

/** After a commit: the files that say what the database now is. */
function recordFiles(run: SyncRun, plan: SyncPlan): void {
  writeCurrent(run.config, plan)
  appendSyncedRenames(run.config, renamesOf(plan.changes))
}

/** `migrations/current/schema.json` made to hold the plan's target (what the database now is). */
function writeCurrent(config: ResolvedConfig, plan: SyncPlan): void {
  writeCurrentSchema(config, plan.target, plan.targetText)
  rememberSynced(plan, config)
}

/** The database moved between the plan and the write (another sync): plan again. */
class MovedSincePlan extends Error {}

/** PostgreSQL: rows at risk that no answer covers yet; the transaction rolls back and the question is asked outside it. */
class AskFirst extends Error {
  constructor(readonly atRisk: DataAtRisk[]) {
    super('ask first')
  }
}

/** How often the rows at risk may change under a sync before it gives up (each change asks again). */
const CONSENT_ATTEMPTS = 3

/** Consent already given for these rows: the flag, a backup taken for them, or an answer (`consented`). */
function consentGiven(atRisk: readonly DataAtRisk[], options: SyncOptions, consented: readonly DataAtRisk[] | undefined): boolean {
  return atRisk.length === 0 || options.acceptDataLoss === true || (consented !== undefined && consentCovers(atRisk, consented))
}

/**
 * Plan (reading only), ask, back up, then write in one transaction that first checks the plan still
 * holds. The plan is not made inside the write transaction, because holding SQLite's write lock while a
 * person answers would block every other writer (the app being developed).
 */
async function syncRecheckingOnWrite(run: SyncRun): Promise<SyncResult> {
  const { driver, config, schema, options, log } = run
  for (let attempt = 1; ; attempt++) {
    const plan = await planSync(driver, driver, config, schema, options.renames)
    announce(plan, log)
    if (alreadySynced(plan)) {
      if (!plan.currentUpToDate) writeCurrent(config, plan)
      return result(driver, plan, { applied: false, dataLoss: [] }, run.started)
    }
    const atRisk = await dataAtRisk(driver, plan.changes)
    refuseMissingValues(atRisk)
    await requireConsent(atRisk, options)
    let backup: SyncBackup | undefined
    if (atRisk.length > 0 && options.backup) {
      backup = await driver.backup({ root: config.root, keep: keptBackups(config) })
      log(`Backup: ${describeBackup(backup, config.root)}`)
    }
    let counted = atRisk
    const check = async (tx: Queryable) => {
      await stillAsPlanned(driver, tx, plan)
      // Counted again under the write lock: rows written since the question (or the backup) need asking again.
      counted = await dataAtRisk(tx, plan.changes)
      refuseMissingValues(counted)
      if (!consentGiven(counted, options, atRisk)) throw new MovedSincePlan()
    }
    try {
      await applyPlan(driver, plan, { check, progress: options.progress })
    } catch (error) {
      if (error instanceof MovedSincePlan && attempt < SQLITE_ATTEMPTS) continue
      if (error instanceof MovedSincePlan) throw new OkraError(`Another process kept changing ${driver.displayUrl} while this sync ran`, 'Run db:sync again when it is done.')
      throw error
    }
    recordFiles(run, plan)
    return result(driver, plan, { applied: plan.changes.length > 0, dataLoss: counted, backup }, run.started)
  }
}

/**
 * Everything in ONE transaction that first takes the transaction form of the `sync` lock (the same key
 * as `driver.lock('sync')`, released by COMMIT or ROLLBACK, and no second connection): plan, count, ask,
 * back up, apply, record.
 */
async function syncInOneTransaction(run: SyncRun): Promise<SyncResult> {
  const { driver, config, schema, options, log } = run
  const timeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS
  let consented: DataAtRisk[] | undefined
  const attempt = (first: boolean) =>
    driver.transaction(async (tx) => {
      if (!options.holdingSyncLock) await driver.lockInTransaction(tx, SYNC_LOCK, timeoutMs)
      const plan = await planSync(driver, tx, config, schema, options.renames)
      if (first) announce(plan, log)
      if (alreadySynced(plan)) return { plan, applied: false, atRisk: [] as DataAtRisk[] }
      const atRisk = await dataAtRisk(tx, plan.changes)
      refuseMissingValues(atRisk)
      // A backup stands in for consent: it is taken right here, in this transaction, of these very rows.
      if (!options.backup && !consentGiven(atRisk, options, consented)) {
        if (!options.confirm) await requireConsent(atRisk, options)
        throw new AskFirst(atRisk)
      }
      const backup =
        atRisk.length > 0 && options.backup
          ? await driver.backup({ root: config.root, tx, from: plan.from, tables: tablesAtRisk(plan.changes), keep: keptBackups(config) })
          : undefined
      await applyInside(driver, tx, plan, plan.statements, options.progress)
      return { plan, applied: true, atRisk, backup }
    }, options.holdingSyncLock ? { holding: SYNC_LOCK } : undefined)
  let outcome: Awaited<ReturnType<typeof attempt>>
  for (let tries = 1; ; tries++) {
    try {
      outcome = await attempt(tries === 1)
      break
    } catch (error) {
      if (!(error instanceof AskFirst)) throw error
      if (tries > CONSENT_ATTEMPTS) throw new OkraError(`The rows at risk in ${driver.displayUrl} kept changing while this sync asked about them; nothing was changed`, 'Run db:sync again when the writes are done, or pass --accept-data-loss.')
      // Asked with no transaction open: nothing is locked while a person reads the question.
      await requireConsent(error.atRisk, options)
      consented = error.atRisk
    }
  }
  const { plan, atRisk, backup } = outcome
  if (!outcome.applied) {
    if (!plan.currentUpToDate) writeCurrent(config, plan)
    return result(driver, plan, { applied: false, dataLoss: [] }, run.started)
  }
  if (backup) log(`Backup: ${describeBackup(backup, run.config.root)}`)
  recordFiles(run, plan)
  return result(driver, plan, { applied: plan.changes.length > 0, dataLoss: atRisk, backup }, run.started)
}

async function stillAsPlanned(driver: Driver, tx: Queryable, plan: SyncPlan): Promise<void> {
  const state = await readDatabaseState(driver, tx)
  const structure = await driver.fingerprint(tx)
  if (structure !== plan.structure || state?.schemaHash !== plan.state?.schemaHash || state?.syncedAt !== plan.state?.syncedAt) throw new MovedSincePlan()
}

/** Returns when the changes may go ahead; throws a DataLossError when they may not. */
async function requireConsent(atRisk: DataAtRisk[], options: SyncOptions): Promise<void> {
  if (atRisk.length === 0 || options.acceptDataLoss || options.backup) return
  if (!options.confirm) throw new DataLossError(atRisk)
  let yes: boolean
  try {
    yes = await options.confirm(consentQuestion(atRisk))
  } catch (error) {
    if (error instanceof OkraError) throw new DataLossError(atRisk)
    throw error
  }
  if (!yes) throw new DataLossError(atRisk, true)
}

function result(
  driver: Driver,
  plan: SyncPlan,
  outcome: { applied: boolean; dataLoss: DataAtRisk[]; backup?: SyncBackup },
  started: number,
): SyncResult {
  return {
    url: driver.displayUrl,
    provider: plan.provider,
    changes: plan.changes,
    summaries: summaries(plan.changes),
    applied: outcome.applied,
    durationMs: performance.now() - started,
    source: plan.source,
    ...(plan.repair ? { repair: plan.repair } : {}),
    ...(outcome.backup ? { backup: outcome.backup } : {}),
    statements: plan.statements,
    warnings: plan.warnings,
    dataLoss: outcome.dataLoss,
  }
}

