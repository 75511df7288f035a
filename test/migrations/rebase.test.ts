import { describe, expect, it } from 'vitest'
import { type RebaseStep, conflictLines, rebaseMigrations } from '../../src/migrations/rebase'
import type { SyncedRename } from '../../src/project/renames'
import { canonicalJSON } from '../../src/schema/canonical'
import type { Schema } from '../../src/schema/types'
import { compile, model } from '../schema/helpers'

const product = (fields: string) => `model Product {\n  id: ID! @default(uuid)\n  name: String!\n${fields}\n}\n`
const step = (id: string, schema: Schema, renames: SyncedRename[] = []): RebaseStep => ({ id, schema, renames })
const fieldNames = (schema: Schema, name: string) => model(schema, name).fields.map((f) => f.name)

describe('rebaseMigrations', () => {
  it('puts a field added on the moved branch next to one the other branch added to the same model', () => {
    const ancestor = compile(product(''))
    const head = compile(product('  sku: String'))
    const moved = compile(product('  weight: Float'))
    const { steps, conflicts } = rebaseMigrations({ ancestor, head, headRenames: [], moved: [step('m1', moved)] })
    expect(conflicts).toEqual([])
    expect(fieldNames(steps[0]!.schema, 'Product')).toEqual(['id', 'name', 'weight', 'sku'])
    // The result is exactly the schema a user writing both fields would get (fields in the merged order).
    expect(canonicalJSON(steps[0]!.schema)).toBe(canonicalJSON(compile(product('  weight: Float\n  sku: String'))))
    expect(steps[0]!.renames).toEqual([])
  })

  it('replays several moved migrations in order, each on top of the previous result, carrying renames', () => {
    const ancestor = compile(product(''))
    const head = compile(product('  sku: String'))
    const m1 = compile(product('  weight: Float'))
    const m2 = compile(product('  mass: Float'))
    const renames: SyncedRename[] = [{ kind: 'column', table: 'products', from: 'weight', to: 'mass' }]
    const { steps, conflicts } = rebaseMigrations({ ancestor, head, headRenames: [], moved: [step('m1', m1), step('m2', m2, renames)] })
    expect(conflicts).toEqual([])
    expect(fieldNames(steps[0]!.schema, 'Product')).toEqual(['id', 'name', 'weight', 'sku'])
    expect(fieldNames(steps[1]!.schema, 'Product')).toEqual(['id', 'name', 'mass', 'sku'])
    expect(steps[1]!.renames).toEqual(renames)
  })

  it('re-expresses the moved renames in the names the other branch gave the table', () => {
    const ancestor = compile(product('  price: Float'))
    // The staying branch renamed the table products -> items (the model too).
    const head = compile(product('  price: Float').replace('Product', 'Item'))
    const moved = compile(product('  cost: Float'))
    const { steps, conflicts } = rebaseMigrations({
      ancestor,
      head,
      headRenames: [{ kind: 'table', from: 'products', to: 'items' }],
      moved: [step('m1', moved, [{ kind: 'column', table: 'products', from: 'price', to: 'cost' }])],
    })
    expect(conflicts).toEqual([])
    expect(steps[0]!.schema.models.map((m) => m.table)).toEqual(['items'])
    expect(fieldNames(steps[0]!.schema, 'Item')).toEqual(['id', 'name', 'cost'])
    expect(steps[0]!.renames).toEqual([{ kind: 'column', table: 'items', from: 'price', to: 'cost' }])
  })

  it('carries a table rename of the moved branch over a column the other branch renamed', () => {
    const ancestor = compile(product('  price: Float'))
    const head = compile(product('  cost: Float'))
    const moved = compile(product('  price: Float').replace('Product', 'Good'))
    const { steps, conflicts } = rebaseMigrations({
      ancestor,
      head,
      headRenames: [{ kind: 'column', table: 'products', from: 'price', to: 'cost' }],
      moved: [step('m1', moved, [{ kind: 'table', from: 'products', to: 'goods' }])],
    })
    expect(conflicts).toEqual([])
    expect(steps[0]!.schema.models.map((m) => `${m.name}:${m.table}`)).toEqual(['Good:goods'])
    expect(fieldNames(steps[0]!.schema, 'Good')).toEqual(['id', 'name', 'cost'])
    expect(steps[0]!.renames).toEqual([{ kind: 'table', from: 'products', to: 'goods' }])
  })

  it('keeps models, enums and relations each branch added', () => {
    const ancestor = compile(product(''))
    const head = compile(product('  tags: [Tag!]!') + 'model Tag {\n  id: ID! @default(uuid)\n  label: String!\n  products: [Product!]!\n}\n')
    const moved = compile(
      product('  status: Status! @default(DRAFT)\n  reviews: [Review!]!') +
        'enum Status { DRAFT LIVE }\nmodel Review {\n  id: ID! @default(uuid)\n  productId: ID!\n  product: Product! @relation(fields: [productId], references: [id])\n}\n',
    )
    const { steps, conflicts } = rebaseMigrations({ ancestor, head, headRenames: [], moved: [step('m1', moved)] })
    expect(conflicts).toEqual([])
    const result = steps[0]!.schema
    expect(result.models.map((m) => m.name)).toEqual(['Product', 'Review', 'Tag'])
    expect(result.enums.map((e) => e.name)).toEqual(['Status'])
    expect(result.joinTables.map((j) => j.table)).toEqual(head.joinTables.map((j) => j.table))
    expect(fieldNames(result, 'Product')).toEqual(['id', 'name', 'status', 'reviews', 'tags'])
    expect(model(result, 'Review').foreignKeys.map((k) => k.name)).toEqual(model(moved, 'Review').foreignKeys.map((k) => k.name))
  })

  it('starts from the empty database when there is no common ancestor', () => {
    const head = compile('model A {\n  id: ID!\n}\n')
    const moved = compile('model B {\n  id: ID!\n}\n')
    const { steps, conflicts } = rebaseMigrations({ ancestor: null, head, headRenames: [], moved: [step('m1', moved)] })
    expect(conflicts).toEqual([])
    expect(steps[0]!.schema.models.map((m) => m.name)).toEqual(['A', 'B'])
  })

  it('is not a conflict when both branches made the very same change', () => {
    const ancestor = compile(product(''))
    const both = compile(product('  sku: String'))
    const { steps, conflicts } = rebaseMigrations({ ancestor, head: both, headRenames: [], moved: [step('m1', both)] })
    expect(conflicts).toEqual([])
    expect(canonicalJSON(steps[0]!.schema)).toBe(canonicalJSON(both))
  })

  it('stops on one field changed by both branches, naming the field and the migration', () => {
    const ancestor = compile(product('  price: Float'))
    const head = compile(product('  price: Int'))
    const moved = compile(product('  price: Decimal\n  weight: Float'))
    const { conflicts } = rebaseMigrations({ ancestor, head, headRenames: [], moved: [step('20240102_000000_price', moved)] })
    expect(conflictLines(conflicts)).toEqual(['field Product.price: changed on the other branch, changed by 20240102_000000_price'])
  })

  it('names a field removed on one branch and changed on the other', () => {
    const ancestor = compile(product('  price: Float'))
    const head = compile(product(''))
    const moved = compile(product('  price: Float!'))
    const { conflicts } = rebaseMigrations({ ancestor, head, headRenames: [], moved: [step('m1', moved)] })
    expect(conflictLines(conflicts)).toEqual(['field Product.price: removed on the other branch, changed by m1'])
  })

  it('names an enum both branches changed', () => {
    const ancestor = compile('enum Role { USER }\n' + product(''))
    const head = compile('enum Role { USER ADMIN }\n' + product(''))
    const moved = compile('enum Role { USER GUEST }\n' + product(''))
    const { conflicts } = rebaseMigrations({ ancestor, head, headRenames: [], moved: [step('m1', moved)] })
    expect(conflictLines(conflicts)).toEqual(['enum Role: changed on the other branch, changed by m1'])
  })

  it('names a model removed on the moved branch that the other branch changed', () => {
    const ancestor = compile(product(''))
    const head = compile(product('  sku: String'))
    const moved = compile('model Other {\n  id: ID!\n}\n')
    const { conflicts } = rebaseMigrations({ ancestor, head, headRenames: [], moved: [step('m1', moved)] })
    expect(conflictLines(conflicts)).toEqual(['model Product: changed on the other branch, removed by m1'])
  })

  it('names a model both branches added differently', () => {
    const ancestor = compile(product(''))
    const head = compile(product('') + 'model Tag {\n  id: ID!\n  label: String!\n}\n')
    const moved = compile(product('') + 'model Tag {\n  id: ID!\n  name: String!\n}\n')
    const { conflicts } = rebaseMigrations({ ancestor, head, headRenames: [], moved: [step('m1', moved)] })
    expect(conflictLines(conflicts)).toEqual(['model Tag: added on both branches (table tags), differently'])
  })

  it('names a relation to a model the other branch removed', () => {
    const ancestor = compile(product('') + 'model Brand {\n  id: ID!\n}\n')
    const head = compile(product(''))
    const moved = compile(
      product('  brandId: ID\n  brand: Brand @relation(fields: [brandId], references: [id])') + 'model Brand {\n  id: ID!\n  products: [Product!]!\n}\n',
    )
    const { conflicts } = rebaseMigrations({ ancestor, head, headRenames: [], moved: [step('m1', moved)] })
    expect(conflictLines(conflicts)).toContain('model Brand: removed on the other branch, changed by m1')
    expect(conflictLines(conflicts)).toContain('field Product.brand: refers to model Brand, which is gone after the rebase')
  })

  it('removes a model the moved branch dropped when the other branch left it alone', () => {
    const ancestor = compile(product('') + 'model Legacy {\n  id: ID!\n}\n')
    const head = compile(product('  sku: String') + 'model Legacy {\n  id: ID!\n}\n')
    const moved = compile(product(''))
    const { steps, conflicts } = rebaseMigrations({ ancestor, head, headRenames: [], moved: [step('m1', moved)] })
    expect(conflicts).toEqual([])
    expect(steps[0]!.schema.models.map((m) => m.name)).toEqual(['Product'])
    expect(fieldNames(steps[0]!.schema, 'Product')).toEqual(['id', 'name', 'sku'])
  })
})
