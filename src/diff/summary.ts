/**
 * One line per change, in the words users see: `+ Added model 'Post'`, `~ Renamed field 'mobile' to 'phone'
 * on User`, `- Removed field 'fax' from User`. `+` adds, `-` removes, `~` changes. Implied changes (a
 * foreign key created with its table, an index renamed with its table) get no line of their own.
 */
import type { DbColumn } from '../schema/physical-types'
import { type AlterColumn, type Change, type ColumnAspect, unhandledChange } from './changes'

export function summaries(changes: readonly Change[]): string[] {
  return changes.map(summarize).filter((line): line is string => line !== undefined)
}

export function summarize(change: Change): string | undefined {
  if (change.implied) return undefined
  switch (change.kind) {
    case 'createEnum':
      return `+ Added enum '${change.label}'`
    case 'dropEnum':
      return `- Removed enum '${change.label}'`
    case 'alterEnum':
      if (change.removed.length) return `~ Removed ${plural('value', change.removed)} ${quoted(change.removed)} from enum ${change.label}`
      if (!change.added.length) return `~ Reordered the values of enum ${change.label}: ${quoted(change.values)}`
      return `~ Added ${plural('value', change.added)} ${quoted(change.added)} to enum ${change.label}${change.reordered ? ` and reordered its values: ${quoted(change.values)}` : ''}`
    case 'createTable':
      return change.table.joinTable ? `+ Added join table '${change.table.name}' for relation ${change.model}` : `+ Added model '${change.model}'`
    case 'dropTable':
      return change.table.joinTable ? `- Removed join table '${change.table.name}' of relation ${change.model}` : `- Removed model '${change.model}'`
    case 'renameTable':
      return change.joinTable
        ? `~ Renamed join table '${change.from}' to '${change.to}' (relation ${change.model})`
        : change.fromModel === change.model
          ? `~ Renamed table of model '${change.model}' from '${change.from}' to '${change.to}'`
          : `~ Renamed model '${change.fromModel}' to '${change.model}'`
    case 'addColumn':
      return `+ Added field '${change.field}' to ${change.model}`
    case 'dropColumn':
      return `- Removed field '${change.field}' from ${change.model}`
    case 'renameColumn':
      // `@map` on a field that keeps its name: the column is what changes.
      return change.fromField === change.field
        ? `~ Renamed column of field '${change.field}' on ${change.model} from '${change.from}' to '${change.to}'`
        : `~ Renamed field '${change.fromField}' to '${change.field}' on ${change.model}`
    case 'alterColumn':
      return alterColumnLine(change)
    case 'alterPrimaryKey':
      return `~ Changed primary key of ${change.model} from (${change.fromFields.join(', ')}) to (${change.fields.join(', ')})`
    case 'createIndex':
      return `+ Added ${change.index.unique ? 'unique constraint' : 'index'} on ${change.model}(${change.fields.join(', ')})`
    case 'dropIndex':
      return `- Removed ${change.index.unique ? 'unique constraint' : 'index'} on ${change.model}(${change.fields.join(', ')})`
    case 'renameIndex':
      return `~ Renamed index '${change.from}' to '${change.index.name}' on ${change.table}`
    case 'addForeignKey':
      return `+ Added foreign key on ${change.model}(${change.fields.join(', ')}) referencing ${change.refModel}`
    case 'dropForeignKey':
      return `- Removed foreign key on ${change.model}(${change.fields.join(', ')}) referencing ${change.refModel}`
    case 'renameForeignKey':
      return `~ Renamed foreign key '${change.from}' to '${change.to}' on ${change.table}`
    default:
      return unhandledChange(change, 'summarize')
  }
}

function alterColumnLine(change: AlterColumn): string {
  const { field, model, from, to } = change
  const aspects = change.aspects.filter((a) => a !== 'default' || !isUpdatedAtDefault(change))
  if (aspects.length === 1) {
    const [aspect] = aspects
    switch (aspect) {
      case 'type':
        return `~ Changed type of field '${field}' on ${model} from ${typeLabel(from, to)} to ${typeLabel(to, from)}`
      case 'nullable':
        return `~ Made field '${field}' on ${model} ${to.nullable ? 'optional' : 'required'}`
      case 'default':
        if (isNone(to)) return `~ Removed default of field '${field}' on ${model}`
        if (isNone(from)) return `~ Set default of field '${field}' on ${model} to ${defaultLabel(to)}`
        return `~ Changed default of field '${field}' on ${model} from ${defaultLabel(from)} to ${defaultLabel(to)}`
      case 'updatedAt':
        return to.updatedAt ? `~ Made field '${field}' on ${model} @updatedAt` : `~ Removed @updatedAt from field '${field}' on ${model}`
      default:
        break
    }
  }
  return `~ Changed field '${field}' on ${model}: ${aspects.map((a) => aspectPhrase(a, from, to)).join(', ')}`
}

function aspectPhrase(aspect: ColumnAspect, from: DbColumn, to: DbColumn): string {
  switch (aspect) {
    case 'type':
      return `type ${typeLabel(from, to)} -> ${typeLabel(to, from)}`
    case 'nullable':
      return to.nullable ? 'now optional' : 'now required'
    case 'default':
      return `default ${defaultLabel(from)} -> ${defaultLabel(to)}`
    case 'autoincrement':
      return to.autoincrement ? 'now autoincrement' : 'no longer autoincrement'
    case 'updatedAt':
      return to.updatedAt ? 'now @updatedAt' : 'no longer @updatedAt'
    case 'enumValues': {
      const added = (to.enumValues ?? []).filter((v) => !from.enumValues?.includes(v))
      const removed = (from.enumValues ?? []).filter((v) => !to.enumValues?.includes(v))
      return [added.length ? `values added ${quoted(added)}` : '', removed.length ? `values removed ${quoted(removed)}` : ''].filter(Boolean).join(', ')
    }
  }
}

/** `@updatedAt` added or removed together with the insert default of now it brings: one thing to the user. */
function isUpdatedAtDefault({ aspects, from, to }: AlterColumn): boolean {
  if (!aspects.includes('updatedAt')) return false
  const [gained, lost] = to.updatedAt ? [to, from] : [from, to]
  return gained.default?.kind === 'now' && isNone(lost)
}

/** The OKRA type when both sides know theirs and they differ, else the native types (a `@db(type:)` change keeps the OKRA type). */
function typeLabel(column: DbColumn, other: DbColumn): string {
  return column.logicalType && other.logicalType && column.logicalType !== other.logicalType ? column.logicalType : column.type
}

function isNone(column: DbColumn): boolean {
  return (column.default === null || column.default.kind === 'autoincrement') && column.rawDefault === undefined
}

function defaultLabel(column: DbColumn): string {
  const d = column.default
  if (d === null || d.kind === 'autoincrement') return column.rawDefault ?? 'none'
  if (d.kind !== 'value') return d.kind
  // Numbers held as text (BigInt, Decimal) read as numbers; other text is quoted.
  const numeric = typeof d.value === 'string' && /^[+-]?\d+(\.\d+)?$/.test(d.value) && !/CHAR|TEXT|CLOB/i.test(column.type)
  return typeof d.value === 'string' && !numeric ? JSON.stringify(d.value) : String(d.value)
}

function plural(word: string, items: readonly string[]): string {
  return items.length === 1 ? word : `${word}s`
}

function quoted(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ')
}
