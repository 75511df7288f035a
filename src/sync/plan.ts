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
import { type DatabaseState, readCurrentSchemaText, readDatabaseState, sha256 } from '../migrations/state'
import { canonicalJSON } from '../schema/canonical'
import { toPhysical } from '../schema/physical'
import type { DbSchema, Provider } from '../schema/physical-types'
import type { Schema } from '../schema/types'
import { renderChanges } from '../sql/render'
import type { Statement } from '../sql/statement'
import { structureFingerprint } from './fingerprint'
import { labelRenames } from './labels'

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

/** The database driver as the plan needs it: queries, and introspection of the whole schema. */
export interface PlanDatabase extends Queryable {
  readonly provider: Provider
  introspect(): Promise<DbSchema>
}

export async function planSync(db: PlanDatabase, config: ResolvedConfig, target: Schema, renames?: RenameResolver): Promise<SyncPlan> {
  const provider = db.provider
  const targetText = canonicalJSON(target)
  const targetHash = sha256(targetText)
  const state = await readDatabaseState(db, provider)
  const structure = await structureFingerprint(db, provider)
  const current = readCurrentSchemaText(config)
  const trusted = state !== null && current !== undefined && current.hash === state.schemaHash && state.structure === structure
  const repair = trusted ? undefined : repairReason(state, current?.hash, structure)
  const from = trusted ? physicalOfCurrent(current!, provider) : await db.introspect()
  const to = toPhysical(target, provider)
  const { changes, warnings } = await diff(from, to, { renames: labelRenames(from, to, renames) })
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
    statements: changes.length ? renderChanges(changes, to, from) : [],
  }
}

/**
 * The physical model of the last synced schema. Kept in memory for the next sync in this process (the
 * plugin's auto-sync, `db:sync --watch`): it is the previous sync's `to`, keyed by its schema hash.
 */
let remembered: { hash: string; provider: Provider; db: DbSchema } | undefined

export function rememberSynced(plan: SyncPlan): void {
  remembered = { hash: plan.targetHash, provider: plan.provider, db: plan.to }
}

function physicalOfCurrent(current: { text: string; hash: string }, provider: Provider): DbSchema {
  if (remembered?.hash === current.hash && remembered.provider === provider) return remembered.db
  // The hash matched the one recorded in the database: this is the canonical JSON sync wrote.
  return toPhysical(JSON.parse(current.text) as Schema, provider)
}

function repairReason(state: DatabaseState | null, currentHash: string | undefined, structure: string): string | undefined {
  if (state === null) return currentHash !== undefined ? 'the database has no sync record (it was reset or replaced)' : undefined
  if (currentHash === undefined) return 'migrations/current/schema.json is missing'
  if (currentHash !== state.schemaHash) return 'migrations/current/schema.json is not what the database was last synced to'
  if (state.structure !== structure) return 'the database was changed outside OKRA since the last sync'
  return undefined
}
