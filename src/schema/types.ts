/**
 * The canonical Schema: the checked, resolved form of all schema files together.
 *
 * It is what `migrations/<folder>/schema.json` stores, so it is designed to last:
 * - `format` is bumped on any incompatible change, and readers refuse formats they do not know;
 * - every name the database sees is resolved here (table, column, index and constraint names),
 *   so a later change to naming rules can never silently rename things in an existing database;
 * - serialised with sorted keys and absent optional keys omitted (see canonical.ts), so equal
 *   schemas give byte-identical JSON and the same hash.
 *
 * Order: enums and models sorted by name; fields in declaration order (spreads expanded in place);
 * indexes, uniques and foreign keys sorted by name.
 */

export const SCHEMA_FORMAT = 1

export type ScalarType = 'ID' | 'String' | 'Int' | 'BigInt' | 'Float' | 'Decimal' | 'Boolean' | 'DateTime' | 'JSON' | 'Bytes'

export const SCALAR_TYPES: readonly ScalarType[] = ['ID', 'String', 'Int', 'BigInt', 'Float', 'Decimal', 'Boolean', 'DateTime', 'JSON', 'Bytes']

export type ReferentialAction = 'Cascade' | 'SetNull' | 'Restrict' | 'NoAction' | 'SetDefault'

export interface Schema {
  format: typeof SCHEMA_FORMAT
  /** From the `@okra(namespace:, version:)` header, when given. */
  namespace?: string
  version?: string
  enums: Enum[]
  /** Models that get a table. Mixins (models without a primary key used through `...Name`) are expanded and not listed. */
  models: Model[]
  /** Implicit many-to-many join tables, made explicit. */
  joinTables: JoinTable[]
}

export interface Enum {
  name: string
  /** The PostgreSQL type name (snake_case of the enum name). */
  dbName: string
  description?: string
  values: EnumValue[]
}

export interface EnumValue {
  name: string
  description?: string
}

export interface Model {
  name: string
  /** snake_case plural of the name, or `@@map`. */
  table: string
  description?: string
  /** Former names from `@@renamed(from:)`, newest first. A hint, not a requirement. */
  renamedFrom?: string[]
  fields: Field[]
  /** Field names of the primary key (`@id`, a field named `id`, or `@@id`). Never empty. */
  primaryKey: string[]
  /** Plain (non-unique) indexes: `@index`, `@@index`, top-level `@index`. */
  indexes: Index[]
  /** Unique constraints: `@unique`, `@@unique`, top-level `@unique`, one-to-one foreign keys. */
  uniques: Index[]
  /** One per relation field that holds `fields`/`references`. */
  foreignKeys: ForeignKey[]
}

export type Field = ScalarField | EnumField | RelationField

interface FieldBase {
  name: string
  description?: string
  /** `T!`. For a relation list: whether the list itself is required (`[Post!]!`). */
  required: boolean
  /** Former names from `@renamed(from:)`, newest first. */
  renamedFrom?: string[]
}

/** A field stored in a column of a scalar type. */
export interface ScalarField extends FieldBase {
  kind: 'scalar'
  type: ScalarType
  /** snake_case of the name, or `@map`. */
  column: string
  default?: Default
  /** `@updatedAt`: kept current by the database itself. */
  updatedAt?: true
  /** `@db(type: "...")`: the native column type, verbatim. */
  dbType?: string
}

/** A field stored in a column holding a value of an enum. */
export interface EnumField extends FieldBase {
  kind: 'enum'
  /** The enum's name. */
  type: string
  column: string
  /** Only `{ kind: 'value', value: '<ENUM_VALUE>' }`. */
  default?: Default
  dbType?: string
}

/** A field pointing at another model. It has no column of its own; the key lives in `fields` (scalar fields of this model). */
export interface RelationField extends FieldBase {
  kind: 'relation'
  /** The other model's name. */
  type: string
  list: boolean
  /** `@relation(name:)`, or a generated name (`PostToUser`, the two model names sorted) when not given. */
  relationName: string
  /** The field on the other model that is the other side of this relation, when there is one. */
  opposite?: string
  /** On the side holding the key: this model's scalar fields, and the other model's fields they reference. */
  fields?: string[]
  references?: string[]
  onDelete?: ReferentialAction
  onUpdate?: ReferentialAction
}

export type Default =
  | { kind: 'uuid' }
  | { kind: 'now' }
  | { kind: 'autoincrement' }
  /**
   * A literal. Int and Float: a number. BigInt and Decimal: the digits as a string (no precision lost).
   * String, ID, DateTime (ISO-8601), JSON (the JSON text), Bytes (base64): a string. Boolean: a boolean.
   * Enum: the value's name. `null` for `@default(null)` on an optional field.
   */
  | { kind: 'value'; value: string | number | boolean | null }

export interface Index {
  /** The database name: `<table>_<cols>_idx` / `<table>_<cols>_key`, at most 63 bytes (then shortened with a hash). */
  name: string
  /** Field names, in index order. */
  fields: string[]
}

export interface ForeignKey {
  /** `<table>_<cols>_fkey`, at most 63 bytes. */
  name: string
  /** The relation field that declares it. */
  relationField: string
  fields: string[]
  /** The referenced model and its fields. */
  referencedModel: string
  references: string[]
  onDelete: ReferentialAction
  onUpdate: ReferentialAction
}

/** The table behind a many-to-many relation: two columns, together the primary key, each a cascading foreign key. */
export interface JoinTable {
  relationName: string
  table: string
  /** Sorted by model name, then field name; for a self-relation `a` is the side declared first. */
  columns: [JoinColumn, JoinColumn]
}

export interface JoinColumn {
  column: string
  /** The model this column points at, its primary-key field, and that field's type (the column's type). */
  model: string
  references: string
  type: ScalarType
}
