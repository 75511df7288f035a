/**
 * What changed since the last snapshot (`migrations/snapshot/schema.json`), i.e. what the next
 * `db:migrate:snapshot` would hold: the diff `db:diff`, the snapshot and the production drift gate all
 * compare, with renames from the `@renamed` hints and from `current/renames.json`. Opens no database.
 */
import type { Change, DiffWarning, RenameResolver } from '../diff/index'
import { diff, summaries } from '../diff/index'
import { labelRenames } from '../diff/labels'
import { dialectOf } from '../dialects/index'
import { SchemaError } from '../errors'
import { type LoadProjectOptions, type Project, loadProject } from '../project/load'
import { readSyncedRenames, renamesResolver } from '../project/renames'
import { readSnapshotSchema } from '../project/schema-states'
import { toPhysical } from '../schema/physical'
import { assertChain, inspectChain } from './chain-check'
import type { DbSchema, Provider } from '../schema/physical-types'
import type { Schema } from '../schema/types'
import type { Statement } from '../sql/statement'

export interface SnapshotChanges {
  /** The snapshot's schema, or null when there is none (then every model is new). */
  snapshot: Schema | null
  /** From toPhysical(snapshot) to toPhysical(schema), for the configured provider. */
  changes: Change[]
  /** One line per change (`+ Added field 'phone' to User`). */
  summaries: string[]
  /** Stale or conflicting rename hints. */
  warnings: DiffWarning[]
  /** The two sides compared (render SQL with `renderChanges(changes, to, from)`). */
  from: DbSchema
  to: DbSchema
}

/**
 * What changed since `migrations/snapshot/schema.json`: the diff for the configured provider, with
 * renames from the `@renamed` hints and from `current/renames.json`. Reads files, opens no database.
 * Throws a SchemaError when the project's schema has errors.
 */
export async function changesSinceSnapshot(
  project: Project,
  /** `snapshot`: the snapshot's schema when the caller has already read it. */
  options: { provider?: Provider; renames?: RenameResolver; snapshot?: Schema | null } = {},
): Promise<SnapshotChanges> {
  if (!project.schema) throw new SchemaError(project.diagnostics)
  const { types } = dialectOf(options.provider ?? project.config.database.provider)
  const snapshot = options.snapshot !== undefined ? options.snapshot : readSnapshotSchema(project.config)
  const from: DbSchema = snapshot ? toPhysical(snapshot, types) : { provider: types.provider, tables: [], enums: [] }
  const to = toPhysical(project.schema, types)
  const renames = labelRenames(from, to, renamesResolver(readSyncedRenames(project.config), options.renames))
  const result = await diff(from, to, { types, renames, spentHints: snapshot !== null })
  return { snapshot, changes: result.changes, summaries: summaries(result.changes), warnings: result.warnings, from, to }
}

export interface DiffCommandOptions extends LoadProjectOptions {
  project?: Project
  /** Render the SQL too. */
  sql?: boolean
}

export interface DiffCommandResult {
  /** False when there is no snapshot yet: every model counts as new. */
  hasSnapshot: boolean
  provider: Provider
  changes: Change[]
  /** One line per change (`+ Added field 'phone' to User`). */
  summaries: string[]
  warnings: DiffWarning[]
  /** With `sql`: the statements for the configured provider. */
  statements?: Statement[]
  /** About the history, stopping nothing (parents inferred for older folders). */
  notes: string[]
}

export async function diffSinceSnapshot(options: DiffCommandOptions = {}): Promise<DiffCommandResult> {
  const project = options.project ?? (await loadProject(options))
  if (!project.schema) throw new SchemaError(project.diagnostics)
  const provider = project.config.database.provider
  // A forked history or a snapshot that is not its head makes "the changes since the snapshot" a wrong answer.
  const chain = await inspectChain(project.config)
  assertChain(chain)
  const found = await changesSinceSnapshot(project)
  return {
    notes: chain.notes,
    hasSnapshot: found.snapshot !== null,
    provider,
    changes: found.changes,
    summaries: found.summaries,
    warnings: found.warnings,
    ...(options.sql ? { statements: found.changes.length ? dialectOf(provider).render(found.changes, found.to, found.from) : [] } : {}),
  }
}
