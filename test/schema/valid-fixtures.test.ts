/**
 * Every schema under test/fixtures/valid must compile with no error, and the corpus as a whole must
 * exercise every feature of the schema language (docs/schema-language.md) (so a fixture edited or removed cannot silently drop coverage).
 */
import { describe, it, expect } from 'vitest'
import { compileSchema } from '../../src/schema/compile'
import { formatDiagnostic } from '../../src/language/diagnostics'
import type { Schema } from '../../src/schema/types'
import { validFixture, validFixtures } from '../fixtures/valid/load'
import { syntheticSources } from '../../bench/lib/synthetic.mjs'

const fixtures = validFixtures()

function compiled(name: string): Schema {
  const { schema, diagnostics } = compileSchema(validFixture(name).sources)
  if (!schema) throw new Error(diagnostics.map((d) => formatDiagnostic(d)).join('\n\n'))
  return schema
}

describe('valid fixtures', () => {
  it('has at least 16 fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(16)
  })

  for (const fixture of fixtures) {
    it(`${fixture.name} compiles without errors`, () => {
      const { schema, diagnostics } = compileSchema(fixture.sources)
      const errors = diagnostics.filter((d) => d.severity === 'error')
      // The formatted diagnostics are the failure message: path:line:col, the line and a caret.
      expect(errors.map((d) => formatDiagnostic(d)).join('\n\n')).toBe('')
      expect(schema).not.toBeNull()
      expect(schema!.models.length).toBeGreaterThan(0)
    })
  }
})

describe('the realistic fixture (commerce)', () => {
  it('is split over at least 4 files and has at least 30 models', () => {
    expect(validFixture('commerce').sources.length).toBeGreaterThanOrEqual(4)
    expect(compiled('commerce').models.length).toBeGreaterThanOrEqual(30)
  })

  it('expands mixins into models and gives them no table', () => {
    const schema = compiled('commerce')
    const names = schema.models.map((m) => m.name)
    expect(names).not.toContain('Audit')
    expect(names).not.toContain('Timestamps')
    const user = schema.models.find((m) => m.name === 'User')!
    // Audit spreads Timestamps: both mixins' fields land in User.
    expect(user.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['createdAt', 'updatedAt', 'createdBy', 'deletedAt']))
  })
})

describe('the synthetic benchmark schema', () => {
  it('compiles with every model it promises, split over files', () => {
    const sources = syntheticSources(250, { modelsPerFile: 100 })
    expect(sources.map((s) => s.path)).toEqual(['bench/synthetic/part-001.okra.gql', 'bench/synthetic/part-002.okra.gql', 'bench/synthetic/part-003.okra.gql'])
    const { schema, diagnostics } = compileSchema(sources)
    expect(diagnostics.map((d) => formatDiagnostic(d)).join('\n\n')).toBe('')
    expect(schema!.models).toHaveLength(250)
    expect(schema!.joinTables.length).toBeGreaterThan(0)
    expect(schema!.models.some((m) => m.fields.some((f) => f.name === 'createdBy'))).toBe(true)
  })

  it('is the same text for the same seed and differs for another', () => {
    expect(syntheticSources(50)).toEqual(syntheticSources(50))
    expect(syntheticSources(50, { seed: 7 })).not.toEqual(syntheticSources(50))
  })
})

describe('the corpus covers every feature of the schema language', () => {
  const schemas = fixtures.map((f) => compileSchema(f.sources).schema).filter((s): s is Schema => s !== null)
  const models = schemas.flatMap((s) => s.models)
  const fields = models.flatMap((m) => m.fields)
  const relations = fields.flatMap((f) => (f.kind === 'relation' ? [f] : []))
  const foreignKeys = models.flatMap((m) => m.foreignKeys)

  it('compiles every fixture', () => {
    expect(schemas.length).toBe(fixtures.length)
  })

  it('uses every scalar type and enums', () => {
    const scalars = new Set(fields.flatMap((f) => (f.kind === 'scalar' ? [f.type] : [])))
    expect([...scalars].sort()).toEqual(['BigInt', 'Boolean', 'Bytes', 'DateTime', 'Decimal', 'Float', 'ID', 'Int', 'JSON', 'String'])
    expect(fields.some((f) => f.kind === 'enum' && f.default)).toBe(true)
  })

  it('uses every kind of default, and literals of each JSON type', () => {
    const defaults = fields.flatMap((f) => (f.kind !== 'relation' && f.default ? [f.default] : []))
    expect(new Set(defaults.map((d) => d.kind))).toEqual(new Set(['uuid', 'now', 'autoincrement', 'value']))
    const literalTypes = new Set(defaults.flatMap((d) => (d.kind === 'value' ? [typeof d.value] : [])))
    expect(literalTypes).toEqual(new Set(['string', 'number', 'boolean']))
  })

  it('uses every referential action on delete and on update', () => {
    const actions = ['Cascade', 'SetNull', 'Restrict', 'NoAction', 'SetDefault']
    expect(new Set(foreignKeys.map((k) => k.onDelete))).toEqual(new Set(actions))
    expect(new Set(foreignKeys.map((k) => k.onUpdate))).toEqual(new Set(actions))
  })

  it('has one-to-one, one-to-many, self, many-to-many and composite relations', () => {
    expect(foreignKeys.some((k) => k.fields.length > 1)).toBe(true)
    expect(relations.some((r) => r.list && r.fields === undefined)).toBe(true)
    expect(relations.some((r) => !r.list && r.fields === undefined && r.opposite)).toBe(true)
    expect(schemas.some((s) => s.joinTables.some((j) => j.columns[0].model === j.columns[1].model))).toBe(true)
    expect(schemas.some((s) => s.models.some((m) => m.foreignKeys.some((k) => k.referencedModel === m.name)))).toBe(true)
  })

  it('has composite keys, indexes, uniques, mapped names, native types, rename hints and a header', () => {
    expect(models.some((m) => m.primaryKey.length > 1)).toBe(true)
    expect(models.some((m) => m.indexes.some((i) => i.fields.length > 1))).toBe(true)
    expect(models.some((m) => m.uniques.some((i) => i.fields.length > 1))).toBe(true)
    expect(models.some((m) => m.table === 'crm_customers')).toBe(true)
    expect(fields.some((f) => f.kind === 'scalar' && f.column === 'display_name')).toBe(true)
    expect(fields.some((f) => f.kind === 'scalar' && f.dbType === 'VARCHAR(100)')).toBe(true)
    expect(fields.some((f) => f.kind === 'scalar' && f.updatedAt)).toBe(true)
    expect(fields.some((f) => f.renamedFrom?.includes('name'))).toBe(true)
    expect(models.some((m) => m.renamedFrom?.includes('Customer'))).toBe(true)
    expect(schemas.some((s) => s.namespace === 'myapp' && s.version === 'v1')).toBe(true)
  })

  it('has descriptions on models, fields, enums and enum values', () => {
    const enums = schemas.flatMap((s) => s.enums)
    expect(models.some((m) => m.description)).toBe(true)
    expect(fields.some((f) => f.description)).toBe(true)
    expect(enums.some((e) => e.description)).toBe(true)
    expect(enums.some((e) => e.values.some((v) => v.description))).toBe(true)
  })

  it('has names that are keywords in TypeScript, Go and Python', () => {
    const names = new Set(fields.map((f) => f.name))
    for (const keyword of ['class', 'type', 'import', 'func', 'default', 'from']) expect(names).toContain(keyword)
  })
})
