/**
 * `okra db:sync`: makes the development database match the schema, directly, with no migration file
 * (phase 1 of SPEC section 6). Also what the plugin's auto-sync calls.
 *
 *   plan (writes nothing) -> consent for destructive changes -> backup (when asked) -> apply + record
 *
 * One sync at a time per database: on PostgreSQL the whole sync is one transaction holding the advisory
 * lock of `driver.lock('sync')` (its transaction form); on SQLite the write transaction itself serialises
 * syncs (BEGIN IMMEDIATE), and it first checks that `_okra_state` and the structure fingerprint are still
 * what the plan read (else it plans again). SQLite takes no lock row, because writing one would change
 * the file, and a refused or failed sync must leave it byte for byte as it was.
 */
import { performance } from 'node:perf_hooks'
import { type SyncBackup, backupPostgres, backupSqlite, tablesAtRisk } from '../backup'
import type { CommandContext, CommandWiring, FlagValue } from '../cli'
import type { ResolvedConfig } from '../config/types'
import { type Change, type DiffWarning, type RenameCandidate, type RenameResolver, summaries } from '../diff/index'
import { introspectPostgres } from '../drivers/introspect-postgres'
import type { Driver, Queryable } from '../drivers/types'
import { parseDatabaseUrl } from '../drivers/url'
import { OkraError, SchemaError } from '../errors'
import { appendSyncedRenames, readDatabaseState, renamesOf, writeCurrentSchema } from '../migrations/state'
import { type LoadProjectOptions, type Project, loadProject } from '../project'
import type { Provider } from '../schema/physical-types'
import type { Statement } from '../sql/statement'
import type { Terminal } from '../terminal'
import { applyInside, applyPlan } from '../sync/apply'
import { type DataAtRisk, DataLossError, consentQuestion, dataAtRisk } from '../sync/consent'
import { structureFingerprint } from '../sync/fingerprint'
import { type PlanDatabase, type SyncPlan, planSync, rememberSynced } from '../sync/plan'
import type { WatchSummary } from '../sync/watch'

export { DataLossError, type DataAtRisk } from '../sync/consent'

/** The lock key every OKRA sync of a database takes. */
export const SYNC_LOCK = 'sync'
const DEFAULT_LOCK_TIMEOUT_MS = 30_000
/** SQLite: how often a sync plans again when another one changed the database between its plan and its write. */
const SQLITE_ATTEMPTS = 3

export interface SyncOptions extends LoadProjectOptions {
  /** A project already loaded (the plugin keeps one); default: loaded from `cwd` / `configFile` / `env`. */
  project?: Project
  /** Apply destructive changes that affect rows without asking (`--accept-data-loss`). */
  acceptDataLoss?: boolean
  /** Decides whether a table or column that went away and one that appeared are one renamed (the CLI asks at a terminal). */
  renames?: RenameResolver
  /**
   * Asked when destructive changes affect rows and neither `acceptDataLoss` nor `backup` allows them; the
   * question lists them. Absent, or throwing an OkraError (no terminal): the sync stops with a DataLossError.
   */
  confirm?: (question: string) => Promise<boolean>
  /**
   * Auto-sync: destructive changes proceed without consent, but only after a restorable backup (SQLite: a
   * copy of the file in `.okra/backups/`; PostgreSQL: the affected tables in the `okra_backup` schema).
   */
  backup?: boolean
  /** One line at a time: repairs, warnings, backups. */
  log?: (line: string) => void
  /** An open driver to use (left open); default: opened from the config and closed at the end. */
  driver?: Driver
  /** How long to wait for another sync of the same database (PostgreSQL). Default 30 s. */
  lockTimeoutMs?: number
}

export interface SyncResult {
  /** The database URL, password masked. */
  url: string
  provider: Provider
  /** What changed (or, when nothing was applied, nothing). */
  changes: Change[]
  /** One line per change: `+ Added field 'phone' to User`. */
  summaries: string[]
  /** Changes were applied (false: already in sync). */
  applied: boolean
  /** End to end: load the schema, plan, apply, record. */
  durationMs: number
  /** Where the database's state came from: `current/schema.json` (fast path) or introspection. */
  source: 'current' | 'introspection'
  /** Why the database had to be introspected although it had been synced before. */
  repair?: string
  /** Taken before destructive changes when `backup` was asked. */
  backup?: SyncBackup
  /** The statements run, in order. */
  statements: Statement[]
  /** Stale or conflicting rename hints. */
  warnings: DiffWarning[]
  /** The destructive changes applied, with the rows they affected (with consent or after a backup). */
  dataLoss: DataAtRisk[]
}

export async function sync(options: SyncOptions = {}): Promise<SyncResult> {
  const started = performance.now()
  const project = options.project ?? (await loadProject(options))
  if (!project.schema) throw new SchemaError(project.diagnostics)
  const { config } = project
  const schema = project.schema
  return oneAtATimeInProcess(config.database.url, async () => {
    const driver = options.driver ?? (await openConfiguredDriver(config))
    try {
      const run = { driver, config, schema, options, started, log: options.log ?? (() => undefined) }
      return driver.provider === 'postgres' ? await syncPostgres(run) : await syncSqlite(run)
    } finally {
      if (!options.driver) await driver.close()
    }
  })
}

/** The end of the last sync started in this process, per database URL. */
const running = new Map<string, Promise<unknown>>()

/**
 * Syncs of one database from this process run one after another. Two SQLite connections of one thread
 * must not wait for each other's write lock: better-sqlite3 waits synchronously, blocking the very
 * event loop the other one needs to finish.
 */
async function oneAtATimeInProcess<T>(url: string, fn: () => Promise<T>): Promise<T> {
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

async function openConfiguredDriver(config: ResolvedConfig): Promise<Driver> {
  const { openDriver } = await import('../drivers/index')
  return openDriver(config.database.url, { root: config.root })
}

interface SyncRun {
  driver: Driver
  config: ResolvedConfig
  schema: NonNullable<Project['schema']>
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
  writeCurrentSchema(run.config, run.schema, plan.targetText)
  rememberSynced(plan)
  appendSyncedRenames(run.config, renamesOf(plan.changes))
}

/** The database moved between the plan and the write (another sync): plan again. */
class MovedSincePlan extends Error {}

/**
 * SQLite: plan (reading only), ask, back up, then write in one transaction that first checks the plan
 * still holds. The plan is not made inside the write transaction, because holding SQLite's write lock
 * while a person answers would block every other writer (the app being developed).
 */
async function syncSqlite(run: SyncRun): Promise<SyncResult> {
  const { driver, config, schema, options, log } = run
  for (let attempt = 1; ; attempt++) {
    const plan = await planSync(driver, config, schema, options.renames)
    announce(plan, log)
    if (alreadySynced(plan)) {
      if (!plan.currentUpToDate) writeCurrentSchema(config, schema, plan.targetText)
      return result(driver, plan, { applied: false, dataLoss: [] }, run.started)
    }
    const atRisk = await dataAtRisk(driver, plan.changes)
    await requireConsent(atRisk, options)
    let backup: SyncBackup | undefined
    if (atRisk.length > 0 && options.backup) {
      backup = await backupSqlite(driver, config.root, sqliteFile(config))
      log(`Backup: ${backup.restoreHint}`)
    }
    try {
      await applyPlan(driver, plan, { check: (tx) => stillAsPlanned(tx, plan) })
    } catch (error) {
      if (error instanceof MovedSincePlan && attempt < SQLITE_ATTEMPTS) continue
      if (error instanceof MovedSincePlan) throw new OkraError(`Another process kept changing ${driver.displayUrl} while this sync ran`, 'Run db:sync again when it is done.')
      throw error
    }
    recordFiles(run, plan)
    return result(driver, plan, { applied: plan.changes.length > 0, dataLoss: atRisk, backup }, run.started)
  }
}

/**
 * PostgreSQL: everything in ONE transaction that first takes the sync's advisory lock (the transaction
 * form of `driver.lock('sync')`: the same key, released by COMMIT or ROLLBACK, and no second connection):
 * plan, count, ask, back up, apply, record. Another sync waits for the lock; a refusal rolls back.
 */
async function syncPostgres(run: SyncRun): Promise<SyncResult> {
  const { driver, config, schema, options, log } = run
  const timeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS
  const outcome = await driver.transaction(async (tx) => {
    void takeTransactionLock
    const plan = await planSync(inTransaction(tx), config, schema, options.renames)
    announce(plan, log)
    if (alreadySynced(plan)) return { plan, applied: false, atRisk: [] as DataAtRisk[] }
    const atRisk = await dataAtRisk(tx, plan.changes)
    await requireConsent(atRisk, options)
    const backup = atRisk.length > 0 && options.backup ? await backupPostgres(tx, plan.from, tablesAtRisk(plan.changes)) : undefined
    await applyInside(tx, plan)
    return { plan, applied: true, atRisk, backup }
  })
  const { plan, atRisk, backup } = outcome
  if (!outcome.applied) {
    if (!plan.currentUpToDate) writeCurrentSchema(config, schema, plan.targetText)
    return result(driver, plan, { applied: false, dataLoss: [] }, run.started)
  }
  if (backup) log(`Backup: ${backup.restoreHint}`)
  recordFiles(run, plan)
  return result(driver, plan, { applied: plan.changes.length > 0, dataLoss: atRisk, backup }, run.started)
}

const LOCK_POLL_MS = 100

/** `pg_try_advisory_xact_lock` on the key of `driver.lock('sync')`, polled until `timeoutMs`. */
async function takeTransactionLock(tx: Queryable, displayUrl: string, timeoutMs: number): Promise<void> {
  const { advisoryLockId } = await import('../drivers/pg')
  const id = advisoryLockId(SYNC_LOCK)
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const [row] = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1::bigint) AS locked', [id])
    if (row?.locked) return
    if (Date.now() >= deadline) {
      throw new OkraError(
        `Could not start the sync of ${displayUrl} within ${timeoutMs / 1000} s: another sync of this database is running`,
        'Wait for it to finish (a dev server auto-syncing, or another okra db:sync), then run the command again.',
      )
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(LOCK_POLL_MS, deadline - Date.now())))
  }
}

/** The transaction as the plan needs it: queries, and introspection of the connection's schema. */
function inTransaction(tx: Queryable): PlanDatabase {
  return {
    provider: 'postgres',
    query: (sql, params) => tx.query(sql, params),
    exec: (script) => tx.exec(script),
    async introspect() {
      const [row] = await tx.query<{ schema: string }>('SELECT current_schema() AS "schema"')
      return introspectPostgres(tx, row!.schema)
    },
  }
}

async function stillAsPlanned(tx: Queryable, plan: SyncPlan): Promise<void> {
  const state = await readDatabaseState(tx, plan.provider)
  const structure = await structureFingerprint(tx, plan.provider)
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

function sqliteFile(config: ResolvedConfig): string {
  const target = parseDatabaseUrl(config.database.url, config.root)
  return target.provider === 'sqlite' ? target.file : ':memory:'
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

/**
 * The CLI's rename question, asked at a terminal only: without one, what is left unpaired is dropped and
 * added (and a drop that loses rows then needs --accept-data-loss).
 */
export function terminalRenames(terminal: Terminal): RenameResolver {
  let noTerminal = false
  return async (candidate: RenameCandidate) => {
    if (noTerminal) return 'drop-add'
    const what = candidate.kind === 'table' ? `Table '${candidate.from}'` : `Column '${candidate.from}' of table '${candidate.table}'`
    const question = `${what} is gone and '${candidate.to}' is new: was it renamed (keeps its data) or dropped and a new one created?`
    try {
      const answer = await terminal.ask(question, { flag: 'a @renamed hint in the schema', choices: ['rename', 'drop and create'] })
      return answer === 'rename' ? 'rename' : 'drop-add'
    } catch (error) {
      if (!(error instanceof OkraError)) throw error
      noTerminal = true
      return 'drop-add'
    }
  }
}

/** The options the CLI gives sync(): questions go to the terminal, log lines to stderr. */
export function cliSyncOptions(context: CommandContext, flags: Record<string, FlagValue | undefined>): SyncOptions {
  const { terminal } = context
  return {
    cwd: context.cwd,
    configFile: context.configFile,
    env: context.env,
    processEnv: context.processEnv,
    acceptDataLoss: flags['accept-data-loss'] === true,
    backup: flags.backup === true,
    renames: terminalRenames(terminal),
    confirm: (question) => terminal.confirm(question, { flag: '--accept-data-loss' }),
    log: (line) => terminal.stderr.line(line.startsWith('warning:') ? terminal.stderr.paint.yellow(line) : line),
  }
}

export function printSyncResult(result: SyncResult, { stdout }: Terminal): void {
  for (const line of result.summaries) stdout.line(line)
  if (result.applied) stdout.line(`${stdout.paint.cyan('✓')} Synced ${result.url} in ${Math.round(result.durationMs)} ms`)
  else stdout.line(`${stdout.paint.cyan('✓')} Already in sync (${result.url})`)
}

export function syncResultToJSON(result: SyncResult) {
  return {
    ok: true,
    applied: result.applied,
    url: result.url,
    provider: result.provider,
    changes: result.summaries,
    statements: result.statements.map((s) => s.sql),
    durationMs: Math.round(result.durationMs * 10) / 10,
    source: result.source,
    repair: result.repair ?? null,
    backup: result.backup ?? null,
    dataLoss: result.dataLoss.map((r) => ({ change: r.summary ?? null, risk: r.risk.reason, count: r.count })),
    warnings: result.warnings.map((w) => w.message),
  }
}

type SyncCommandResult = SyncResult | WatchSummary

const isWatch = (result: SyncCommandResult): result is WatchSummary => 'watched' in result

export const command: CommandWiring<SyncCommandResult> = {
  description:
    'Makes the database match the schema directly, with no migration file. Changes that would lose data need --accept-data-loss or a yes at the prompt; without either, nothing is changed and the command exits 1.',
  flags: {
    'accept-data-loss': { type: 'boolean', description: 'apply destructive changes without asking' },
    backup: { type: 'boolean', description: 'apply destructive changes after a restorable backup (as auto-sync does)' },
    watch: { type: 'boolean', description: 'sync again whenever a schema file changes (Ctrl-C to stop)' },
  },
  async run(context, flags) {
    if (flags.watch === true) {
      const { watchSync } = await import('../sync/watch')
      return watchSync(cliSyncOptions(context, flags), { terminal: context.terminal })
    }
    return sync(cliSyncOptions(context, flags))
  },
  printText(result, terminal) {
    if (isWatch(result)) terminal.stderr.line(`Stopped watching after ${result.runs} sync${result.runs === 1 ? '' : 's'} (${result.failures} failed)`)
    else printSyncResult(result, terminal)
  },
  toJSON: (result) => (isWatch(result) ? { ok: true, ...result } : syncResultToJSON(result)),
}
