/**
 * The migration folders of `database.migrations.dir`: `YYYYMMDD_HHMMSS[_name]/`, each holding
 * `schema.json` (the whole schema at that point), optional `renames.json` (the rename decisions of the
 * snapshot), `migration.json` (its parent and what it destroys: chain.ts), optional `migration.sql` / `migration.<provider>.sql` and an optional hand-written `down.sql`.
 * Sorted by name, which is creation order. `snapshot/` and `current/` are not migrations.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { displayPath } from '../fs'
import { join } from 'node:path'
import { OkraError } from '../errors'
import { parseSchemaJSON } from '../schema/canonical'
import type { Provider } from '../schema/physical-types'
import type { Schema } from '../schema/types'
import type { SyncedRename } from '../project/renames'
import { DOWN_FILE, type FolderChecksum, folderChecksum } from './checksum'

/** A migration folder's name: a UTC timestamp, then an optional name. */
export const MIGRATION_ID = /^\d{8}_\d{6}(?:_[A-Za-z0-9_-]+)?$/

export const SCHEMA_FILE = 'schema.json'
export const RENAMES_FILE = 'renames.json'
/** The folder's place in the chain (chain.ts): parent, schema hash, what it destroys. */
export const META_FILE = 'migration.json'
export { DOWN_FILE }

export interface MigrationFolder extends FolderChecksum {
  /** The folder's name: what `_okra_migrations.id` records. */
  id: string
  /** Absolute path. */
  dir: string
  /** Relative to the project root with `/`, for messages (`migrations/20240120_143022_add_phone`). */
  shownDir: string
  /** Every file's text by name (hidden files left out). */
  contents: Record<string, string>
  /**
   * With a migration.json: the checksum without it. A folder applied before OKRA wrote migration.json gets
   * one on the next snapshot; the database recorded the checksum without it, and the migration is the same.
   */
  checksumWithoutMeta?: string
}

export function sqlFileName(provider?: Provider): string {
  return provider ? `migration.${provider}.sql` : 'migration.sql'
}

/** The names of the migration folders, in order. */
export function migrationIds(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && MIGRATION_ID.test(entry.name))
    .map((entry) => entry.name)
    .sort(byCodeUnits)
}

/** The migration folders in order. A folder without schema.json is an error: the history would have a hole. */
export function readMigrationFolders(dir: string, root: string): MigrationFolder[] {
  return migrationIds(dir).map((id) => readMigrationFolder(join(dir, id), root))
}

export function readMigrationFolder(dir: string, root: string): MigrationFolder {
  const id = dir.split(/[\\/]/).pop()!
  const shownDir = displayPath(root, dir)
  const contents: Record<string, string> = {}
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && !entry.name.startsWith('.')) contents[entry.name] = readFileSync(join(dir, entry.name), 'utf8')
  }
  if (contents[SCHEMA_FILE] === undefined) {
    throw new OkraError(
      `Migration ${shownDir} has no ${SCHEMA_FILE}`,
      `Restore it from version control. Every migration folder holds the whole schema at that point; a folder that is not a migration must not be named like one (YYYYMMDD_HHMMSS_name).`,
    )
  }
  const { checksum, files, checksumWithout } = folderChecksum(contents, contents[META_FILE] !== undefined ? META_FILE : undefined)
  const folder: MigrationFolder = { id, dir, shownDir, contents, checksum, files }
  if (checksumWithout !== undefined) folder.checksumWithoutMeta = checksumWithout
  return folder
}

/** The folder's schema.json, parsed and validated. */
export function folderSchema(folder: MigrationFolder): Schema {
  return parseSchemaJSON(folder.contents[SCHEMA_FILE]!, `${folder.shownDir}/${SCHEMA_FILE}`)
}

/**
 * folderSchema, parsing each folder once for as long as the function is kept: planning a run of migrations
 * reads each schema twice (a migration's schema is where the next one starts). The schemas are only read.
 */
export function folderSchemaReader(): (folder: MigrationFolder) => Schema {
  const parsed = new Map<MigrationFolder, Schema>()
  return (folder) => {
    let schema = parsed.get(folder)
    if (!schema) parsed.set(folder, (schema = folderSchema(folder)))
    return schema
  }
}

/** The folder's rename decisions (physical names, in order); none when it has no renames.json. */
export function folderRenames(folder: MigrationFolder): SyncedRename[] {
  const text = folder.contents[RENAMES_FILE]
  if (text === undefined) return []
  const damaged = (problem: string) =>
    new OkraError(`${folder.shownDir}/${RENAMES_FILE} is damaged: ${problem}`, 'Restore it from version control; `okra db:migrate:snapshot` writes it.')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw damaged((error as Error).message)
  }
  const renames = (value as { renames?: unknown } | null)?.renames
  if (!Array.isArray(renames) || !renames.every(isRename)) throw damaged('expected { "renames": [{ "kind": "table" | "column", "from", "to", ... }] }')
  return renames
}

function isRename(value: unknown): value is SyncedRename {
  const r = value as Record<string, unknown> | null
  if (r === null || typeof r !== 'object' || typeof r.from !== 'string' || typeof r.to !== 'string') return false
  return r.kind === 'table' || (r.kind === 'column' && typeof r.table === 'string')
}

export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** `Unknown migration 'x'` with the closest ids, for resolve and the like. */
export function unknownMigration(id: string, folders: readonly MigrationFolder[], dirShown: string): OkraError {
  const close = folders.filter((f) => f.id.includes(id) || id.includes(f.id.slice(0, 15))).map((f) => f.id)
  return new OkraError(
    `No migration '${id}' in ${dirShown}/`,
    close.length ? `Did you mean ${close.slice(0, 3).join(', ')}?` : `Run \`okra migrate:status\` to list the migrations.`,
  )
}
