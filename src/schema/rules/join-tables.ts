/**
 * Many-to-many: two list sides without `fields` get an implicit join table of two columns, each
 * pointing at one model's single-field primary key (together the join table's primary key).
 */
import type { Location } from '../../language/source'
import { snakeCase } from '../naming'
import type { JoinColumn, JoinTable, ScalarType } from '../types'
import type { CheckContext } from './context'
import type { Side } from './relation-keys'

/**
 * Table: snake_case of the relation name when given by `name`, else `<tableA>_to_<tableB>` (sorted).
 * Columns: `<snake model>_id` sorted by model name; for a self-relation `a_id` (the side declared first) and `b_id`.
 */
export function manyToMany(ctx: CheckContext, a: Side, b: Side, relationName: string, named: boolean): (JoinTable & { loc: Location }) | undefined {
  const keyA = singleKey(ctx, b, relationName)
  const keyB = singleKey(ctx, a, relationName)
  if (!keyA || !keyB) return undefined
  const self = a.model === b.model
  const column = (side: Side, key: { field: string; type: ScalarType }, name: string): JoinColumn => ({
    column: name,
    model: side.model.name,
    references: key.field,
    type: key.type,
  })
  const columns: [JoinColumn, JoinColumn] = self
    ? [column(a, keyA, 'a_id'), column(b, keyB, 'b_id')]
    : ([column(a, keyA, `${snakeCase(a.model.name)}_id`), column(b, keyB, `${snakeCase(b.model.name)}_id`)].sort((x, y) =>
        x.model < y.model ? -1 : 1,
      ) as [JoinColumn, JoinColumn])
  const table = named ? snakeCase(relationName) : [a.model.table, b.model.table].sort().join('_to_')
  return { relationName, table, columns, loc: a.draft.loc }
}

/** The primary key of `side.target` (the model a list of `side` points at), when it is one scalar field. */
function singleKey(ctx: CheckContext, side: Side, relationName: string): { field: string; type: ScalarType } | undefined {
  const { target } = side
  const field = target.primaryKey.length === 1 ? target.byName.get(target.primaryKey[0]) : undefined
  if (field?.kind === 'scalar') return { field: field.name, type: field.type as ScalarType }
  if (target.primaryKey.length === 0) return undefined
  ctx.error(
    side.draft.loc,
    `Many-to-many relation '${relationName}' needs a single-field scalar primary key on '${target.name}'`,
    `Give ${target.name} a key like id: ID! @default(uuid), or write the join model yourself with two relations.`,
  )
  return undefined
}
