/**
 * The checker's working forms of a model, between the syntax tree and the canonical Schema.
 */
import type { SpreadNode } from '../../language/ast'
import type { Location } from '../../language/source'
import type { ForeignKey, ReferentialAction } from '../types'
import type { NameRef } from './context'
import type { ModelDef } from './definitions'
import type { ReadDirective } from './directives'
import type { FieldDraft } from './fields'

/** A model with its own fields and model-level directives checked (spreads not yet expanded). */
export interface CheckedModel {
  readonly def: ModelDef
  readonly name: string
  /** The checked fields, at the index of their member in `def.node.members` (spreads leave a hole). */
  readonly drafts: readonly (FieldDraft | undefined)[]
  readonly directives: readonly ReadDirective[]
  /** `@id` on a field, a field named `id`, or `@@id`: a model with one gets a table; without, it is a mixin. */
  readonly hasPrimaryKey: boolean
}

/** A field of a model after spreads are expanded; `spread` is the `...Mixin` of this model it came through. */
export interface ExpandedField {
  readonly draft: FieldDraft
  readonly spread: SpreadNode | undefined
}

/** A model's fields with spreads expanded, and the `@@index` / `@@unique` its mixins bring along. */
export interface Expansion {
  readonly fields: readonly ExpandedField[]
  readonly inherited: readonly ReadDirective[]
}

/** An index or unique constraint before it is named. */
export interface IndexDraft {
  readonly fields: readonly string[]
  readonly unique: boolean
  readonly loc: Location
  /** `map:`: the database name, instead of the generated one. */
  readonly name?: string
}

/** What relation checking decides about one relation field. */
export interface RelationOut {
  relationName: string
  opposite?: string
  fields?: string[]
  references?: string[]
  onDelete?: ReferentialAction
  onUpdate?: ReferentialAction
}

/** A model that gets a table. */
export interface TableModel {
  readonly checked: CheckedModel
  readonly name: string
  readonly table: string
  /** The `@@map` argument or the model name: where table problems are reported. */
  readonly tableLoc: Location
  /** Declaration order, spreads expanded, duplicates removed. */
  readonly fields: readonly ExpandedField[]
  readonly byName: ReadonlyMap<string, FieldDraft>
  /** Set once the fields are known; empty when the primary key is invalid (an error was reported). */
  primaryKey: readonly string[]
  readonly indexes: IndexDraft[]
  readonly renamedFrom: readonly NameRef[]
  readonly relations: Map<string, RelationOut>
  readonly foreignKeys: (ForeignKey & { loc: Location })[]
}
