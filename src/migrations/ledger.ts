/**
 * The migration folders held against `_okra_migrations`: what is applied, pending, changed after it was
 * applied, failed, or recorded without a folder. Pure; the errors it raises stop a run before any SQL.
 */
import { OkraError } from '../errors'
import { changedFiles } from './checksum'
import type { MigrationFolder } from './folders'
import type { HistoryRow } from './history'
import { type RebasedAlias, rebasedAliases } from './rebased'

export interface ChangedMigration {
  folder: MigrationFolder
  row: HistoryRow
  /** `migration.sql changed`, `renames.json added`; empty when the row has no per-file checksums. */
  files: string[]
}

export interface Ledger {
  folders: MigrationFolder[]
  history: HistoryRow[]
  /** Rows by id. */
  rows: Map<string, HistoryRow>
  /** Folders without a row, in folder order. */
  pending: MigrationFolder[]
  /** Pending folders before the last applied one, in the order they apply (merged from another branch): applied anyway, with a warning. */
  outOfOrder: MigrationFolder[]
  changed: ChangedMigration[]
  failed: HistoryRow[]
  /** Rows whose folder is not here (rows of migrations rebased since are in `rebased`). */
  missing: HistoryRow[]
  /** Folders the database applied under a former name, before `migrate:rebase` moved them (not in `pending`). */
  rebased: RebasedAlias[]
}

export function makeLedger(folders: MigrationFolder[], history: HistoryRow[]): Ledger {
  const rows = new Map(history.map((row) => [row.id, row]))
  const byId = new Map(folders.map((folder) => [folder.id, folder]))
  const rebased = rebasedAliases(folders, history)
  const aliased = new Set(rebased.map((a) => a.folder))
  const aliasRows = new Set(rebased.flatMap((a) => a.rows.map((r) => r.id)))
  const pending = folders.filter((folder) => !rows.has(folder.id) && !aliased.has(folder))
  // Folders come in the order they are applied: a pending one before the last applied one was skipped.
  const lastApplied = folders.findLastIndex((folder) => rows.has(folder.id))
  const changed: ChangedMigration[] = []
  for (const row of history) {
    const folder = byId.get(row.id)
    if (!folder || folder.checksum === row.checksum || folder.checksumWithoutMeta === row.checksum) continue
    changed.push({ folder, row, files: row.files ? changedFiles(row.files, folder.files) : [] })
  }
  return {
    folders,
    history,
    rows,
    pending,
    outOfOrder: pending.filter((folder) => folders.indexOf(folder) < lastApplied),
    changed,
    failed: history.filter((row) => row.status === 'failed'),
    missing: history.filter((row) => !byId.has(row.id) && !aliasRows.has(row.id)),
    rebased,
  }
}

/** Stops the run when an applied migration's files changed, or a migration failed outside a transaction. */
export function assertRunnable(ledger: Ledger): void {
  const [changed] = ledger.changed
  if (changed) throw changedError(changed, ledger.changed.length)
  const [failed] = ledger.failed
  if (failed) throw failedError(failed)
}

export function changedError(changed: ChangedMigration, count = 1): OkraError {
  const { folder, row, files } = changed
  const which = files.length ? files.map((f) => `${folder.shownDir}/${f}`).join(', ') : `a file in ${folder.shownDir}/`
  const others = count > 1 ? ` (and ${count - 1} more changed migration${count > 2 ? 's' : ''}; see okra migrate:status)` : ''
  return new OkraError(
    `Migration ${folder.id} was changed after it was applied: ${which}${others}. Nothing was run.\n` +
      `  checksum when applied: ${row.checksum}\n` +
      `  checksum now:          ${folder.checksum}`,
    `Restore the folder as it was (git checkout -- ${folder.shownDir}), or, if the database really has the migration as it is now, ` +
      `record the new files with \`okra migrate:resolve --applied ${folder.id}\`. Changes belong in a new migration (okra db:migrate:snapshot).`,
  )
}

export function failedError(row: HistoryRow): OkraError {
  return new OkraError(
    `Migration ${row.id} failed on ${formatDate(row.appliedAt)} while running outside a transaction: part of it may be in the database. No migration runs until it is resolved.`,
    `Check the database, then finish the migration by hand and run \`okra migrate:resolve --applied ${row.id}\`, ` +
      `or undo what it did and run \`okra migrate:resolve --rolled-back ${row.id}\` (migrate:up will then run it again).`,
  )
}

/** `2024-01-20 14:30:22 UTC`. */
export function formatDate(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')
}
