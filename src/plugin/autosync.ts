/**
 * Auto-sync: the dev database made to match the last valid schema, through the same `sync()` as
 * `okra db:sync`, with `backup: true` (a destructive change goes ahead only after a restorable backup),
 * and reported in one line: `[okra] synced: + Added field 'phone' to User (4 ms)`.
 */
import { statSync } from 'node:fs'
import { displayPath } from '../fs'
import type { ResolvedConfig } from '../config/types'
import { type Driver, type SyncBackup, databaseTarget, openDriver } from '../dialects/index'
import { type OkraProblem, describeProblem } from '../problems'
import type { Project } from '../project/load'
import { type SyncResult, sync } from '../sync/sync'
import { type OkraLogger, formatMs } from './options'

export interface SyncOutcome {
  /** The sync's result; absent when it failed. */
  result?: SyncResult
  /** Why it failed. */
  error?: OkraProblem
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

/** Syncs and never throws: a failure is returned, printed by the caller, and the dev server goes on. */
export async function syncDevDatabase(project: Project, database: DevDatabase, logger: OkraLogger): Promise<SyncOutcome> {
  const started = performance.now()
  try {
    const result = await sync({
      project,
      driver: await database.driver(project.config),
      backup: true,
      // The backup's place is part of the sync's own line; warnings and repairs get theirs.
      log: (line) => {
        if (line.startsWith('Backup:')) return
        if (line.startsWith('warning:')) logger.warn(`[okra] ${line}`)
        else logger.info(`[okra] ${line}`)
      },
    })
    return { result, ms: performance.now() - started }
  } catch (error) {
    await database.close().catch(() => undefined)
    return { error: describeProblem(error, project.config.root), ms: performance.now() - started }
  }
}

/** The one line a sync prints: what changed, how long it took, and where a backup went. */
export function syncLine(outcome: SyncOutcome, root: string): string {
  const time = formatMs(outcome.ms)
  if (outcome.error || !outcome.result) return `[okra] sync failed (${time}):\n${outcome.error?.text ?? 'unknown error'}`
  const { result } = outcome
  if (!result.applied) return `[okra] synced: already up to date (${time})`
  const changes = result.summaries.length > 0 ? result.summaries.join(', ') : `${result.statements.length} statements`
  const backup = result.backup ? `; ${backupNote(result.backup, root)}` : ''
  return `[okra] synced: ${changes} (${time}${backup})`
}

/** SQLite: the copy's path and how to restore it; PostgreSQL: the hint already names the backup tables. */
function backupNote(backup: SyncBackup, root: string): string {
  if (backup.kind === 'tables') return `backup: ${backup.restoreHint}`
  return `backup: ${displayPath(root, backup.path)}; ${backup.restoreHint}`
}

