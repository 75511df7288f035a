/**
 * Auto-sync: the dev database made to match the last valid schema, through the same `sync()` as
 * `okra db:sync`, with `backup: true` (a destructive change goes ahead only after a restorable backup),
 * and reported in one line: `[okra] synced: + Added field 'phone' to User (4 ms)`.
 */
import { relative } from 'node:path'
import type { SyncBackup } from '../backup'
import { type SyncResult, sync } from '../commands/sync'
import type { Project } from '../project'
import type { OkraLogger } from './options'
import { type OkraProblem, describeProblem } from './problem'

export interface SyncOutcome {
  /** The sync's result; absent when it failed. */
  result?: SyncResult
  /** Why it failed. */
  error?: OkraProblem
  /** End to end, in milliseconds. */
  ms: number
}

/** Syncs and never throws: a failure is returned, printed by the caller, and the dev server goes on. */
export async function syncDevDatabase(project: Project, logger: OkraLogger): Promise<SyncOutcome> {
  const started = performance.now()
  try {
    const result = await sync({
      project,
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
    return { error: describeProblem(error, project.config.root), ms: performance.now() - started }
  }
}

/** The one line a sync prints: what changed, how long it took, and where a backup went. */
export function syncLine(outcome: SyncOutcome, root: string): string {
  const time = formatMs(outcome.ms)
  if (outcome.error || !outcome.result) return `[okra] sync failed (${time}): ${outcome.error?.text ?? 'unknown error'}`
  const { result } = outcome
  if (!result.applied) return `[okra] synced: already up to date (${time})`
  const changes = result.summaries.length > 0 ? result.summaries.join(', ') : `${result.statements.length} statements`
  const backup = result.backup ? `; ${backupNote(result.backup, root)}` : ''
  return `[okra] synced: ${changes} (${time}${backup})`
}

/** SQLite: the copy's path and how to restore it; PostgreSQL: the hint already names the backup tables. */
function backupNote(backup: SyncBackup, root: string): string {
  if (backup.kind === 'postgres-schema') return `backup: ${backup.restoreHint}`
  return `backup: ${relative(root, backup.path).split('\\').join('/')}; ${backup.restoreHint}`
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`
}
