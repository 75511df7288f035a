/**
 * Pending migrations whose changes a database already has: a development database synced to the schema
 * before the migration was written (or by a teammate's schema), or a database changed by hand. Running
 * them would fail on "already exists"; `migrate:up` says so instead, and `--resolve-applied` records them
 * as applied without running them (what `migrate:resolve --applied` does for one).
 *
 * The check: the live database (introspected) is not the schema it should be at (the newest applied
 * migration's, or the one the first pending migration starts from), but it is exactly the schema of a
 * later folder: every pending migration up to that folder is already there. Indexes made by hand in migration SQL do not count as differences.
 */
import { diff } from '../diff/index'
import { namedIn } from '../project/hand-made'
import type { Driver } from '../dialects/index'
import type { DbSchema } from '../schema/physical-types'
import { physicalWithoutHints } from './derive'
import { type MigrationFolder, folderSchema } from './folders'
import type { Ledger } from './ledger'
import { sqlFileFor } from './plan'
import { isGeneratedSql } from './sql-files'

export interface PresentMigrations {
  /** Pending folders the database already has, oldest first. */
  folders: MigrationFolder[]
  /** Their SQL files holding statements OKRA did not derive from the schema (those are not in the database's structure check). */
  handWritten: string[]
}

/** `handMade`: the indexes made by hand in migration SQL, read only when the database has an index no schema explains. */
export async function presentMigrations(driver: Driver, ledger: Ledger, handMade: () => ReadonlySet<string>): Promise<PresentMigrations> {
  const none = { folders: [], handWritten: [] }
  const [first] = ledger.pending
  if (!first) return none
  const { folders } = ledger
  const start = folders.indexOf(first)
  const { types } = driver.dialect
  const live = await driver.introspect()
  const matches = async (folder: MigrationFolder | undefined) => {
    const expected: DbSchema = physicalWithoutHints(folder ? folderSchema(folder) : null, types)
    const { changes } = await diff(expected, live, { types })
    return changes.every((c) => c.kind === 'createIndex' && namedIn(handMade(), c.index.name))
  }
  // The database should be at the newest applied migration (a pending one older than it was merged from
  // another branch: it is applied, not skipped), else at the folder before the first pending one.
  const newestApplied = folders.reduce((max, f, i) => (ledger.rows.get(f.id)?.status === 'applied' ? i : max), -1)
  const base = newestApplied >= 0 ? newestApplied : start - 1
  if (await matches(base >= 0 ? folders[base] : undefined)) return none
  for (let j = folders.length - 1; j >= Math.max(start, newestApplied + 1); j--) {
    if (!(await matches(folders[j]))) continue
    const present = ledger.pending.filter((f) => folders.indexOf(f) <= j)
    const handWritten: string[] = []
    for (const folder of present) {
      const file = sqlFileFor(folder, driver.provider)
      if (file && !(await isGeneratedSql(folders, folders.indexOf(folder), driver.dialect, file.name))) handWritten.push(`${folder.shownDir}/${file.name}`)
    }
    return { folders: present, handWritten }
  }
  return none
}
