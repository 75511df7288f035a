/**
 * The changes inside one surviving table: columns, primary key, indexes and foreign keys, each with its
 * safety class. Indexes and foreign keys are matched by what they do (after renames), not by name.
 */
import type { DbColumn, DbForeignKey, DbIndex, DbTable } from '../schema/physical-types'
import type {
  AddColumn,
  AddForeignKey,
  AlterColumn,
  AlterPrimaryKey,
  Change,
  CreateIndex,
  DropColumn,
  DropForeignKey,
  DropIndex,
  RenameColumn,
  Risk,
  Safety,
} from './changes'
import { defaultKey } from './compare'
import { type DiffContext, type TablePair, fieldLabels, modelLabel, physicalTypeChanged } from './context'
import {
  SAFE,
  addRequiredColumnRisk,
  destructive,
  dropColumnRisk,
  foreignKeyRisk,
  removeEnumValuesRisk,
  requiredWithoutDefaultRisk,
  typeChangeRisk,
  uniqueRisk,
} from './safety'

export function columnChanges(ctx: DiffContext, pair: TablePair): Change[] {
  const { from, to } = pair
  const model = modelLabel(to, from)
  const changes: Change[] = []
  for (const [f, t] of pair.columns.pairs) {
    if (f.name !== t.name) {
      const rename: RenameColumn = {
        kind: 'renameColumn',
        table: to.name,
        from: f.name,
        to: t.name,
        column: t,
        model,
        fromField: f.field ?? f.name,
        field: t.field ?? t.name,
        safety: SAFE,
      }
      changes.push(rename)
    }
    const aspects = pair.aspects.get(t.name)
    if (aspects) changes.push(alterColumn(ctx, pair, f, t, aspects))
  }
  for (const column of pair.columns.added) {
    const required = !column.nullable && defaultKey(column, ctx.types) === 'none' && !column.autoincrement
    const add: AddColumn = {
      kind: 'addColumn',
      table: to.name,
      column,
      model,
      field: column.field ?? column.name,
      safety: required ? destructive(addRequiredColumnRisk(from.name, column.name)) : SAFE,
    }
    changes.push(add)
  }
  for (const column of pair.columns.dropped) {
    const drop: DropColumn = {
      kind: 'dropColumn',
      table: from.name,
      column,
      model,
      field: column.field ?? column.name,
      safety: destructive(dropColumnRisk(from.name, column.name)),
    }
    changes.push(drop)
  }
  return changes
}

function alterColumn(ctx: DiffContext, pair: TablePair, f: DbColumn, t: DbColumn, aspects: AlterColumn['aspects']): AlterColumn {
  const risks: Risk[] = []
  if (aspects.includes('type') && !ctx.types.isLosslessTypeChange(f, t, ctx.fromEnums, ctx.toEnums)) {
    risks.push(typeChangeRisk(pair.from.name, f, t))
  }
  const hasDefault = defaultKey(t, ctx.types) !== 'none' || t.autoincrement
  if (aspects.includes('nullable') && f.nullable && !t.nullable && !hasDefault) {
    risks.push(requiredWithoutDefaultRisk(pair.from.name, f.name))
  }
  const removed = (f.enumValues ?? []).filter((v) => t.enumValues && !t.enumValues.includes(v))
  if (aspects.includes('enumValues') && removed.length) {
    risks.push(removeEnumValuesRisk(t.logicalType ?? t.name, removed, [{ table: pair.from.name, column: f.name }]))
  }
  return {
    kind: 'alterColumn',
    table: pair.to.name,
    from: f,
    to: t,
    aspects,
    castViaText: ctx.fromEnums.has(f.type) || ctx.toEnums.has(t.type),
    model: modelLabel(pair.to, pair.from),
    field: t.field ?? f.field ?? t.name,
    safety: destructive(...risks),
  }
}

export function primaryKeyChange(ctx: DiffContext, pair: TablePair): AlterPrimaryKey | undefined {
  if (!pair.primaryKeyChanged) return undefined
  const { from, to } = pair
  const oldKey = from.primaryKey.map((c) => pair.toColumn.get(c)?.name ?? c)
  // A key holding all the old key's columns is unique already.
  const covers = oldKey.every((c) => to.primaryKey.includes(c))
  const fields = fieldLabels(to, to.primaryKey)
  return {
    kind: 'alterPrimaryKey',
    table: to.name,
    from: from.primaryKey,
    to: to.primaryKey,
    model: modelLabel(to, from),
    fromFields: fieldLabels(from, from.primaryKey, to),
    fields,
    safety: covers ? SAFE : uniqueSafety(ctx, pair, to.primaryKey, `changing the primary key of ${to.name} to (${to.primaryKey.join(', ')})`),
  }
}

/** A unique index over new column names of a surviving table: safe when existing rows cannot clash. */
function uniqueSafety(ctx: DiffContext, pair: TablePair, columns: string[], what: string): Safety {
  const existing: string[] = []
  for (const name of columns) {
    const old = pair.fromColumn.get(name)
    if (old) {
      existing.push(old.name)
      continue
    }
    const column = pair.to.columns.find((c) => c.name === name)!
    // A new column that is NULL in every existing row (NULLs never clash) or unique per row.
    if (column.autoincrement || column.default?.kind === 'uuid') return SAFE
    if (column.nullable && defaultKey(column, ctx.types) === 'none') return SAFE
  }
  const uniqueBefore = [pair.from.primaryKey, ...pair.from.indexes.filter((i) => i.unique).map((i) => i.columns)]
  if (uniqueBefore.some((key) => key.length > 0 && key.every((c) => existing.includes(c)))) return SAFE
  return destructive(uniqueRisk(what, pair.from.name, existing))
}

/** An index of the old table described with new column names (`undefined` when one of its columns is gone). */
function renamedIndexKey(pair: TablePair, index: DbIndex): string | undefined {
  const columns = index.columns.map((c) => pair.toColumn.get(c)?.name)
  if (columns.some((c) => c === undefined)) return undefined
  return indexKey({ ...index, columns: columns as string[] })
}

function indexKey(index: DbIndex): string {
  return `${index.unique ? 'unique' : 'plain'}(${index.columns.join('\0')})`
}

export function indexChanges(ctx: DiffContext, pair: TablePair): Change[] {
  const { from, to } = pair
  const model = modelLabel(to, from)
  const changes: Change[] = []
  const unmatched = new Set(from.indexes)
  const takeMatch = (index: DbIndex) => {
    const candidates = [...unmatched].filter((old) => renamedIndexKey(pair, old) === indexKey(index))
    const match = candidates.find((old) => old.name === index.name) ?? candidates[0]
    if (match) unmatched.delete(match)
    return match
  }
  for (const index of to.indexes) {
    const old = takeMatch(index)
    // An index the database named (an inline UNIQUE on SQLite) is that constraint under any name.
    if (old && old.name !== index.name && !ctx.types.isDatabaseNamedIndex(old.name)) {
      changes.push({ kind: 'renameIndex', table: to.name, from: old.name, index, implied: 'rename', safety: SAFE })
    } else if (!old) {
      const fields = fieldLabels(to, index.columns)
      const create: CreateIndex = {
        kind: 'createIndex',
        table: to.name,
        index,
        model,
        fields,
        safety: index.unique ? uniqueSafety(ctx, pair, index.columns, `adding unique index ${index.name} on ${to.name}(${index.columns.join(', ')})`) : SAFE,
      }
      changes.push(create)
    }
  }
  for (const index of unmatched) {
    const drop: DropIndex = { kind: 'dropIndex', table: from.name, index, model, fields: fieldLabels(from, index.columns, to), safety: SAFE }
    changes.push(drop)
  }
  return changes
}

/** A foreign key of the old table described in new names: columns, referenced table and columns, actions. */
function renamedForeignKeyKey(ctx: DiffContext, pair: TablePair, fk: DbForeignKey): string | undefined {
  const columns = fk.columns.map((c) => pair.toColumn.get(c)?.name)
  const target = ctx.pairByFrom.get(fk.refTable)
  const refColumns = fk.refColumns.map((c) => target?.toColumn.get(c)?.name)
  if (!target || columns.includes(undefined) || refColumns.includes(undefined)) return undefined
  return foreignKeyKey({ ...fk, columns: columns as string[], refTable: target.to.name, refColumns: refColumns as string[] })
}

function foreignKeyKey(fk: DbForeignKey): string {
  return [fk.columns.join('\0'), fk.refTable, fk.refColumns.join('\0'), fk.onDelete, fk.onUpdate].join('\u0001')
}

/**
 * Foreign keys: added, dropped, renamed (PostgreSQL only), and on PostgreSQL dropped and added again
 * around a change of the stored type of a column they use or of the referenced table's primary key.
 */
export function foreignKeyChanges(ctx: DiffContext, pair: TablePair): Change[] {
  const { from, to } = pair
  const model = modelLabel(to, from)
  const changes: Change[] = []
  const unmatched = new Set(from.foreignKeys)
  const refModel = (table: string, tables: DbTable[]) => modelLabel(tables.find((t) => t.name === table) ?? { name: table } as DbTable)
  const dropOf = (fk: DbForeignKey, implied?: 'recreate'): DropForeignKey => ({
    kind: 'dropForeignKey',
    table: from.name,
    foreignKey: fk,
    model,
    fields: fieldLabels(from, fk.columns, to),
    refModel: refModel(fk.refTable, ctx.from.tables),
    safety: SAFE,
    ...(implied ? { implied } : {}),
  })
  const addOf = (fk: DbForeignKey, safety: Safety, implied?: 'recreate'): AddForeignKey => ({
    kind: 'addForeignKey',
    table: to.name,
    foreignKey: fk,
    model,
    fields: fieldLabels(to, fk.columns),
    refModel: refModel(fk.refTable, ctx.to.tables),
    safety,
    ...(implied ? { implied } : {}),
  })
  for (const fk of to.foreignKeys) {
    const candidates = [...unmatched].filter((old) => renamedForeignKeyKey(ctx, pair, old) === foreignKeyKey(fk))
    const old = candidates.find((c) => c.name === fk.name) ?? candidates[0]
    if (!old) {
      changes.push(addOf(fk, foreignKeySafety(ctx, pair, fk)))
      continue
    }
    unmatched.delete(old)
    if (ctx.types.alterForeignKeysInPlace && needsRecreate(ctx, pair, fk)) {
      changes.push(dropOf(old, 'recreate'), addOf(fk, SAFE, 'recreate'))
    } else if (ctx.types.alterForeignKeysInPlace && old.name !== fk.name) {
      changes.push({ kind: 'renameForeignKey', table: to.name, from: old.name, to: fk.name, implied: 'rename', safety: SAFE })
    }
  }
  for (const fk of unmatched) changes.push(dropOf(fk))
  return changes
}

function needsRecreate(ctx: DiffContext, pair: TablePair, fk: DbForeignKey): boolean {
  const target = ctx.pairByTo.get(fk.refTable)
  if (!target) return false
  return (
    target.primaryKeyChanged ||
    fk.columns.some((c) => physicalTypeChanged(pair, c)) ||
    fk.refColumns.some((c) => physicalTypeChanged(target, c))
  )
}

/** A new foreign key on a surviving table fails on existing rows whose key matches no parent row. */
function foreignKeySafety(ctx: DiffContext, pair: TablePair, fk: DbForeignKey): Safety {
  const oldColumns = fk.columns.map((c) => pair.fromColumn.get(c)?.name)
  // A new column holds NULL (no check) or its default in every existing row: nothing to count before it exists.
  if (oldColumns.includes(undefined)) return SAFE
  const target = ctx.pairByTo.get(fk.refTable)
  const refColumns = fk.refColumns.map((c) => target?.fromColumn.get(c)?.name)
  const oldFk = { ...fk, columns: oldColumns as string[] }
  const parent = target && !refColumns.includes(undefined) ? { table: target.from.name, columns: refColumns as string[] } : undefined
  return destructive(foreignKeyRisk(pair.from.name, oldFk, parent))
}
