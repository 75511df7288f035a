/**
 * Auto-sync: the dev database made to match the last valid schema, through the same `sync()` as
 * `okra db:sync`, with `backup: true` (a destructive change goes ahead only after a restorable backup),
 * and reported in one line: `[okra] synced: + Added field 'phone' to User (4 ms)`. With
 * `autoSync: 'ask'` the context syncs with `backup: false` first, so a destructive change that affects
 * rows stops the sync (nothing changed) and waits for the developer (ask.ts).
 */
import { statSync } from 'node:fs'
import type { ResolvedConfig } from '../config/types'
import { backupNote } from '../backups/backups'
import { type Driver, databaseTarget, dialectOf, openDriver } from '../dialects/index'
import { type OkraProblem, describeProblem } from '../problems'
import type { Project } from '../project/load'
import { oneAtATimeInProcess } from '../sync/engine'
import { type DataAtRisk, DataLossError, type SyncResult, sync } from '../sync/sync'
import { type OkraLogger, formatMs } from './options'

export interface SyncOutcome {
  /** The sync's result; absent when it failed or was held. */
  result?: SyncResult
  /** Why it failed. */
  error?: OkraProblem
  /**
   * `autoSync: 'ask'`: nothing was applied because these destructive changes affect rows, and the
   * developer has not allowed them: the dev panel now `asks`, still `waits` for the decision asked
   * before, or the developer `kept` the database as it is (while these changes are pending).
   */
  held?: { atRisk: DataAtRisk[]; decision: 'asks' | 'waits' | 'kept' }
  /** End to end, in milliseconds. */
  ms: number
}

/**
 * The connection auto-sync keeps open between syncs: opening SQLite and preparing the connection
 * costs more than a small sync. It is opened again when the URL changes, when the SQLite file was
 * deleted or replaced (someone resetting dev.db by removing it must not leave the syncs writing
 * into the old, unlinked file), and after a failed sync.
 */
export class DevDatabase {
  private current: { url: string; driver: Driver; file?: string; inode?: number } | undefined

  async driver(config: ResolvedConfig): Promise<Driver> {
    const { url } = config.database
    const { file: path } = databaseTarget(url, config.root)
    const file = path !== undefined && path !== ':memory:' ? path : undefined
    if (this.current && (this.current.url !== url || (file !== undefined && inodeOf(file) !== this.current.inode))) await this.close()
    if (!this.current) {
      const driver = await openDriver(url, { root: config.root })
      this.current = { url, driver, file, inode: file === undefined ? undefined : inodeOf(file) }
    }
    return this.current.driver
  }

  async close(): Promise<void> {
    const driver = this.current?.driver
    this.current = undefined
    await driver?.close()
  }
}

function inodeOf(file: string): number | undefined {
  try {
    return statSync(file).ino
  } catch {
    return undefined
  }
}

/**
 * Runs `read` on the dev database's connection, one at a time with the syncs of this process; undefined
 * when the database does not exist (yet): reading must not create it.
 */
export async function readDevDatabase<T>(config: ResolvedConfig, database: DevDatabase, read: (driver: Driver) => Promise<T>): Promise<T | undefined> {
  const { url } = config.database
  const target = databaseTarget(url, config.root)
  if (!dialectOf(target.provider).exists(target)) return undefined
  return oneAtATimeInProcess(url, async () => read(await database.driver(config)))
}

/** Where the backup before destructive changes goes, in words (`a copy of dev.db in .okra/backups/`). */
export function backupPlace(config: ResolvedConfig): string {
  const target = databaseTarget(config.database.url, config.root)
  return dialectOf(target.provider).backupPlace(target, config.root)
}

/**
 * Syncs and never throws: a failure is returned, printed by the caller, and the dev server goes on.
 * `backup: false` (`autoSync: 'ask'`): destructive changes that affect rows stop the sync, which comes back
 * with `refused`.
 */
export async function syncDevDatabase(project: Project, database: DevDatabase, logger: OkraLogger, { backup = true } = {}): Promise<SyncOutcome & { refused?: DataAtRisk[] }> {
  const started = performance.now()
  try {
    const result = await sync({
      project,
      driver: await database.driver(project.config),
      backup,
      // The backup's place is part of the sync's own line; warnings and repairs get theirs.
      log: (line) => {
        if (line.startsWith('Backup:')) return
        if (line.startsWith('warning:')) logger.warn(`[okra] ${line}`)
        else logger.info(`[okra] ${line}`)
      },
    })
    return { result, ms: performance.now() - started }
  } catch (error) {
    // A refusal changed nothing and the connection is fine; after any other failure it is opened afresh.
    if (error instanceof DataLossError && !error.declined) return { refused: error.atRisk, error: describeProblem(error, project.config.root), ms: performance.now() - started }
    await database.close().catch(() => undefined)
    return { error: describeProblem(error, project.config.root), ms: performance.now() - started }
  }
}

/**
 * The one line a sync prints: what changed, how long it took, and where a backup went. A held sync
 * says where the decision is taken (`panel`: the dev panel's URL when one is served, or its path while
 * the dev server's address is not known yet).
 */
export function syncLine(outcome: SyncOutcome, root: string, panel?: string): string {
  const time = formatMs(outcome.ms)
  if (outcome.held) return heldLine(outcome.held, panel)
  if (outcome.error || !outcome.result) return `[okra] sync failed (${time}):\n${outcome.error?.text ?? 'unknown error'}`
  const { result } = outcome
  if (!result.applied) return `[okra] synced: already up to date (${time})`
  const changes = result.summaries.length > 0 ? result.summaries.join(', ') : `${result.statements.length} statements`
  const backup = result.backup ? `; ${backupNote(result.backup, root)}` : ''
  return `[okra] synced: ${changes} (${time}${backup})`
}

function heldLine({ atRisk, decision }: NonNullable<SyncOutcome['held']>, panel: string | undefined): string {
  const lines = atRisk.map((r) => `  ${r.line}`).join('\n')
  if (decision === 'kept') {
    return `[okra] not synced: you chose to keep the database as it is for these changes (in the dev panel):\n${lines}\nChange the schema, or run okra db:sync --accept-data-loss to apply them.`
  }
  const where = panel
    ? `a decision waits in the dev panel: ${panel.startsWith('/') ? `${panel} on the dev server` : panel}`
    : 'a decision waits for the dev panel, and none is served here: start one with okra dev --ui, or run okra db:sync --accept-data-loss'
  if (decision === 'waits') return `[okra] not synced: ${where}`
  return `[okra] not synced: these changes would lose data, so ${where}\n${lines}`
}

export { backupNote }

