import { describe, expect, it } from 'vitest'
import { type DiagramData, type DiagramNode, buildDiagram } from '../../src/panel/diagram'
import { compileSchema } from '../../src/schema/compile'
import type { Schema } from '../../src/schema/types'
import { validFixture, validFixtures } from '../fixtures/valid/load'
import { compile } from '../schema/helpers'

function fixtureSchema(name: string): Schema {
  const { schema, diagnostics } = compileSchema(validFixture(name).sources)
  if (!schema) throw new Error(diagnostics.map((d) => d.message).join('\n'))
  return schema
}

function node(diagram: DiagramData, id: string): DiagramNode {
  const found = diagram.nodes.find((n) => n.id === id)
  if (!found) throw new Error(`no node ${id} in ${diagram.nodes.map((n) => n.id).join(', ')}`)
  return found
}

describe('buildDiagram', () => {
  it('draws every model, enum and join table of every valid fixture, and every edge joins two of its nodes', () => {
    for (const fixture of validFixtures()) {
      const schema = fixtureSchema(fixture.name)
      const diagram = buildDiagram(schema)
      const ids = new Set(diagram.nodes.map((n) => n.id))
      expect(ids.size, fixture.name).toBe(diagram.nodes.length)
      expect(diagram.nodes.filter((n) => n.kind === 'model').map((n) => n.name), fixture.name).toEqual(schema.models.map((m) => m.name))
      expect(diagram.nodes.filter((n) => n.kind === 'enum').map((n) => n.name), fixture.name).toEqual(schema.enums.map((e) => e.name))
      expect(diagram.nodes.filter((n) => n.kind === 'join').map((n) => n.dbName), fixture.name).toEqual(schema.joinTables.map((j) => j.table))
      // One edge per foreign key, two per join table.
      const foreignKeys = schema.models.reduce((sum, m) => sum + m.foreignKeys.length, 0)
      expect(diagram.edges.length, fixture.name).toBe(foreignKeys + 2 * schema.joinTables.length)
      expect(new Set(diagram.edges.map((e) => e.id)).size, fixture.name).toBe(diagram.edges.length)
      for (const edge of diagram.edges) {
        const from = node(diagram, edge.from.node)
        const to = node(diagram, edge.to.node)
        // The key rows exist on both sides (by field name or column name).
        for (const row of edge.from.rows) expect(from.rows.some((r) => r.name === row || r.column === row), `${fixture.name} ${edge.id} from ${row}`).toBe(true)
        for (const row of edge.to.rows) expect(to.rows.some((r) => r.name === row), `${fixture.name} ${edge.id} to ${row}`).toBe(true)
      }
    }
  })

  it('gives the 38 models of the commerce fixture their fields, keys and relations', () => {
    const schema = fixtureSchema('commerce')
    const diagram = buildDiagram(schema)
    expect(diagram.nodes.filter((n) => n.kind === 'model')).toHaveLength(38)

    const product = node(diagram, 'model:Product')
    expect(product.dbName).toBe('products')
    const row = (name: string) => product.rows.find((r) => r.name === name)!
    expect(row('id')).toMatchObject({ kind: 'scalar', type: 'ID', required: true, column: 'id', default: 'uuid()' })
    expect(row('id').marks).toContain('pk')
    expect(row('organizationId').marks).toEqual(['fk'])
    expect(row('coverImageId').marks).toEqual(['fk', 'unique'])
    expect(row('status')).toMatchObject({ kind: 'enum', type: 'ProductStatus', default: 'DRAFT' })
    expect(row('htmlBody')).toMatchObject({ required: false, dbType: 'TEXT', description: 'Rich description, rendered from Markdown to HTML once.' })
    expect(row('variants')).toMatchObject({ kind: 'relation', type: 'ProductVariant', list: true })
    expect(product.uniques!.map((u) => u.fields)).toContainEqual(['organizationId', 'handle'])
    expect(product.indexes!.map((i) => i.fields)).toContainEqual(['organizationId', 'status'])

    const edge = (id: string) => diagram.edges.find((e) => e.id === id)!
    // A plain foreign key: many products for one organization, deleted with it.
    expect(edge('Product.organization')).toMatchObject({
      cardinality: '1-n',
      from: { node: 'model:Product', field: 'organization', rows: ['organizationId'] },
      to: { node: 'model:Organization', field: 'products', rows: ['id'] },
      required: true,
      onDelete: 'Cascade',
    })
    // A unique key: one product per cover image.
    expect(edge('Product.coverImage')).toMatchObject({ cardinality: '1-1', required: false, onDelete: 'SetNull', relationName: 'ProductCover' })
    expect(edge('Product.taxClass').onDelete).toBe('SetDefault')
  })

  it('writes defaults as the schema does', () => {
    const counter = node(buildDiagram(fixtureSchema('defaults')), 'model:Counter')
    expect(Object.fromEntries(counter.rows.map((r) => [r.name, r.default]))).toEqual({
      id: 'autoincrement()',
      label: '"untitled"',
      emptyLabel: '""',
      quote: '"she said \\"hi\\""',
      hits: '0',
      negative: '-1',
      total: '9007199254740993',
      ratio: '0.5',
      scientific: '1000',
      price: '19.99',
      active: 'true',
      archived: 'false',
      level: 'MEDIUM',
      maybeLevel: 'LOW',
      startedAt: 'now()',
      fixedAt: '"2024-01-01T00:00:00.000Z"',
      token: 'uuid()',
    })
  })

  it('shows the fields mixins expanded into, where the spread stands', () => {
    const diagram = buildDiagram(fixtureSchema('mixins'))
    expect(node(diagram, 'model:Product').rows.map((r) => r.name)).toEqual(['id', 'name', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'deletedAt'])
    expect(node(diagram, 'model:Product').rows.find((r) => r.name === 'updatedAt')!.updatedAt).toBe(true)
    expect(node(diagram, 'model:Product').rows.find((r) => r.name === 'deletedAt')!.marks).toEqual(['index'])
    // Mixins themselves have no table, so no box.
    expect(diagram.nodes.some((n) => n.name === 'Timestamps' || n.name === 'Audit')).toBe(false)
  })

  it('draws a many-to-many relation as its join table with an edge to each side', () => {
    const diagram = buildDiagram(fixtureSchema('many-to-many'))
    const join = node(diagram, 'join:course_teachers')
    expect(join).toMatchObject({ kind: 'join', name: 'CourseTeachers', primaryKey: ['course_id', 'teacher_id'] })
    expect(join.rows).toEqual([
      { name: 'course_id', kind: 'scalar', type: 'ID', required: true, list: false, column: 'course_id', marks: ['pk', 'fk'] },
      { name: 'teacher_id', kind: 'scalar', type: 'Int', required: true, list: false, column: 'teacher_id', marks: ['pk', 'fk'] },
    ])
    const edges = diagram.edges.filter((e) => e.from.node === 'join:course_teachers')
    expect(edges.map((e) => [e.cardinality, e.to.node, e.to.field, e.from.rows, e.onDelete])).toEqual([
      ['n-m', 'model:Course', 'teachers', ['course_id'], 'Cascade'],
      ['n-m', 'model:Teacher', 'teaches', ['teacher_id'], 'Cascade'],
    ])
  })

  it('pairs the two sides of a self many-to-many with the two join columns in declaration order', () => {
    const diagram = buildDiagram(fixtureSchema('self-relations'))
    const edges = diagram.edges.filter((e) => e.relationName === 'Follows')
    expect(edges.map((e) => [e.to.node, e.to.field])).toEqual([
      ['model:Person', 'followers'],
      ['model:Person', 'following'],
    ])
    // A self one-to-one and a self one-to-many stay on their model.
    expect(diagram.edges.find((e) => e.id === 'Person.bestFriend')).toMatchObject({ cardinality: '1-1', from: { node: 'model:Person' }, to: { node: 'model:Person', field: 'bestFriendOf' } })
    expect(diagram.edges.find((e) => e.id === 'Employee.manager')).toMatchObject({ cardinality: '1-n', onDelete: 'Restrict', required: false })
  })

  it('draws enums with their values, composite keys as one primary key, and keeps descriptions', () => {
    const schema = compile(`
      "How far an order got."
      enum Stage { "Not paid yet." OPEN PAID }
      model Line {
        orderId: Int!
        position: Int!
        stage: Stage! @default(OPEN)
        @@id([orderId, position])
      }
    `)
    const diagram = buildDiagram(schema)
    expect(node(diagram, 'enum:Stage')).toMatchObject({
      kind: 'enum',
      dbName: 'stage',
      description: 'How far an order got.',
      rows: [
        { name: 'OPEN', kind: 'value', description: 'Not paid yet.' },
        { name: 'PAID', kind: 'value' },
      ],
    })
    const line = node(diagram, 'model:Line')
    expect(line.primaryKey).toEqual(['orderId', 'position'])
    expect(line.rows.map((r) => r.marks)).toEqual([['pk'], ['pk'], []])
    expect(diagram.edges).toEqual([])
  })

  it('is plain JSON: it survives a round trip unchanged', () => {
    const diagram = buildDiagram(fixtureSchema('commerce'))
    expect(JSON.parse(JSON.stringify(diagram))).toEqual(diagram)
  })
})
