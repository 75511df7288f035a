/**
 * `rebaseHistory()`: `okra migrate:rebase`. A history that forks (two branches each snapshotted from the
 * same parent, then merged) is made one line again: the migrations of one branch move after the other
 * branch's head. Each moved migration is replayed on top (rebase.ts), written into a new folder named
 * after the head (so names sort in chain order) with its new parent, schema hash, what it destroys, and
 * the names it had (`rebasedFrom`, so a database that applied it under the old name is recognised by
 * migrate:up). A generated SQL file is generated again; one edited by hand is kept and flagged for review.
 * `migrations/snapshot/schema.json` becomes the new head's schema.
 *
 * Which branch moves: the one with the newer migrations, unless `onto` names a migration of the branch to
 * keep. A migration the environment's database applied never moves: when the default branch has one and the
 * other has none, the other branch moves instead (said so); when both have, it stops.
 */
import { renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { ResolvedConfig } from '../config/types'
import { type Dialect, dialectOf, maskUrl, openDriver } from '../dialects/index'
import { OkraError, UsageError } from '../errors'
import { displayPath, writeFileAtomic } from '../fs'
import { migrationPaths } from '../project/paths'
import { type SyncedRename, renamesText } from '../project/renames'
import { hasDatabase } from '../project/validate'
import { canonicalJSON } from '../schema/canonical'
import type { Provider } from '../schema/physical-types'
import type { Schema } from '../schema/types'
import { toScript } from '../sql/statement'
import { type ChainLink, chainShape, folderLinks, schemaTextHash } from './chain'
import { deriveStep } from './derive'
import { destructionsBetween } from './destroys'
import { META_FILE, type MigrationFolder, RENAMES_FILE, SCHEMA_FILE, folderRenames, folderSchema, migrationIds } from './folders'
import { readHistory } from './history'
import { newMigrationId } from './ids'
import { type RebaseConflict, conflictLines, rebaseMigrations } from './rebase'
import { rebasedFromOf } from './rebased'
import { type MigrationsOptions, openSession } from './session'
import { sqlFileHeader } from './sql-files'
import { type MigrationLineage, writeMigrationFolder } from './write'

export interface RebaseOptions extends MigrationsOptions {
  /** A migration of the branch that stays (its head or any of its migrations); default: the branch with older migrations stays. */
  onto?: string
  /** Compute and report; write nothing. */
  dryRun?: boolean
  /** The time new folder names start from (tests); default now. */
  now?: Date
}

export interface MovedMigration {
  from: string
  to: string
  /** Relative to the root. */
  folder: string
  /** Files kept as they were (SQL written by hand): review them. */
  review: string[]
}

export interface RebaseResult {
  /** `rebased`; `linear`: the history does not fork, nothing to do. */
  outcome: 'rebased' | 'linear'
  dryRun: boolean
  /** The head the moved migrations now follow. */
  onto: string | null
  moved: MovedMigration[]
  /** Things the user should know (why the other branch moved). */
  notes: string[]
}

/** The two branches of a fork: each a line of folders from the first after the parent to its end. */
interface Fork {
  parent: MigrationFolder | null
  branches: [MigrationFolder[], MigrationFolder[]]
}

export async function rebaseHistory(options: RebaseOptions = {}): Promise<RebaseResult> {
  const session = await openSession(options)
  const { config, folders } = session
  const fork = findFork(folders, session.dirShown)
  if (!fork) return { outcome: 'linear', dryRun: options.dryRun === true, onto: null, moved: [], notes: [] }
  const notes: string[] = []
  const applied = await appliedIds(config, options)
  const [stay, move] = chooseBranches(fork, options.onto, applied, notes, session.dirShown)

  const ancestor = fork.parent ? folderSchema(fork.parent) : null
  const head = stay.at(-1)!
  const { steps, conflicts } = rebaseMigrations({
    ancestor,
    head: folderSchema(head),
    headRenames: stay.flatMap((f) => folderRenames(f)),
    moved: move.map((f) => ({ id: f.id, schema: folderSchema(f), renames: folderRenames(f) })),
  })
  if (conflicts.length) throw conflictError(conflicts, stay, move)

  const providers = sqlProviders(config)
  const dialects = providers.map(dialectOf)
  const moved: MovedMigration[] = []
  const written: { folder: MigrationFolder; files: Record<string, string>; name: string | undefined; review: string[]; lineage: MigrationLineage }[] = []
  let previous: Schema = folderSchema(head)
  let previousOld: Schema | null = ancestor
  for (const [i, folder] of move.entries()) {
    const step = steps[i]!
    const text = canonicalJSON(step.schema)
    const files: Record<string, string> = { [SCHEMA_FILE]: text }
    if (step.renames.length) files[RENAMES_FILE] = renamesText(step.renames)
    const review: string[] = []
    for (const name of Object.keys(folder.contents)) {
      if (name === SCHEMA_FILE || name === RENAMES_FILE || name === META_FILE) continue
      const sqlProvider = sqlFileProvider(name, providers)
      if (sqlProvider && (await isGeneratedSql(folder, name, previousOld, sqlProvider))) {
        files[name] = await generatedSql(previous, step.schema, dialectOf(sqlProvider), step.renames)
        continue
      }
      // A file written by hand (edited SQL, a down.sql) was written for the schema before the rebase.
      files[name] = folder.contents[name]!
      if (/\.sql$/.test(name)) review.push(name)
    }
    const destroys = await destructionsBetween(previous, step.schema, dialects, step.renames)
    const parent = schemaTextHash(canonicalJSON(previous))
    const rebasedFrom = [{ id: folder.id, schema: schemaTextHash(folder.contents[SCHEMA_FILE]!) }, ...rebasedFromOf(folder)]
    written.push({ folder, files, name: nameOf(folder.id), review, lineage: { parent, destroys, rebasedFrom } })
    previous = step.schema
    previousOld = folderSchema(folder)
  }

  const dir = migrationPaths(config).dir
  if (!options.dryRun) {
    const now = options.now ?? new Date()
    // New folders first (each appears whole), then the old ones go: an interruption leaves a fork to rebase again, never a hole.
    const created: string[] = []
    try {
      for (const w of written) created.push(writeMigrationFolder(dir, w.files, now, w.name, w.lineage))
    } catch (error) {
      for (const id of created) rmSync(join(dir, id), { recursive: true, force: true })
      throw error
    }
    for (const w of written) removeFolder(w.folder)
    writeFileAtomic(migrationPaths(config).snapshotSchema, canonicalJSON(previous))
    written.forEach((w, i) => moved.push({ from: w.folder.id, to: created[i]!, folder: displayPath(config.root, join(dir, created[i]!)), review: w.review }))
  } else {
    const ids = migrationIds(dir).filter((id) => !move.some((f) => f.id === id))
    for (const w of written) {
      const id = newMigrationId(options.now ?? new Date(), w.name, ids)
      ids.push(id)
      moved.push({ from: w.folder.id, to: id, folder: displayPath(config.root, join(dir, id)), review: w.review })
    }
  }
  return { outcome: 'rebased', dryRun: options.dryRun === true, onto: head.id, moved, notes }
}

/** The fork of the history, or null when it is one line; anything else (several forks, a hole) is an error. */
function findFork(folders: readonly MigrationFolder[], dirShown: string): Fork | null {
  const links = folderLinks(folders)
  const shape = chainShape(links)
  if (shape.orphans.length) {
    throw new OkraError(
      `Cannot rebase: ${shape.orphans.map((o) => o.id).join(', ')} ${shape.orphans.length === 1 ? 'was' : 'were'} made from a schema no migration in ${dirShown}/ produces`,
      'Restore the missing migration folder from version control first (`okra migrate:status` names it).',
    )
  }
  if (shape.forks.length === 0) return null
  if (shape.forks.length > 1 || shape.forks[0]!.children.length > 2) {
    const where = shape.forks.map((f) => f.children.map((c) => c.id).join(' and ')).join('; ')
    throw new OkraError(
      `Cannot rebase: the history forks more than once (${where})`,
      'Merge one branch at a time: rebase after each merge, so every fork has two sides.',
    )
  }
  const [only] = shape.forks
  const byId = new Map(folders.map((f) => [f.id, f]))
  const childrenOf = new Map<string, ChainLink[]>()
  for (const link of links) {
    const parent = shape.parentOf.get(link.id)
    if (!parent) continue
    childrenOf.set(parent.id, [...(childrenOf.get(parent.id) ?? []), link])
  }
  const line = (start: ChainLink): MigrationFolder[] => {
    const out = [byId.get(start.id)!]
    for (let next = childrenOf.get(start.id); next?.length; next = childrenOf.get(next[0]!.id)) out.push(byId.get(next[0]!.id)!)
    return out
  }
  const [a, b] = only!.children as [ChainLink, ChainLink]
  return { parent: only!.parent ? byId.get(only!.parent.id)! : null, branches: [line(a), line(b)] }
}

/** [stays, moves]. */
function chooseBranches(fork: Fork, onto: string | undefined, applied: Set<string>, notes: string[], dirShown: string): [MigrationFolder[], MigrationFolder[]] {
  const [a, b] = fork.branches
  const newest = (branch: MigrationFolder[]) => branch.at(-1)!.id
  let stay: MigrationFolder[]
  if (onto !== undefined) {
    const found = [a, b].find((branch) => branch.some((f) => f.id === onto))
    if (!found) {
      throw new UsageError(`--onto ${onto}: no migration of either branch has that name in ${dirShown}/. One branch: ${a.map((f) => f.id).join(', ')}; the other: ${b.map((f) => f.id).join(', ')}`)
    }
    stay = found
  } else {
    stay = newest(a) < newest(b) ? a : b
  }
  let move = stay === a ? b : a
  const appliedIn = (branch: MigrationFolder[]) => branch.filter((f) => applied.has(f.id)).map((f) => f.id)
  if (appliedIn(move).length) {
    if (onto === undefined && appliedIn(stay).length === 0) {
      notes.push(`the environment's database applied ${appliedIn(move).join(', ')}, so that branch stays and ${stay.map((f) => f.id).join(', ')} move${stay.length === 1 ? 's' : ''} after it`)
      ;[stay, move] = [move, stay]
    } else {
      const both = appliedIn(stay).length > 0
      throw new OkraError(
        `Cannot rebase: the environment's database applied ${appliedIn(move).join(', ')}, which would move${both ? `, and ${appliedIn(stay).join(', ')} of the other branch` : ''}. A migration a database applied is never moved.`,
        both
          ? 'This database applied both branches: run migrate:rebase with another environment (--env) or where the database applied one branch only; then `okra migrate:status` here tells what this database needs.'
          : `Keep that branch: \`okra migrate:rebase --onto ${newest(move)}\`.`,
      )
    }
  }
  return [stay, move]
}

/** The ids the environment's database applied; none when it does not exist yet. */
async function appliedIds(config: ResolvedConfig, options: MigrationsOptions): Promise<Set<string>> {
  if (!options.driver && !hasDatabase(config)) return new Set()
  const driver = options.driver ?? (await openDriver(config.database.url, { root: config.root }))
  try {
    const rows = await readHistory(driver)
    return new Set(rows.flatMap((r) => [r.id]))
  } catch (error) {
    throw new OkraError(
      `Cannot read which migrations ${maskUrl(config.database.url)} applied: ${(error as Error).message}`,
      'migrate:rebase never moves a migration a database applied, so it needs the database of the environment (--env), or start it.',
    )
  } finally {
    if (!options.driver) await driver.close()
  }
}

function conflictError(conflicts: readonly RebaseConflict[], stay: MigrationFolder[], move: MigrationFolder[]): OkraError {
  return new OkraError(
    `Cannot rebase ${move.map((f) => f.id).join(', ')} onto ${stay.at(-1)!.id}: both branches changed the same thing. Nothing was changed.\n` +
      conflictLines(conflicts).map((line) => `  ${line}`).join('\n'),
    'Decide what each conflicting field, model or enum should be: delete the folders of one branch (git rm -r), set migrations/snapshot/schema.json to the other head, ' +
      'write the schema you want, `okra db:sync`, then `okra db:migrate:snapshot` (one migration holding the resolution).',
  )
}

/** `migration.sql` / `migration.<provider>.sql`: the provider it is for (a plain one: the only provider). */
function sqlFileProvider(name: string, providers: readonly Provider[]): Provider | undefined {
  if (name === 'migration.sql') return providers.length === 1 ? providers[0] : undefined
  const m = /^migration\.([a-z]+)\.sql$/.exec(name)
  return m && providers.includes(m[1] as Provider) ? (m[1] as Provider) : undefined
}

async function generatedSql(from: Schema | null, to: Schema, dialect: Dialect, renames: readonly SyncedRename[]): Promise<string> {
  const step = await deriveStep(from, to, dialect, renames)
  return sqlFileHeader(dialect) + toScript(step.statements)
}

/** Whether the folder's SQL file is what OKRA generated from its schemas (not edited since). */
async function isGeneratedSql(folder: MigrationFolder, name: string, parent: Schema | null, provider: Provider): Promise<boolean> {
  const text = folder.contents[name]!.replace(/\r\n?/g, '\n')
  return text === (await generatedSql(parent, folderSchema(folder), dialectOf(provider), folderRenames(folder)))
}

/** `20240101_120000_add_sku` -> `add_sku`. */
function nameOf(id: string): string | undefined {
  return id.length > 16 ? id.slice(16) : undefined
}

/** Removed by renaming it to a hidden name first, so no reader ever sees it half deleted. */
function removeFolder(folder: MigrationFolder): void {
  const trash = join(folder.dir, '..', `.okra-old-${process.pid}-${folder.id}`)
  renameSync(folder.dir, trash)
  rmSync(trash, { recursive: true, force: true })
}

function sqlProviders(config: ResolvedConfig): Provider[] {
  const { provider, providers } = config.database
  return providers.includes(provider) ? providers : [...providers, provider].sort()
}
