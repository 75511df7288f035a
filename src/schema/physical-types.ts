/**
 * The physical model: tables as one provider stores them. Two places produce it, and the differ
 * compares any two of them:
 * - `toPhysical(schema, provider)` (pure) from a canonical Schema;
 * - a driver's `introspect()` from a live database.
 * After a sync, introspect(db) and toPhysical(schema) must diff to nothing (the test suites check it).
 *
 * Native types are normalised to upper case without spaces (`TEXT`, `VARCHAR`, `TIMESTAMP(3)`,
 * `DECIMAL(65,30)`, `DOUBLE PRECISION` keeps its single space); a PostgreSQL enum column has the
 * enum's type name as its type, verbatim.
 */
import type { Default, ReferentialAction } from './types'

export type Provider = 'sqlite' | 'postgres'

export interface DbSchema {
  provider: Provider
  /** Sorted by name. OKRA's own bookkeeping tables (`_okra_*`) are never listed. */
  tables: DbTable[]
  /** PostgreSQL enum types, sorted by name; always empty for SQLite. */
  enums: DbEnum[]
}

export interface DbTable {
  name: string
  /** In table order. */
  columns: DbColumn[]
  primaryKey: string[]
  /** Indexes and unique constraints, sorted by name. The primary key's own index is not listed. */
  indexes: DbIndex[]
  /** Sorted by name. */
  foreignKeys: DbForeignKey[]
  /** Set when produced from a Schema: the model (or join table's relation) it came from, for summaries. */
  model?: string
}

export interface DbColumn {
  name: string
  type: string
  nullable: boolean
  /** A default OKRA understands, or null. `now` and `uuid` are recognised back from the SQL OKRA renders. */
  default: Default | null
  /** A default expression OKRA does not recognise (written by hand): kept so it is never silently dropped. */
  rawDefault?: string
  /** PostgreSQL identity column / SQLite INTEGER PRIMARY KEY AUTOINCREMENT-style rowid alias. */
  autoincrement: boolean
  /** `@updatedAt`: the database keeps it current (a trigger). */
  updatedAt: boolean
  /** SQLite only: the allowed values of an enum column (a CHECK constraint). */
  enumValues?: string[]
  /** Set when produced from a Schema: the field it came from, for summaries. */
  field?: string
}

export interface DbIndex {
  name: string
  columns: string[]
  unique: boolean
}

export interface DbForeignKey {
  name: string
  columns: string[]
  refTable: string
  refColumns: string[]
  onDelete: ReferentialAction
  onUpdate: ReferentialAction
}

export interface DbEnum {
  name: string
  values: string[]
}
