/**
 * The first half of a sync, which writes nothing: where the database stands, what must change, and the
 * statements that change it.
 *
 * Fast path: when `_okra_state` records the hash of `migrations/current/schema.json` and the database's
 * structure fingerprint is still the one recorded, `from` is toPhysical(current schema): no introspection.
 * Otherwise the live database is introspected (a repair, said in one line).
 */
import { statSync } from 'node:fs'
import type { ResolvedConfig } from '../config/types'
import { type Change, type DiffWarning, type RenameResolver, diff } from '../diff/index'
import { labelRenames } from '../diff/labels'
import type { Driver, Queryable } from '../dialects/index'
import { handMadeIndexes, namedIn } from '../project/hand-made'
import { migrationPaths } from '../project/paths'
import { readCurrentSchemaText, sha256 } from '../project/schema-states'
import { canonicalJSON } from '../schema/canonical'
import { toPhysical } from '../schema/physical'
import type { DbSchema, Provider, TypeRules } from '../schema/physical-types'
import type { Schema } from '../schema/types'
import type { Statement } from '../sql/statement'
import { type DatabaseState, readDatabaseState } from './record'

export interface SyncPlan {
  provider: Provider
  /** The schema to sync to, its canonical JSON (what `current/schema.json` will hold) and hash (what `_okra_state` records). */
  target: Schema
  targetText: string
  targetHash: string
  /** The database as it is (from `current/schema.json` or introspection) and as it should be. */
  from: DbSchema
  to: DbSchema
  /** Where `from` came from. */
  source: 'current' | 'introspection'
  /** Why the database was introspected although it had been synced before; absent on the fast path and on a first sync. */
  repair?: string
  /** `_okra_state` and the structure fingerprint as read; a sync re-checks both before it writes. */
  state: DatabaseState | null
  structure: string
  /** `migrations/current/schema.json` already holds the target schema. */
  currentUpToDate: boolean
  changes: Change[]
  warnings: DiffWarning[]
  statements: Statement[]
}

/** Plans through `db`: the driver itself, or a transaction of it. */
export async function planSync(driver: Driver, db: Queryable, config: ResolvedConfig, target: Schema, renames?: RenameResolver): Promise<SyncPlan> {
  const { provider, types } = driver.dialect
  const targetText = canonicalJSON(target)
  const targetHash = sha256(targetText)
  const state = await readDatabaseState(driver, db)
  const structure = await driver.fingerprint(db)
  const current = currentSchema(config, types)
  let trusted = state !== null && current !== undefined && current.hash === state.schemaHash && state.structure === structure
  const repair = trusted ? undefined : repairReason(state, current?.hash, structure)
  const to = toPhysical(target, types)
  const plan = async (from: DbSchema) => ({ from, ...(await diff(from, to, { types, renames: labelRenames(from, to, renames) })) })
  let { from, changes, warnings } = await plan(trusted ? current!.physical() : await driver.introspect(db))
  // A unique constraint the database named itself (an inline UNIQUE of a SQLite table made by hand) is in
  // current/schema.json under OKRA's name: a plan that drops or renames one reads the real names first,
  // keeping what current/schema.json says of models and fields (for @map renames).
  if (trusted && changes.some(touchesUniqueIndex) && (await driver.dialect.hasDatabaseNamedIndexes(db))) {
    ;({ from, changes, warnings } = await plan(withLabels(await driver.introspect(db), from)))
    trusted = false
  }
  changes = keepHandMadeIndexes(changes, config, types)
  return {
    provider,
    target,
    targetText,
    targetHash,
    from,
    to,
    source: trusted ? 'current' : 'introspection',
    ...(repair ? { repair } : {}),
    state,
    structure,
    currentUpToDate: current?.hash === targetHash,
    changes,
    warnings,
    statements: changes.length ? driver.dialect.render(changes, to, from) : [],
  }
}

/**
 * What the last sync in this process wrote, for the next sync of the same project (the plugin's
 * auto-sync, `db:sync --watch`): the schema hash, its physical model (that sync's `to`), and the
 * identity of the `current/schema.json` it wrote. While the file keeps that identity, its hash is known
 * without reading and hashing it. The identity includes the change time, which only the kernel sets:
 * any write to the file, or a file put in its place, shows.
 */
let remembered: { file: string; identity: string; hash: string; provider: Provider; db: DbSchema } | undefined

/** After `current/schema.json` was written for `plan`. */
export function rememberSynced(plan: SyncPlan, config: ResolvedConfig): void {
  const file = migrationPaths(config).currentSchema
  const identity = fileIdentity(file)
  remembered = identity === undefined ? undefined : { file, identity, hash: plan.targetHash, provider: plan.provider, db: plan.to }
}

/** `current/schema.json`: its hash (the schema hash, as sync wrote canonical JSON) and its physical model, built on demand. */
function currentSchema(config: ResolvedConfig, types: TypeRules): { hash: string; physical(): DbSchema } | undefined {
  const file = migrationPaths(config).currentSchema
  const memory = remembered
  const provider = types.provider
  if (memory?.file === file && memory.provider === provider && memory.identity === fileIdentity(file)) return { hash: memory.hash, physical: () => memory.db }
  const current = readCurrentSchemaText(config)
  if (current === undefined) return undefined
  // Called once the hash matched the one recorded in the database: the text is the canonical JSON a sync wrote.
  const physical = () => (memory?.hash === current.hash && memory.provider === provider ? memory.db : toPhysical(JSON.parse(current.text) as Schema, types))
  return { hash: current.hash, physical }
}

function fileIdentity(file: string): string | undefined {
  const stat = statSync(file, { bigint: true, throwIfNoEntry: false })
  return stat && `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`
}

/** The live database with the model and field labels of what it was synced to (same table and column names). */
function withLabels(live: DbSchema, synced: DbSchema): DbSchema {
  for (const table of live.tables) {
    const known = synced.tables.find((t) => t.name === table.name)
    if (!known) continue
    if (known.model !== undefined) table.model = known.model
    if (known.joinTable) table.joinTable = true
    for (const column of table.columns) {
      const field = known.columns.find((c) => c.name === column.name)
      if (field?.field !== undefined) column.field = field.field
      if (field?.logicalType !== undefined) column.logicalType = field.logicalType
    }
  }
  return live
}

/** Sync drops only the indexes a schema declared: one a migration's SQL made by hand stays (see project/hand-made.ts). */
function keepHandMadeIndexes(changes: Change[], config: ResolvedConfig, types: TypeRules): Change[] {
  if (!changes.some((c) => c.kind === 'dropIndex')) return changes
  const handMade = handMadeIndexes(config, types)
  return handMade.size === 0 ? changes : changes.filter((c) => c.kind !== 'dropIndex' || !namedIn(handMade, c.index.name))
}

function touchesUniqueIndex(change: Change): boolean {
  return (change.kind === 'dropIndex' || change.kind === 'renameIndex') && change.index.unique
}

function repairReason(state: DatabaseState | null, currentHash: string | undefined, structure: string): string | undefined {
  if (state === null) return currentHash !== undefined ? 'the database has no sync record (it was reset or replaced)' : undefined
  if (currentHash === undefined) return 'migrations/current/schema.json is missing'
  if (currentHash !== state.schemaHash) return 'migrations/current/schema.json is not what the database was last synced to'
  if (state.structure !== structure) return state.changedBy ? `${state.changedBy} since the last sync` : 'the database was changed outside OKRA since the last sync'
  return undefined
}

/**
 * What a reset drops: the tables and enum types of each schema state given (the schema, what the database
 * was last synced to, the migrations' states), and OKRA's own `_okra_*` tables. Sorted.
 */
export async function managedByOkra(driver: Driver, states: readonly (Schema | null)[]): Promise<{ tables: string[]; enums: string[] }> {
  const managed = states.filter((s): s is Schema => s !== null).map((s) => toPhysical(s, driver.dialect.types))
  return {
    tables: [...new Set([...managed.flatMap((s) => s.tables.map((t) => t.name)), ...(await driver.ownTables())])].sort(),
    enums: [...new Set(managed.flatMap((s) => s.enums.map((e) => e.name)))].sort(),
  }
}

/**
 * The plan of `db:reset`: drop everything OKRA manages (the tables of `target` and of `current`, what
 * the database was last synced to, their enum types, OKRA's own tables), then create `target` from
 * nothing. `dropped` lists the tables.
 */
export async function planReset(driver: Driver, target: Schema, current: Schema | null): Promise<SyncPlan & { dropped: string[] }> {
  const { dialect } = driver
  const to = toPhysical(target, dialect.types)
  const { tables: dropped, enums } = await managedByOkra(driver, [target, current])
  const empty: DbSchema = { provider: dialect.provider, tables: [], enums: [] }
  const { changes } = await diff(empty, to, { types: dialect.types })
  const targetText = canonicalJSON(target)
  return {
    provider: dialect.provider,
    target,
    targetText,
    targetHash: sha256(targetText),
    from: empty,
    to,
    source: 'introspection',
    state: null,
    structure: '',
    currentUpToDate: false,
    changes,
    warnings: [],
    statements: dialect.resetStatements({ tables: dropped, enums, schema: driver.target.schema }, dialect.render(changes, to, empty)),
    dropped,
  }
}
