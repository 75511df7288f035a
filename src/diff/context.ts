/**
 * What the differ knows once tables and columns are paired: for every surviving table its old and new
 * form, which column became which, and how each paired column changed. The per-object diffs read it.
 */
import type { DbColumn, DbSchema, DbTable, EnumValues, TypeRules } from '../schema/physical-types'
import type { ColumnAspect } from './changes'
import { sameDefault } from './compare'
import type { Pairing } from './renames'

export interface TablePair {
  from: DbTable
  to: DbTable
  columns: Pairing<DbColumn>
  /** Old column name -> the column it became. */
  toColumn: Map<string, DbColumn>
  /** New column name -> the column it was. */
  fromColumn: Map<string, DbColumn>
  /** New column name -> what changed, for paired columns that changed. */
  aspects: Map<string, ColumnAspect[]>
  /** The primary key, in new column names, differs. */
  primaryKeyChanged: boolean
}

export interface DiffContext {
  types: TypeRules
  from: DbSchema
  to: DbSchema
  fromEnums: EnumValues
  toEnums: EnumValues
  pairs: TablePair[]
  pairByFrom: Map<string, TablePair>
  pairByTo: Map<string, TablePair>
}

export function makePair(from: DbTable, to: DbTable, columns: Pairing<DbColumn>, types: TypeRules): TablePair {
  const toColumn = new Map(columns.pairs.map(([f, t]) => [f.name, t]))
  const fromColumn = new Map(columns.pairs.map(([f, t]) => [t.name, f]))
  const aspects = new Map<string, ColumnAspect[]>()
  for (const [f, t] of columns.pairs) {
    const changed = columnAspects(f, t, types)
    if (changed.length) aspects.set(t.name, changed)
  }
  const oldKey = from.primaryKey.map((c) => toColumn.get(c)?.name ?? `\0${c}`)
  return { from, to, columns, toColumn, fromColumn, aspects, primaryKeyChanged: oldKey.join('\0') !== to.primaryKey.join('\0') }
}

function columnAspects(from: DbColumn, to: DbColumn, types: TypeRules): ColumnAspect[] {
  const aspects: ColumnAspect[] = []
  const logicalChange = from.logicalType !== undefined && to.logicalType !== undefined && from.logicalType !== to.logicalType
  if (from.type !== to.type || logicalChange) aspects.push('type')
  if (from.nullable !== to.nullable) aspects.push('nullable')
  if (!sameDefault(from, to, types)) aspects.push('default')
  if (from.autoincrement !== to.autoincrement) aspects.push('autoincrement')
  if (from.updatedAt !== to.updatedAt) aspects.push('updatedAt')
  if (!sameSet(from.enumValues ?? [], to.enumValues ?? [])) aspects.push('enumValues')
  return aspects
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v) => b.includes(v))
}

/** The label of a table in summaries: its model's name, else its name. */
export function modelLabel(...tables: (DbTable | undefined)[]): string {
  for (const t of tables) if (t?.model) return t.model
  return tables.find((t) => t)!.name
}

/** The labels of `columns` of `table`: field names where known, else the column names. */
export function fieldLabels(table: DbTable, columns: string[], fallback?: DbTable): string[] {
  return columns.map((c) => table.columns.find((col) => col.name === c)?.field ?? fallback?.columns.find((col) => col.name === c)?.field ?? c)
}

/** A column changes its stored type (not only its OKRA type). */
export function physicalTypeChanged(pair: TablePair, column: string): boolean {
  const from = pair.fromColumn.get(column)
  const to = pair.to.columns.find((c) => c.name === column)
  return from !== undefined && to !== undefined && from.type !== to.type
}
