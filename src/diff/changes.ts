/**
 * The changes that turn one DbSchema into another: a typed union, one member per kind. Each change
 * carries everything a SQL renderer needs (so renderers never look anything up), the labels its summary
 * line uses, and its safety class (whether it can lose data or fail on existing rows).
 *
 * `table` is always the table's name at the moment the change runs: the OLD name for the changes that
 * run before table renames (dropForeignKey, dropIndex, dropTable, dropColumn), the NEW name for the rest
 * (see `diff` for the order).
 *
 * Labels: `model` is the model's name when the DbSchema came from a Schema, else the table's name;
 * `field`, `fields` likewise (field names, else column names).
 */
import type { DbColumn, DbEnum, DbForeignKey, DbIndex, DbTable } from '../schema/physical-types'
import type { Default } from '../schema/types'

export type Change =
  | CreateEnum
  | AlterEnum
  | DropEnum
  | CreateTable
  | DropTable
  | RenameTable
  | AddColumn
  | DropColumn
  | RenameColumn
  | AlterColumn
  | AlterPrimaryKey
  | CreateIndex
  | DropIndex
  | RenameIndex
  | AddForeignKey
  | DropForeignKey
  | RenameForeignKey

export type ChangeKind = Change['kind']

/** Whether a change can lose data or fail on existing rows, and how to count the rows at risk. */
export type Safety = { level: 'safe' } | { level: 'destructive'; risks: Risk[] }

export interface Risk {
  /** What happens, written to be followed by the count: `dropping column users.fax loses`. */
  reason: string
  /** What the count counts: `{ one: 'non-null value', other: 'non-null values' }`. */
  unit: { one: string; other: string }
  /**
   * A query valid on both providers, returning one row with one column `count` (a string on PostgreSQL,
   * a number on SQLite): the rows at risk. It uses the tables and columns as they are BEFORE any change
   * of the batch runs, so run every count before applying. 0 means no consent is needed.
   */
  countSql: string
  /**
   * `missing-values`: a required column with no value for the rows counted (no default to fill them).
   * The database refuses the change on those rows whatever the user consents to, so it is refused up
   * front with the ways out (a default, filling the rows, keeping the field optional).
   */
  refusal?: 'missing-values'
}

/**
 * Why a change is only a consequence of another one, and so gets no summary line:
 * - `withTable`: a foreign key created with its new table or dropped with its dropped table
 *   (PostgreSQL adds them after all tables exist; SQLite writes them inside CREATE TABLE);
 * - `recreate`: a foreign key dropped and added again around a change to a column or key it uses
 *   (PostgreSQL needs it; SQLite's rebuild of the table covers it);
 * - `rename`: an index or foreign key whose generated name follows a table or column rename, or any
 *   change inside a many-to-many join table that follows a renamed model (see join-tables.ts).
 */
export type Implied = 'withTable' | 'recreate' | 'rename'

interface ChangeBase {
  safety: Safety
  implied?: Implied
}

export interface CreateEnum extends ChangeBase {
  kind: 'createEnum'
  enum: DbEnum
  label: string
}

export interface DropEnum extends ChangeBase {
  kind: 'dropEnum'
  enum: DbEnum
  label: string
}

/**
 * A PostgreSQL enum gaining values (placed before the table changes, so new columns and defaults can use
 * them) or losing values (placed after them). A diff that does both emits two alterEnum changes.
 */
export interface AlterEnum extends ChangeBase {
  kind: 'alterEnum'
  name: string
  label: string
  /** The values once this change is applied, in order. */
  values: string[]
  added: string[]
  removed: string[]
  /**
   * The values keep their set but change their order (which drives ORDER BY and comparisons on PostgreSQL):
   * the type is recreated in the new order, as for a removal.
   */
  reordered?: boolean
  /** The columns of this type when the change runs (names and defaults of that moment), for the type swap. */
  columns: EnumColumn[]
}

export interface EnumColumn {
  table: string
  column: string
  default: Default | null
}

export interface CreateTable extends ChangeBase {
  kind: 'createTable'
  /** The whole table: columns, primary key, indexes, triggers; its foreign keys also come as addForeignKey (implied `withTable`). */
  table: DbTable
  model: string
}

export interface DropTable extends ChangeBase {
  kind: 'dropTable'
  table: DbTable
  model: string
}

export interface RenameTable extends ChangeBase {
  kind: 'renameTable'
  from: string
  to: string
  fromModel: string
  model: string
  /** Columns (names before any column rename) kept by an @updatedAt trigger, whose names include the table's. */
  updatedAtColumns: string[]
  /** An implicit many-to-many join table following a renamed model. */
  joinTable?: true
}

export interface AddColumn extends ChangeBase {
  kind: 'addColumn'
  table: string
  column: DbColumn
  model: string
  field: string
}

export interface DropColumn extends ChangeBase {
  kind: 'dropColumn'
  table: string
  column: DbColumn
  model: string
  field: string
}

export interface RenameColumn extends ChangeBase {
  kind: 'renameColumn'
  table: string
  from: string
  to: string
  /** The column as it will be (its updatedAt trigger follows the rename). */
  column: DbColumn
  model: string
  fromField: string
  field: string
}

export type ColumnAspect = 'type' | 'nullable' | 'default' | 'autoincrement' | 'updatedAt' | 'enumValues'

export interface AlterColumn extends ChangeBase {
  kind: 'alterColumn'
  table: string
  /** The column before (its `name` is the name it had before any rename in the batch). */
  from: DbColumn
  /** The column after; `to.name` is its name when this change runs. */
  to: DbColumn
  /** What differs. `type` may be a change of OKRA type only (Int -> BigInt both INTEGER on SQLite): then no SQL is needed. */
  aspects: ColumnAspect[]
  /** PostgreSQL: the old or new type is an enum, so the USING cast goes through text. */
  castViaText: boolean
  model: string
  field: string
}

export interface AlterPrimaryKey extends ChangeBase {
  kind: 'alterPrimaryKey'
  table: string
  from: string[]
  to: string[]
  model: string
  fromFields: string[]
  fields: string[]
}

export interface CreateIndex extends ChangeBase {
  kind: 'createIndex'
  table: string
  index: DbIndex
  model: string
  fields: string[]
}

export interface DropIndex extends ChangeBase {
  kind: 'dropIndex'
  table: string
  index: DbIndex
  model: string
  fields: string[]
}

export interface RenameIndex extends ChangeBase {
  kind: 'renameIndex'
  table: string
  from: string
  /** The index as it will be. */
  index: DbIndex
}

export interface AddForeignKey extends ChangeBase {
  kind: 'addForeignKey'
  table: string
  foreignKey: DbForeignKey
  model: string
  fields: string[]
  refModel: string
}

export interface DropForeignKey extends ChangeBase {
  kind: 'dropForeignKey'
  table: string
  foreignKey: DbForeignKey
  model: string
  fields: string[]
  refModel: string
}

/** PostgreSQL only: SQLite foreign key names are not compared. */
export interface RenameForeignKey extends ChangeBase {
  kind: 'renameForeignKey'
  table: string
  from: string
  to: string
}

/** A problem with the rename hints: the diff still goes on (the table or column is created). */
export interface DiffWarning {
  kind: 'stale-rename' | 'rename-conflict'
  message: string
}

export interface DiffResult {
  changes: Change[]
  warnings: DiffWarning[]
}

/** For an exhaustive switch: reaching it means a kind has no case. */
export function unhandledChange(change: never, where: string): never {
  throw new Error(`${where}: no case for change kind '${(change as { kind: string }).kind}'`)
}
