/**
 * `snapshot()`: phase 2 of the workflow. Every experiment since the last snapshot becomes one migration
 * holding the net change (add then remove is nothing, add then rename is one add), renames kept as
 * renames, also those db:sync applied from a `@renamed` hint that is gone by now. It writes
 * `migrations/<YYYYMMDD_HHMMSS>[_name]/` (schema.json, migration.json, renames.json, the SQL files when
 * generateSQL is on) and moves `migrations/snapshot/schema.json` forward. A forked history stops it; a
 * snapshot that is not the head of the history (the newest folder deleted) is taken back to the head first.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ResolvedConfig } from '../config/types'
import { parseJSON } from '../config/json'
import type { Change, DiffWarning } from '../diff/index'
import { OkraError, SchemaError } from '../errors'
import { displayPath, readTextIfExists, writeFileAtomic } from '../fs'
import { type ChainLink, metaText } from './chain'
import { ChainError, inspectChain } from './chain-check'
import { destructionsBetween } from './destroys'
import { META_FILE, RENAMES_FILE, SCHEMA_FILE, folderRenames, folderSchema, readMigrationFolders } from './folders'
import { dialectOf } from '../dialects/index'
import { migrationSqlFiles } from './sql-files'
import { changesSinceSnapshot } from './diff'
import { migrationPaths } from '../project/paths'
import { readSyncedRenames, renamesOf, renamesText, writeSyncedRenames } from '../project/renames'
import { writeMigrationFolder } from './write'
import { type LoadProjectOptions, type Project, loadProject } from '../project/load'
import { canonicalJSON, parseSchemaJSON } from '../schema/canonical'
import type { Provider } from '../schema/physical-types'
import type { Schema } from '../schema/types'
import type { SyncOptions } from '../sync/types'

/** What to do when the development database is not synced with the schema. */
export type NotSyncedChoice = 'sync' | 'force' | 'cancel'

export interface SnapshotOptions extends LoadProjectOptions {
  project?: Project
  /** Appended to the folder name (`add_phone`). */
  name?: string
  /**
   * When `migrations/current/schema.json` is not the schema (the dev database was not synced to it):
   * `sync` syncs first, `force` snapshots anyway, a function decides (the CLI asks). Absent: an error
   * naming --sync and --force.
   */
  notSynced?: Exclude<NotSyncedChoice, 'cancel'> | ((reason: string) => Promise<NotSyncedChoice>)
  /** Options for the sync run by the `sync` choice. */
  syncOptions?: SyncOptions
  /** The time the folder is named after (tests); default now. */
  now?: Date
}

export interface SnapshotResult {
  /** `written`: a migration folder; `snapshot-only`: schema.json moved on but nothing changes in the database; `nothing`: no change at all. */
  outcome: 'written' | 'snapshot-only' | 'nothing'
  /** The new folder's name. */
  id: string | null
  /** The new folder, relative to the root. */
  folder: string | null
  /** Files written into it. */
  files: string[]
  /** One line per change (for the configured provider). */
  summaries: string[]
  /** Renames the migration holds (physical names): `users.name -> users.full_name`. */
  renames: string[]
  warnings: string[]
  /** Whether the database was synced first (the `sync` choice). */
  synced: boolean
  /** What the migration destroys (as its migration.json declares it), one line each: `drops column products.sku`. */
  destroys: string[]
  /** Things done on the way: the snapshot taken back to the head, migration.json written into older folders. */
  notes: string[]
}

export async function snapshot(options: SnapshotOptions = {}): Promise<SnapshotResult> {
  const project = options.project ?? (await loadProject(options))
  if (!project.schema) throw new SchemaError(project.diagnostics)
  const { config } = project
  const schema = project.schema
  const paths = migrationPaths(config)
  const schemaText = canonicalJSON(schema)
  const chain = await inspectChain(config)
  const broken = chain.problems.filter((p) => p.kind !== 'snapshot-not-head')
  if (broken.length) throw new ChainError(broken)
  const notes = [...chain.notes]
  let baseText = readTextIfExists(paths.snapshotSchema)?.replace(/\r\n?/g, '\n')
  const head = chain.shape.head
  if (chain.rewind) {
    // A deleted newest folder (or an edited snapshot): start again from the head, so its change is written again.
    baseText = chain.rewind.schemaText?.replace(/\r\n?/g, '\n')
    notes.push(`${shown(config, paths.snapshotSchema)} was not the schema of the newest migration${head ? ` (${head.id})` : ''}: taken back to it, so the change is written again`)
  }
  await recordInferredParents(config, chain.shape.inferred, notes)
  if (baseText === schemaText) {
    if (chain.rewind) moveSnapshot(config, schemaText)
    return { ...nothing(), notes }
  }
  const base = baseText === undefined ? null : parseSchemaJSON(baseText, shown(config, paths.snapshotSchema))

  let main = await netChange(project, base, config.database.provider)
  if (main.changes.length === 0 && (await otherProvidersUnchanged(project, base))) {
    moveSnapshot(config, schemaText)
    return { ...describe(main, false), outcome: 'snapshot-only', id: null, folder: null, files: [], destroys: [], notes }
  }
  const synced = await handleNotSynced(project, schemaText, options)
  // A sync may have recorded renames (answers at its prompt): they belong in the migration.
  if (synced) main = await netChange(project, base, config.database.provider)
  const renames = renamesOf(main.changes)
  const files: Record<string, string> = { [SCHEMA_FILE]: schemaText }
  if (renames.length) files[RENAMES_FILE] = renamesText(renames)
  // The SQL and the destruction go from the head's schema: what migrate:up derives from the parent.
  const previous = headSchema(config, head, baseText, base)
  if (wantsSql(config)) Object.assign(files, await migrationSqlFiles(previous, schema, sqlProviders(config), renames))
  const destroys = await destructionsBetween(previous, schema, sqlProviders(config).map(dialectOf), renames)
  const id = writeMigrationFolder(paths.dir, files, options.now ?? new Date(), options.name, { parent: head?.schema ?? null, destroys })
  moveSnapshot(config, schemaText)
  return {
    ...describe(main, synced),
    outcome: 'written',
    id,
    folder: shown(config, `${paths.dir}/${id}`),
    files: [...Object.keys(files), META_FILE].sort(),
    destroys: destroys.map((d) => d.line),
    notes,
  }
}

/**
 * Folders an older OKRA wrote get their migration.json now: the parent inferred from the folder before
 * them, and what they destroy. The database recorded their checksum without it (folders.ts keeps that one valid).
 */
async function recordInferredParents(config: ResolvedConfig, inferred: readonly ChainLink[], notes: string[]): Promise<void> {
  if (inferred.length === 0) return
  const folders = readMigrationFolders(config.database.migrations.dir, config.root)
  const dialects = sqlProviders(config).map(dialectOf)
  for (const link of inferred) {
    const index = folders.findIndex((f) => f.id === link.id)
    const folder = folders[index]!
    const previous = index > 0 ? folderSchema(folders[index - 1]!) : null
    const destroys = await destructionsBetween(previous, folderSchema(folder), dialects, folderRenames(folder))
    writeFileAtomic(join(folder.dir, META_FILE), metaText({ parent: link.parent, schema: link.schema, destroys }))
  }
  notes.push(`wrote migration.json (parent, what it destroys) into ${inferred.length === 1 ? inferred[0]!.shownDir : `${inferred.length} older migration folders`}: commit ${inferred.length === 1 ? 'it' : 'them'}`)
}

interface NetChange {
  changes: Change[]
  summaries: string[]
  warnings: DiffWarning[]
}

/** The change from the snapshot to the schema on `provider`, exactly as db:diff shows it. */
async function netChange(project: Project, base: Schema | null, provider: Provider): Promise<NetChange> {
  return changesSinceSnapshot(project, { provider, snapshot: base })
}

/** With several providers, a change may show on one only (SQLite stores Int and BigInt alike, but not PostgreSQL). */
async function otherProvidersUnchanged(project: Project, base: Schema | null): Promise<boolean> {
  const { provider, providers } = project.config.database
  for (const other of providers.filter((p) => p !== provider)) {
    if ((await netChange(project, base, other)).changes.length > 0) return false
  }
  return true
}

/** The head migration's schema (usually the snapshot's own text, already parsed). */
function headSchema(config: ResolvedConfig, head: ChainLink | null, baseText: string | undefined, base: Schema | null): Schema | null {
  if (head === null) return null
  const path = join(config.database.migrations.dir, head.id, SCHEMA_FILE)
  const text = readTextIfExists(path)
  if (text === undefined) return null
  return text.replace(/\r\n?/g, '\n') === baseText ? base : parseSchemaJSON(text, shown(config, path))
}

function describe(main: NetChange, synced: boolean) {
  return {
    summaries: main.summaries,
    renames: renamesOf(main.changes).map(renameLine),
    warnings: main.warnings.map((w) => w.message),
    synced,
  }
}

function nothing(): SnapshotResult {
  return { outcome: 'nothing', id: null, folder: null, files: [], summaries: [], renames: [], warnings: [], synced: false, destroys: [], notes: [] }
}

/** snapshot/schema.json takes the schema; the renames db:sync recorded now live in the migration. */
function moveSnapshot(config: ResolvedConfig, schemaText: string): void {
  writeFileAtomic(migrationPaths(config).snapshotSchema, schemaText)
  if (readSyncedRenames(config).length) writeSyncedRenames(config, [])
}

/** Returns whether it synced the database. */
async function handleNotSynced(project: Project, schemaText: string, options: SnapshotOptions): Promise<boolean> {
  const current = readTextIfExists(migrationPaths(project.config).currentSchema)
  if (current === schemaText) return false
  const reason = current
    ? 'The development database is not synced with the schema (migrations/current/schema.json differs).'
    : 'The development database has never been synced with this schema (no migrations/current/schema.json).'
  const choice = typeof options.notSynced === 'function' ? await options.notSynced(reason) : options.notSynced
  if (choice === 'force') return false
  if (choice === 'cancel') throw new OkraError('Cancelled: no migration was written')
  if (choice === undefined) {
    throw new OkraError(`${reason} Nothing was written.`, 'Run it again with --sync (sync the database first) or --force (snapshot anyway).')
  }
  const { sync } = await import('../sync/sync')
  await sync({ ...options.syncOptions, project })
  return true
}

/**
 * Whether migration SQL files are written: `generateSQL` in the selected environment, or in any environment
 * of the config file (the migrations serve every environment, so the one that wants reviewed SQL gets it).
 */
export function wantsSql(config: ResolvedConfig): boolean {
  if (config.database.migrations.generateSQL) return true
  if (!config.configFile || !existsSync(config.configFile)) return false
  const raw = parseJSON(readFileSync(config.configFile, 'utf8').replace(/^\uFEFF/, '')) as {
    database?: { migrations?: { generateSQL?: boolean }; environments?: Record<string, { generateSQL?: boolean }> }
  }
  return raw.database?.migrations?.generateSQL === true || Object.values(raw.database?.environments ?? {}).some((e) => e.generateSQL === true)
}

function sqlProviders(config: ResolvedConfig): Provider[] {
  const { provider, providers } = config.database
  return providers.includes(provider) ? providers : [...providers, provider].sort()
}

function renameLine(rename: ReturnType<typeof renamesOf>[number]): string {
  return rename.kind === 'table' ? `${rename.from} -> ${rename.to}` : `${rename.table}.${rename.from} -> ${rename.table}.${rename.to}`
}

const shown = (config: ResolvedConfig, path: string) => displayPath(config.root, path)
