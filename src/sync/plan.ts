/**
 * The first half of a sync, which writes nothing: where the database stands, what must change, and the
 * statements that change it.
 *
 * Fast path: when `_okra_state` records the hash of `migrations/current/schema.json` and the database's
 * structure fingerprint is still the one recorded, `from` is toPhysical(current schema): no introspection.
 * Otherwise the live database is introspected (a repair, said in one line).
 */
import type { ResolvedConfig } from '../config/types'
import { type Change, type DiffWarning, type RenameResolver, diff } from '../diff/index'
import type { Queryable } from '../drivers/types'
import { type DatabaseState, readCurrentSchema, readDatabaseState } from '../migrations/state'
import { schemaHash } from '../schema/canonical'
import { toPhysical } from '../schema/physical'
import type { DbSchema, Provider } from '../schema/physical-types'
import type { Schema } from '../schema/types'
import { renderChanges } from '../sql/render'
import type { Statement } from '../sql/statement'
import { structureFingerprint } from './fingerprint'
import { labelRenames } from './labels'

export interface SyncPlan {
  provider: Provider
  /** The schema to sync to, and its hash (what `_okra_state` records). */
  target: Schema
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

/** The database driver as the plan needs it: queries, and introspection of the whole schema. */
export interface PlanDatabase extends Queryable {
  readonly provider: Provider
  introspect(): Promise<DbSchema>
}

export async function planSync(db: PlanDatabase, config: ResolvedConfig, target: Schema, renames?: RenameResolver): Promise<SyncPlan> {
  const provider = db.provider
  const targetHash = schemaHash(target)
  const state = await readDatabaseState(db, provider)
  const structure = await structureFingerprint(db, provider)
  const current = readCurrentSchema(config)
  const currentHash = current ? schemaHash(current) : undefined
  const trusted = state !== null && current !== null && currentHash === state.schemaHash && state.structure === structure
  const repair = trusted ? undefined : repairReason(state, current !== null, currentHash, structure)
  const from = trusted ? toPhysical(current!, provider) : await db.introspect()
  const to = toPhysical(target, provider)
  const { changes, warnings } = await diff(from, to, { renames: labelRenames(from, to, renames) })
  return {
    provider,
    target,
    targetHash,
    from,
    to,
    source: trusted ? 'current' : 'introspection',
    ...(repair ? { repair } : {}),
    state,
    structure,
    currentUpToDate: currentHash === targetHash,
    changes,
    warnings,
    statements: changes.length ? renderChanges(changes, to, from) : [],
  }
}

function repairReason(state: DatabaseState | null, hasCurrent: boolean, currentHash: string | undefined, structure: string): string | undefined {
  if (state === null) return hasCurrent ? 'the database has no sync record (it was reset or replaced)' : undefined
  if (!hasCurrent) return 'migrations/current/schema.json is missing or damaged'
  if (currentHash !== state.schemaHash) return 'migrations/current/schema.json is not what the database was last synced to'
  if (state.structure !== structure) return 'the database was changed outside OKRA since the last sync'
  return undefined
}
