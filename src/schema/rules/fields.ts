/**
 * One field as written: its type resolved (scalar, enum or model) and its directives read. Each field
 * is checked once, where it is written; a mixin's fields are then shared by every model spreading it.
 */
import type { FieldNode } from '../../language/ast'
import type { Location } from '../../language/source'
import { SCALAR_TYPES, type Default, type ReferentialAction } from '../types'
import { SAFE_DB_NAME, columnName } from '../naming'
import type { CheckContext, NameRef } from './context'
import { checkDefault } from './defaults'
import type { Definitions } from './definitions'
import { type NameList, actionArg, fieldListArg, mapArg, readDirectives, stringArg } from './directives'
import { didYouMean } from './suggest'
import { TYPE_SPELLING, TYPE_SPELLING_FORM, typeSpellingError } from '../db-type'

export interface RelationArgs {
  /** The `@relation` token. */
  readonly loc: Location
  readonly name?: NameRef
  readonly fields?: NameList
  readonly references?: NameList
  readonly onDelete?: { readonly value: ReferentialAction; readonly loc: Location }
  readonly onUpdate?: { readonly value: ReferentialAction; readonly loc: Location }
  /** `map:`, the foreign key's database name. */
  readonly map?: NameRef
}

export interface FieldDraft {
  readonly node: FieldNode
  readonly name: string
  /** The field's name token. */
  readonly loc: Location
  /** `invalid` after an error in its type: later rules leave it alone. */
  readonly kind: 'scalar' | 'enum' | 'relation' | 'invalid'
  /** A scalar type, an enum name or a model name. */
  readonly type: string
  readonly list: boolean
  readonly required: boolean
  readonly description?: string
  readonly column: string
  /** The `@map` argument, or the field name: where a column problem is reported. */
  readonly columnLoc: Location
  readonly default?: Default
  readonly defaultLoc?: Location
  readonly updatedAt: boolean
  readonly dbType?: string
  /** Locations of `@id`, `@unique` and `@index` when written. */
  readonly id?: Location
  readonly unique?: Location
  readonly index?: Location
  /** The `map:` of `@unique` / `@index`: the database name of that index. */
  readonly uniqueName?: NameRef
  readonly indexName?: NameRef
  readonly relation?: RelationArgs
  /** `@renamed(from:)` values, newest (first written) first. */
  readonly renamedFrom: readonly NameRef[]
}

const SCALARS: ReadonlySet<string> = new Set(SCALAR_TYPES)
const NO_RENAMES: readonly NameRef[] = []

/** `@db(type:)` is written into DDL verbatim, so only a type spelling passes (src/schema/db-type.ts). */
export const SAFE_DB_TYPE = TYPE_SPELLING
export { SAFE_DB_NAME }

/** Directives that only make sense on a field with a column. */
const COLUMN_ONLY = new Set(['@id', '@default', '@unique', '@index', '@updatedAt', '@db', '@map'])

export function checkField(ctx: CheckContext, node: FieldNode, defs: Definitions): FieldDraft {
  const name = node.name.value
  const typeName = node.type.name.value
  let kind: FieldDraft['kind'] = SCALARS.has(typeName) ? 'scalar' : defs.enums.has(typeName) ? 'enum' : defs.models.has(typeName) ? 'relation' : 'invalid'
  if (kind === 'invalid') {
    const hint = ctx.remember(`type\0${typeName}`, () => didYouMean(typeName, [...SCALAR_TYPES, ...defs.enums.keys(), ...defs.models.keys()]))
    ctx.error(node.type.name.loc, `Unknown type '${typeName}'`, hint ?? `Use a scalar (${SCALAR_TYPES.join(', ')}), an enum or a model.`)
  } else if (kind !== 'relation' && node.type.list) {
    ctx.error(node.type.loc, `Lists of scalars and enums are not supported: '[${typeName}]'`, `Store the list in a JSON field (${name}: JSON), or use a related model.`)
    kind = 'invalid'
  }

  // Every key set up front: one object shape for all fields keeps 5,000-model schemas fast.
  const draft: Mutable<FieldDraft> = {
    node,
    name,
    loc: node.name.loc,
    kind,
    type: typeName,
    list: kind === 'relation' && node.type.list,
    required: node.type.required,
    description: node.description?.value,
    column: columnName(name),
    columnLoc: node.name.loc,
    default: undefined,
    defaultLoc: undefined,
    updatedAt: false,
    dbType: undefined,
    id: undefined,
    unique: undefined,
    index: undefined,
    uniqueName: undefined,
    indexName: undefined,
    relation: undefined,
    renamedFrom: NO_RENAMES,
  }
  let renamed: NameRef[] | undefined
  for (const d of readDirectives(ctx, node.directives, 'field', name)) {
    if (kind === 'invalid') continue
    const directive = d.spec.name
    if (kind === 'relation' && COLUMN_ONLY.has(directive)) {
      ctx.error(d.loc, `'${directive}' cannot be used on relation field '${name}'`, 'A relation field has no column: put it on the key field named in @relation(fields:).')
      continue
    }
    switch (directive) {
      case '@id':
        draft.id = d.loc
        break
      case '@unique':
        if (typeName === 'JSON') ctx.error(d.loc, `@unique cannot be used on JSON field '${name}'`, 'JSON values cannot be compared for uniqueness; make a unique String field instead.')
        else {
          draft.unique = d.loc
          draft.uniqueName = mapArg(ctx, d)
        }
        break
      case '@index':
        draft.index = d.loc
        draft.indexName = mapArg(ctx, d)
        break
      case '@updatedAt':
        if (typeName === 'DateTime') draft.updatedAt = true
        else ctx.error(d.loc, `@updatedAt cannot be used on field '${name}' of type ${typeName}`, '@updatedAt is for DateTime fields.')
        break
      case '@default': {
        const value = d.args.value?.value
        if (!value) break
        draft.default = checkDefault(ctx, { name, kind: kind as 'scalar' | 'enum', type: typeName, required: draft.required, enumValues: defs.enums.get(typeName)?.values }, value)
        draft.defaultLoc = value.loc
        break
      }
      case '@db': {
        const type = stringArg(d, 'type')
        if (!type) break
        const wrong = typeSpellingError(type.value)
        if (!wrong) draft.dbType = type.value
        else reportDbType(ctx, type, wrong)
        break
      }
      case '@map': {
        const column = stringArg(d, 'name')
        if (!column) break
        if (SAFE_DB_NAME.test(column.value)) {
          draft.column = column.value
          draft.columnLoc = column.loc
        } else {
          ctx.error(column.loc, `Invalid column name '${column.value}' in @map`, 'Use letters, digits and underscores, starting with a letter or an underscore.')
        }
        break
      }
      case '@relation':
        if (kind !== 'relation') {
          ctx.error(d.loc, `@relation can only be used on a field whose type is a model, but '${name}' is ${typeName}`, 'Put @relation on the field of the model type, and name this field in its fields: [...].')
          break
        }
        draft.relation = {
          loc: d.loc,
          name: stringArg(d, 'name'),
          fields: fieldListArg(d, 'fields'),
          references: fieldListArg(d, 'references'),
          onDelete: actionArg(d, 'onDelete'),
          onUpdate: actionArg(d, 'onUpdate'),
          map: mapArg(ctx, d),
        }
        break
      case '@renamed': {
        const from = stringArg(d, 'from')
        if (from) (renamed ??= []).push(from)
        break
      }
    }
  }
  if (renamed) draft.renamedFrom = renamed
  // The trigger keeps the column current on UPDATE; on INSERT the database fills it, so a client that
  // leaves it out (or any INSERT written by hand) still gets a value. A default written here wins.
  if (draft.updatedAt && draft.default === undefined) draft.default = NOW
  return draft
}

const NOW: Default = Object.freeze({ kind: 'now' })

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/**
 * A `@db(type:)` value that is not a type spelling, with the caret on the first character that is not
 * part of one (when the string is written without escapes, its text maps one to one onto the value).
 */
function reportDbType(ctx: CheckContext, type: NameRef, wrong: { at: number; rest: string }): void {
  const raw = type.loc.source.text.slice(type.loc.start + 1, type.loc.end - 1)
  const loc = raw === type.value && wrong.rest !== '' ? { ...type.loc, start: type.loc.start + 1 + wrong.at, end: type.loc.end - 1 } : type.loc
  const named = wrong.at > type.value.length - type.value.trimStart().length
  const what = named ? `'${wrong.rest.trim()}' is not part of a type` : 'it does not start with a type name'
  ctx.error(
    loc,
    `Invalid database type '${type.value}' in @db: ${what}`,
    `@db(type:) takes only ${TYPE_SPELLING_FORM}. Write NOT NULL as a required type (String!), a primary key as @id, a reference as @relation, a default as @default, uniqueness as @unique.`,
  )
}
