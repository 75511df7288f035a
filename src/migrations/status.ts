/**
 * `migrateStatus()`: every migration, applied (with its date), pending, changed after it was applied, or
 * failed; and drift: how the live database (introspected) differs from the schema of the newest applied
 * migration, i.e. what was changed in the database without a migration.
 */
import { diff, summaries } from '../diff/index'
import { handMadeIndexes, namedIn } from '../project/hand-made'
import { physicalWithoutHints } from './derive'
import { folderSchema, folderSchemaReader } from './folders'
import { readHistory } from './history'
import { makeLedger } from './ledger'
import { type MigrationsOptions, openSession, sessionChain, withDatabase } from './session'
import { planCatchUp, structureDifferences } from './rebased'
import type { ChainProblem } from './chain-check'
import { describeDestruction } from './destroys'
import { upChanges } from './plan'
import type { Provider } from '../schema/physical-types'

export type MigrationState = 'applied' | 'pending' | 'changed' | 'failed' | 'missing'

export interface MigrationStatusEntry {
  id: string
  state: MigrationState
  /** When applied (or failed), ISO-8601. */
  appliedAt: string | null
  /** For `changed`: what changed (`migration.sql changed`). */
  changes: string[]
  /** Pending, but older than the newest applied migration (merged from another branch). */
  outOfOrder: boolean
  /** Applied under these former names, before `migrate:rebase` moved it (migrate:up records the new name). */
  formerly?: string[]
  /** Pending: what it destroys, as declared (with the rows at stake now when there are any). */
  destroys: string[]
}

export interface MigrateStatusResult {
  url: string
  provider: Provider
  migrations: MigrationStatusEntry[]
  /** The migration whose schema the database is compared with (the newest applied one), or null when none is applied. */
  driftBase: string | null
  /** One line per difference between that schema and the live database (`+ Added field 'x' to users`: the database has more). */
  drift: string[]
  /** What a database that applied migrations before they were rebased needs, in sentences; empty otherwise. */
  rebase: string[]
  pending: number
  changed: number
  failed: number
  /** What is wrong with the history itself (a fork, a hole, a snapshot that is not the head): the command exits 1. */
  problems: ChainProblem[]
  /** About the history, stopping nothing. */
  notes: string[]
}

export async function migrateStatus(options: MigrationsOptions = {}): Promise<MigrateStatusResult> {
  const session = await openSession(options)
  const chain = await sessionChain(session)
  return withDatabase(session.config, options, async (driver) => {
    const ledger = makeLedger(session.folders, await readHistory(driver))
    const changed = new Map(ledger.changed.map((c) => [c.folder.id, c.files]))
    const outOfOrder = new Set(ledger.outOfOrder.map((f) => f.id))
    const entries: MigrationStatusEntry[] = session.folders.map((folder) => {
      const row = ledger.rows.get(folder.id)
      const state: MigrationState = !row ? 'pending' : row.status === 'failed' ? 'failed' : changed.has(folder.id) ? 'changed' : 'applied'
      return { id: folder.id, state, appliedAt: row?.appliedAt ?? null, changes: changed.get(folder.id) ?? [], outOfOrder: outOfOrder.has(folder.id), destroys: [] }
    })
    for (const alias of ledger.rebased) {
      const entry = entries.find((e) => e.id === alias.folder.id)!
      Object.assign(entry, { state: 'applied', appliedAt: alias.rows[0]!.appliedAt, formerly: alias.rows.map((r) => r.id) })
    }
    // In the order they apply (the chain's; the names' but where a folder was renamed); a row whose folder is gone, where its name puts it.
    for (const row of ledger.missing) {
      const at = entries.findIndex((e) => e.id > row.id)
      entries.splice(at < 0 ? entries.length : at, 0, { id: row.id, state: 'missing', appliedAt: row.appliedAt, changes: [], outOfOrder: false, destroys: [] })
    }
    // A broken chain has no parent to derive from for some folders: the problem is reported instead.
    if (chain.problems.length === 0) {
      const schemaOf = folderSchemaReader()
      for (const entry of entries.filter((e) => e.state === 'pending')) {
        const index = session.folders.findIndex((f) => f.id === entry.id)
        const declared = chain.shape.links.find((l) => l.id === entry.id)?.destroys ?? null
        entry.destroys = await describeDestruction(driver, await upChanges(session.folders, index, driver.dialect, schemaOf), declared)
      }
    }

    const catchUp = await planCatchUp(session.folders, ledger.rebased, ledger.pending, driver)
    const base = [...session.folders].reverse().find((f) => ledger.rows.get(f.id)?.status === 'applied')
    let driftBase = base?.id ?? null
    let drift: string[]
    const rebase: string[] = []
    if (catchUp) {
      const moved = catchUp.aliases.map((a) => a.folder.id)
      const formerly = catchUp.aliases.flatMap((a) => a.rows.map((r) => r.id))
      driftBase = [base?.id, ...moved].filter(Boolean).join(' + ')
      drift = await structureDifferences(driver, catchUp.expected)
      if (catchUp.plans.length) {
        const others = catchUp.plans.map((p) => p.folder.id)
        rebase.push(
          `This database applied ${formerly.join(', ')} before migrate:rebase moved them after ${others.join(', ')}, which it has not applied. ` +
            `\`okra migrate:up\` applies ${others.join(', ')} keeping every column of the moved migrations, then records them as ${moved.join(', ')}.`,
        )
      } else {
        rebase.push(
          `This database applied both branches, in the other order: ${formerly.join(', ')} before the migrations the rebase put first. ` +
            `It holds the same changes; \`okra migrate:up\` checks its structure and records ${formerly.join(', ')} as ${moved.join(', ')}.`,
        )
      }
      if (drift.length) rebase.push('Its structure is not what the rebased history expects (see the drift below): migrate:up will refuse. Restore it from a backup taken before the other branch ran, then run migrate:up.')
    } else {
      const expected = physicalWithoutHints(base ? folderSchema(base) : null, driver.dialect.types)
      const { changes: all } = await diff(expected, await driver.introspect(), { types: driver.dialect.types })
      // An index a migration's SQL made by hand is part of the history, not drift.
      const handMade = all.some((c) => c.kind === 'createIndex') ? handMadeIndexes(session.config, driver.dialect.types) : new Set<string>()
      drift = summaries(all.filter((c) => c.kind !== 'createIndex' || !namedIn(handMade, c.index.name)))
    }
    const count = (state: MigrationState) => entries.filter((e) => e.state === state).length
    return {
      url: driver.displayUrl,
      provider: driver.provider,
      migrations: entries,
      driftBase,
      drift,
      rebase,
      pending: count('pending'),
      changed: count('changed'),
      failed: count('failed'),
      problems: chain.problems,
      notes: chain.notes,
    }
  })
}
