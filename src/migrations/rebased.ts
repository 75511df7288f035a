/**
 * Databases that applied migrations before `migrate:rebase` moved them.
 *
 * A rebase gives the moved migrations new folder names (after the other branch's head) and records the
 * names they had in their `migration.json` (`rebasedFrom`). A database that applied the moved branch under
 * the old names holds those changes already, but not yet the other branch's. `migrate:up` then:
 *
 *   1. checks that the database's structure is what the rebased history expects there (the other branch's
 *      migrations applied so far, plus the moved ones it applied): if not, nothing runs;
 *   2. applies the other branch's pending migrations, each derived between schemas that keep the moved
 *      branch's changes (so no SQLite table rebuild loses a column of the other branch); a hand-edited SQL
 *      file runs as written, with a warning;
 *   3. records the moved migrations under their new names, replacing the rows of the old names, in one
 *      transaction.
 *
 * A database that applied both branches (in the other order, before the rebase) needs step 3 only, once
 * its structure matches.
 */
import type { Driver } from '../dialects/index'
import { diff, summaries } from '../diff/index'
import { OkraError } from '../errors'
import type { SyncedRename } from '../project/renames'
import type { Schema } from '../schema/types'
import { toScript } from '../sql/statement'
import { deriveStep, invertRenames, physicalWithoutHints } from './derive'
import { META_FILE, type MigrationFolder, folderRenames, folderSchema } from './folders'
import { type HistoryRow, deleteHistoryRow, writeHistoryRow } from './history'
import { type MigrationPlan, fromStep, parentFolder, planUp, sqlFileFor } from './plan'
import { rebaseMigrations } from './rebase'
import { sqlFileHeader } from './sql-files'

/** One former name of a rebased migration, and the hash of the schema it had under that name. */
export interface RebasedFrom {
  id: string
  schema: string
}

/** The former names `migration.json` records (newest first); none for a migration never rebased. */
export function rebasedFromOf(folder: MigrationFolder): RebasedFrom[] {
  const text = folder.contents[META_FILE]
  if (text === undefined) return []
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return [] // the chain reader names a damaged migration.json
  }
  const list = (value as { rebasedFrom?: unknown } | null)?.rebasedFrom
  if (!Array.isArray(list)) return []
  return list.filter((r): r is RebasedFrom => typeof r?.id === 'string' && typeof r?.schema === 'string')
}

/** A migration the database applied under a former name. */
export interface RebasedAlias {
  folder: MigrationFolder
  /** Its rows in `_okra_migrations`, under former names. */
  rows: HistoryRow[]
}

/** The folders (not applied under their own name) whose former names the history holds. */
export function rebasedAliases(folders: readonly MigrationFolder[], history: readonly HistoryRow[]): RebasedAlias[] {
  const rows = new Map(history.map((row) => [row.id, row]))
  const out: RebasedAlias[] = []
  for (const folder of folders) {
    if (rows.has(folder.id)) continue
    const found = rebasedFromOf(folder).flatMap((r) => rows.get(r.id) ?? [])
    if (found.length) out.push({ folder, rows: found })
  }
  return out
}

/** What `migrate:up` does for a database that applied moved migrations under their former names. */
export interface CatchUp {
  aliases: RebasedAlias[]
  /** Pending migrations before the last alias (the other branch's), in order, with their plans. */
  plans: { folder: MigrationFolder; plan: MigrationPlan }[]
  /** The schema the database must have before anything runs. */
  expected: Schema | null
  notes: string[]
}

/**
 * The catch-up plan, or null when no folder is applied under a former name. `pending` are the folders
 * without a row, in order.
 */
export async function planCatchUp(
  folders: readonly MigrationFolder[],
  aliases: readonly RebasedAlias[],
  pending: readonly MigrationFolder[],
  driver: Driver,
): Promise<CatchUp | null> {
  if (aliases.length === 0) return null
  const index = (f: MigrationFolder) => folders.indexOf(f)
  const aliased = [...aliases].sort((a, b) => index(a.folder) - index(b.folder))
  const first = index(aliased[0]!.folder)
  const last = index(aliased.at(-1)!.folder)
  if (last - first + 1 !== aliased.length) {
    const gap = folders.slice(first, last + 1).find((f) => !aliased.some((a) => a.folder === f))!
    throw new OkraError(
      `This database applied ${aliased.map((a) => a.rows.map((r) => r.id).join(', ')).join(', ')} before they were rebased, but not ${gap.id}, which now sits between them.`,
      'Restore the database from the backup taken before, or bring the migrations back into one run with `okra migrate:rebase` on the branch it applied.',
    )
  }
  const moved = aliased.map((a) => ({ id: a.folder.id, schema: folderSchema(a.folder), renames: folderRenames(a.folder) }))
  // The head the moved migrations were rebased onto, and the other branch's migrations up to it.
  const onto = first > 0 ? folders[first - 1]! : undefined
  const ontoSchema = onto ? folderSchema(onto) : null
  const before = pending.filter((f) => index(f) < first)
  const start = before.length ? index(before[0]!) : first
  /** The schema of `folders[i]` (null: the empty database, i = -1) with the moved migrations' changes kept. */
  const withMoved = (i: number): Schema => {
    const renamesAfter: SyncedRename[] = folders.slice(i + 1, first).flatMap((f) => folderRenames(f))
    const headRenames = invertRenames(renamesAfter).reverse()
    const { steps, conflicts } = rebaseMigrations({ ancestor: ontoSchema, head: i >= 0 ? folderSchema(folders[i]!) : null, headRenames, moved })
    if (conflicts.length) throw new OkraError(`The rebased migrations ${moved.map((m) => m.id).join(', ')} do not replay on ${folders[i]?.id ?? 'the empty database'}: ${conflicts.map((c) => c.subject).join(', ')}`)
    return steps.at(-1)!.schema
  }
  const notes: string[] = []
  const plans: CatchUp['plans'] = []
  let previous = withMoved(start - 1)
  const expected = previous
  for (const folder of before) {
    const i = index(folder)
    const next = withMoved(i)
    const step = await deriveStep(previous, next, driver.dialect, folderRenames(folder))
    const file = sqlFileFor(folder, driver.provider)
    if (file && !(await isGenerated(folders, i, file.name, driver))) {
      notes.push(`${folder.shownDir}/${file.name} was edited by hand: it runs as written on a database that holds ${aliased.map((a) => a.folder.id).join(', ')} already; review it`)
      plans.push({ folder, plan: await planUp(folders, i, driver.dialect) })
    } else {
      const from = i > 0 ? folders[i - 1]!.id : '(empty database)'
      plans.push({ folder, plan: fromStep(folder, 'up', step, driver.dialect, `${from} + ${aliased.map((a) => a.folder.id).join(', ')}`, folder.id, []) })
    }
    previous = next
  }
  return { aliases: aliased, plans, expected, notes }
}

/** Whether the SQL file is the one OKRA generates for the folder (then it is derived again, with the moved changes kept). */
async function isGenerated(folders: readonly MigrationFolder[], i: number, name: string, driver: Driver): Promise<boolean> {
  const folder = folders[i]!
  const parent = parentFolder(folders, folder)
  const previous = parent ? folderSchema(parent) : null
  const step = await deriveStep(previous, folderSchema(folder), driver.dialect, folderRenames(folder))
  return folder.contents[name]!.replace(/\r\n?/g, '\n') === sqlFileHeader(driver.dialect) + toScript(step.statements)
}

/** How the live database differs from `schema` (one line per difference; none when it matches). */
export async function structureDifferences(driver: Driver, schema: Schema | null): Promise<string[]> {
  const expected = physicalWithoutHints(schema, driver.dialect.types)
  const { changes } = await diff(expected, await driver.introspect(), { types: driver.dialect.types })
  return summaries(changes)
}

/** Refuses, before any SQL, a database whose structure is not what the rebased history expects. */
export async function assertCatchUpStructure(driver: Driver, catchUp: CatchUp): Promise<void> {
  const differences = await structureDifferences(driver, catchUp.expected)
  if (differences.length === 0) return
  const old = catchUp.aliases.flatMap((a) => a.rows.map((r) => r.id))
  throw new OkraError(
    `This database applied ${old.join(', ')} before they were rebased (now ${catchUp.aliases.map((a) => a.folder.id).join(', ')}), ` +
      `but its structure is not what the rebased history expects there, so nothing was run:\n` +
      differences.map((d) => `  ${d}`).join('\n'),
    'Restore the database from a backup taken before the other branch\'s migrations ran on it (SQLite: .okra/backups/), then run `okra migrate:up` again; ' +
      'or, if the database really holds every change of both branches, record them with `okra migrate:resolve --applied <id>` for each pending migration.',
  )
}

/** Records the aliased migrations under their new names (the rows of their former names go), in one transaction. */
export async function recordAliases(driver: Driver, aliases: readonly RebasedAlias[]): Promise<void> {
  await driver.transaction(async (tx) => {
    for (const alias of aliases) {
      for (const row of alias.rows) await deleteHistoryRow(tx, row.id)
      const { folder } = alias
      const appliedAt = alias.rows.map((r) => r.appliedAt).sort()[0]!
      await writeHistoryRow(tx, { id: folder.id, checksum: folder.checksum, appliedAt, executionMs: 0, status: 'applied', files: folder.files })
    }
  })
}
