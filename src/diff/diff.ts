/**
 * The differ: `from` and `to` DbSchemas in, the changes that turn one into the other out, ordered so
 * that applying them in order works on both providers:
 *
 *   1. createEnum                  4. dropIndex          7. renameTable      10. addColumn        13. renameIndex, createIndex
 *   2. alterEnum (values added)    5. dropTable          8. createTable      11. alterColumn      14. renameForeignKey, addForeignKey
 *   3. dropForeignKey              6. dropColumn         9. renameColumn     12. alterPrimaryKey  15. alterEnum (values removed)
 *                                                                                                  16. dropEnum
 *
 * Everything that goes away goes first (freeing names and the keys that point at it), then renames,
 * then what is new; foreign keys last, when every table and key column exists; enum values are added
 * before any column may use them and removed once no column does.
 */
import type { DbColumn, DbSchema, DbTable, TypeRules } from '../schema/physical-types'
import type { AlterEnum, Change, ChangeKind, DiffResult, DiffWarning, EnumColumn } from './changes'
import { type DiffContext, type TablePair, makePair, modelLabel } from './context'
import { type HintReport, type RenameResolver, pairColumns, pairTables } from './renames'
import { SAFE, destructive, dropTableRisk, removeEnumValuesRisk } from './safety'
import { followJoinTables, isImplicitJoin, pairJoinColumns } from './join-tables'
import { columnChanges, foreignKeyChanges, indexChanges, primaryKeyChange } from './table-changes'

export interface DiffOptions {
  /** The database's types (its dialect's): which type changes are lossless, how defaults compare. */
  types: TypeRules
  /** Decides whether a table (column) that went away and one that appeared are one renamed. */
  renames?: RenameResolver
  /**
   * Also warn about a hint on a table (column) that kept its name when the hint's `from` is nowhere in
   * `from`. Right when `from` is the committed snapshot: such a hint has done its work (or never had any)
   * and can be removed. Not for a sync: the snapshot may still need it.
   */
  spentHints?: boolean
}

type Phase = ChangeKind | 'addEnumValues' | 'removeEnumValues'

const ORDER: readonly Phase[] = [
  'createEnum',
  'addEnumValues',
  'dropForeignKey',
  'dropIndex',
  'dropTable',
  'dropColumn',
  'renameTable',
  'createTable',
  'renameColumn',
  'addColumn',
  'alterColumn',
  'alterPrimaryKey',
  'renameIndex',
  'createIndex',
  'renameForeignKey',
  'addForeignKey',
  'removeEnumValues',
  'dropEnum',
]

function phaseOf(change: Change): Phase {
  if (change.kind === 'alterEnum') return change.removed.length ? 'removeEnumValues' : 'addEnumValues'
  return change.kind
}

/**
 * Pure apart from the resolver, which may prompt (hence async). Stale or conflicting rename hints come
 * back as warnings; the diff goes on without them.
 */
export async function diff(from: DbSchema, to: DbSchema, options: DiffOptions): Promise<DiffResult> {
  const { types } = options
  if (from.provider !== types.provider || to.provider !== types.provider) {
    throw new Error(`Cannot diff a ${from.provider} schema against a ${to.provider} schema with the types of ${types.provider}`)
  }
  const warnings: DiffWarning[] = []
  const hints: HintReport = { warnings, spentHints: options.spentHints === true }
  const fromEnums = new Map(from.enums.map((e) => [e.name, e.values]))
  const toEnums = new Map(to.enums.map((e) => [e.name, e.values]))
  const named = await pairTables(from.tables, to.tables, options.renames, hints)
  const newName = (old: string) => named.pairs.find(([f]) => f.name === old)?.[1].name
  const tables = followJoinTables(named, newName)
  const pairs: TablePair[] = []
  const unchanged = unchangedTables(named.pairs)
  for (const [f, t] of tables.pairs) {
    if (unchanged.has(f)) {
      pairs.push(unchangedPair(f, t))
      continue
    }
    const compatible = (a: (typeof f.columns)[number], b: (typeof t.columns)[number]) => types.isLosslessTypeChange(a, b, fromEnums, toEnums)
    const followed = !named.pairs.some(([x]) => x === f)
    const columns = followed ? pairJoinColumns(f, t, newName) : await pairColumns(f, t, compatible, options.renames, hints)
    pairs.push(makePair(f, t, columns, types))
  }
  const ctx: DiffContext = {
    types,
    from,
    to,
    fromEnums,
    toEnums,
    pairs,
    pairByFrom: new Map(pairs.map((p) => [p.from.name, p])),
    pairByTo: new Map(pairs.map((p) => [p.to.name, p])),
  }
  const changes: Change[] = [
    ...enumChanges(ctx),
    ...createdTables(tables.added, to.tables),
    ...droppedTables(tables.dropped),
  ]
  for (const pair of pairs) {
    if (unchanged.has(pair.from)) continue
    if (pair.from.name !== pair.to.name) {
      changes.push({
        kind: 'renameTable',
        from: pair.from.name,
        to: pair.to.name,
        fromModel: modelLabel(pair.from),
        model: modelLabel(pair.to, pair.from),
        updatedAtColumns: pair.from.columns.filter((c) => c.updatedAt && pair.toColumn.has(c.name)).map((c) => c.name),
        ...(isImplicitJoin(pair.to) || isImplicitJoin(pair.from) ? { joinTable: true as const } : {}),
        safety: SAFE,
      })
    }
    const key = primaryKeyChange(ctx, pair)
    const inside = [...columnChanges(ctx, pair), ...indexChanges(ctx, pair), ...foreignKeyChanges(ctx, pair), ...(key ? [key] : [])]
    // In a join table following a renamed model, everything else follows that rename (its columns are named and ordered after the models).
    const followed = !named.pairs.some(([f]) => f === pair.from)
    changes.push(...(followed ? inside.map((c): Change => ({ ...c, implied: c.implied ?? 'rename' })) : inside))
  }
  return { changes: ordered(changes), warnings }
}

/**
 * The tables that come through unchanged, so the differ need not look inside them: those written the same
 * in `from` and `to` (one JSON text; a sync's `from` and `to` are built by the same code, so most tables of
 * a large schema are), without a rename hint, whose foreign keys all point at such tables (a foreign key
 * is recreated when the table it references changes its key). Everything the full comparison would find in
 * them is nothing: each column pairs with itself by name, no aspect differs, every index and foreign key
 * matches itself.
 */
function unchangedTables(pairs: readonly [DbTable, DbTable][]): Set<DbTable> {
  const same = new Map<string, DbTable>()
  for (const [f, t] of pairs) {
    if (f.name === t.name && !t.renamedFrom?.length && !t.columns.some((c) => c.renamedFrom?.length) && JSON.stringify(f) === JSON.stringify(t)) same.set(f.name, f)
  }
  const unchanged = new Set<DbTable>()
  for (const table of same.values()) if (table.foreignKeys.every((fk) => same.has(fk.refTable))) unchanged.add(table)
  return unchanged
}

/** What makePair gives for a table whose `from` and `to` are the same: each column paired with itself, nothing changed. */
function unchangedPair(from: DbTable, to: DbTable): TablePair {
  const pairs = from.columns.map((column, i): [DbColumn, DbColumn] => [column, to.columns[i]])
  return {
    from,
    to,
    columns: { pairs, added: [], dropped: [] },
    toColumn: new Map(pairs.map(([f, t]) => [f.name, t])),
    fromColumn: new Map(pairs.map(([f, t]) => [t.name, f])),
    aspects: new Map(),
    primaryKeyChanged: false,
  }
}

/** Stable sort by phase: within a phase, changes keep the order they were made in (tables by name). */
function ordered(changes: Change[]): Change[] {
  const rank = new Map(ORDER.map((phase, i) => [phase, i]))
  return changes
    .map((change, i) => ({ change, i, rank: rank.get(phaseOf(change))! }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((x) => x.change)
}

function createdTables(tables: DbTable[], all: DbTable[]): Change[] {
  return tables.flatMap((table): Change[] => [
    { kind: 'createTable', table, model: modelLabel(table), safety: SAFE },
    ...table.foreignKeys.map(
      (foreignKey): Change => ({
        kind: 'addForeignKey',
        table: table.name,
        foreignKey,
        model: modelLabel(table),
        fields: foreignKey.columns.map((c) => table.columns.find((col) => col.name === c)?.field ?? c),
        refModel: modelLabel(all.find((t) => t.name === foreignKey.refTable) ?? { ...table, name: foreignKey.refTable, model: undefined }),
        implied: 'withTable',
        safety: SAFE,
      }),
    ),
  ])
}

/**
 * Dropped tables, and the foreign keys between two of them (dropped first, so the tables can go in any
 * order even when they reference each other).
 */
function droppedTables(tables: DbTable[]): Change[] {
  const dropped = new Set(tables.map((t) => t.name))
  return tables.flatMap((table): Change[] => [
    ...table.foreignKeys
      .filter((fk) => fk.refTable !== table.name && dropped.has(fk.refTable))
      .map(
        (foreignKey): Change => ({
          kind: 'dropForeignKey',
          table: table.name,
          foreignKey,
          model: modelLabel(table),
          fields: foreignKey.columns,
          refModel: foreignKey.refTable,
          implied: 'withTable',
          safety: SAFE,
        }),
      ),
    { kind: 'dropTable', table, model: modelLabel(table), safety: destructive(dropTableRisk(table.name)) },
  ])
}

/** PostgreSQL enum types (SQLite has none: its enum columns carry `enumValues`, compared as a column aspect). */
function enumChanges(ctx: DiffContext): Change[] {
  const changes: Change[] = []
  const fromByName = new Map(ctx.from.enums.map((e) => [e.name, e]))
  const toByName = new Map(ctx.to.enums.map((e) => [e.name, e]))
  for (const e of ctx.to.enums) {
    const old = fromByName.get(e.name)
    const label = e.label ?? old?.label ?? e.name
    if (!old) {
      changes.push({ kind: 'createEnum', enum: e, label, safety: SAFE })
      continue
    }
    const added = e.values.filter((v) => !old.values.includes(v))
    const removed = old.values.filter((v) => !e.values.includes(v))
    // A removal recreates the type in the new order anyway; otherwise adding values in place keeps the old
    // order of the others, so a new order needs the type recreated.
    const inPlace = withAdded(old.values, e.values)
    const reordered = !removed.length && inPlace.some((v, i) => v !== e.values[i])
    if (added.length || reordered) {
      const addition: AlterEnum = {
        kind: 'alterEnum',
        name: e.name,
        label,
        values: reordered ? [...e.values] : inPlace,
        added,
        removed: [],
        ...(reordered ? { reordered } : {}),
        columns: enumColumns(ctx.from.tables, e.name),
        safety: SAFE,
      }
      changes.push(addition)
    }
    if (removed.length) {
      // Rows at risk: those of columns that keep this type through the batch (dropped ones no longer matter).
      const atRisk = ctx.pairs.flatMap((p) =>
        p.to.columns
          .filter((c) => c.type === e.name && p.fromColumn.get(c.name)?.type === e.name)
          .map((c) => ({ table: p.from.name, column: p.fromColumn.get(c.name)!.name })),
      )
      const removal: AlterEnum = {
        kind: 'alterEnum',
        name: e.name,
        label,
        values: [...e.values],
        added: [],
        removed,
        columns: enumColumns(ctx.to.tables, e.name),
        safety: destructive(removeEnumValuesRisk(label, removed, atRisk)),
      }
      changes.push(removal)
    }
  }
  for (const e of ctx.from.enums) {
    if (!toByName.has(e.name)) changes.push({ kind: 'dropEnum', enum: e, label: e.label ?? e.name, safety: SAFE })
  }
  return changes
}

/** The old values with each new value placed after the value it follows in the new order (so ADD VALUE ... AFTER keeps that order). */
function withAdded(oldValues: string[], newValues: string[]): string[] {
  const values = [...oldValues]
  newValues.forEach((value, i) => {
    if (values.includes(value)) return
    const before = i > 0 ? values.indexOf(newValues[i - 1]!) : -1
    values.splice(before + 1, 0, value)
  })
  return values
}

function enumColumns(tables: DbTable[], enumName: string): EnumColumn[] {
  return tables.flatMap((t) => t.columns.filter((c) => c.type === enumName).map((c) => ({ table: t.name, column: c.name, default: c.default })))
}
