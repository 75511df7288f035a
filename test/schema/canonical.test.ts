import { describe, it, expect } from 'vitest'
import { OkraError } from '../../src/errors'
import { canonicalJSON, parseSchemaJSON, schemaHash } from '../../src/schema/canonical'
import { compileSchema } from '../../src/schema/compile'
import type { Schema } from '../../src/schema/types'
import { validFixture, validFixtures } from '../fixtures/valid/load'
import { syntheticSources } from '../../bench/lib/synthetic.mjs'

const small: Schema = {
  format: 1,
  enums: [{ name: 'Role', dbName: 'role', values: [{ name: 'ADMIN' }, { name: 'USER', description: undefined }] }],
  models: [
    {
      name: 'User',
      table: 'users',
      fields: [
        { kind: 'scalar', name: 'id', required: true, type: 'ID', column: 'id', default: { kind: 'uuid' } },
        { kind: 'enum', name: 'role', required: true, type: 'Role', column: 'role', default: { kind: 'value', value: 'USER' } },
      ],
      primaryKey: ['id'],
      indexes: [],
      uniques: [],
      foreignKeys: [],
    },
  ],
  joinTables: [],
}

/** The same schema with every object's keys inserted in reverse order. */
function reversedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedKeys) as T
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedKeys(v)])) as T
}

/** The definition of the canonical text, written the plain way: a copy with sorted keys, then JSON.stringify. */
function sortedCopyJSON(schema: Schema): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted)
    if (value === null || typeof value !== 'object') return value
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key]
      if (member !== undefined) out[key] = sorted(member)
    }
    return out
  }
  return JSON.stringify(sorted(schema), null, 2) + '\n'
}

/** Paths of the objects in `value` whose keys are not in sorted order. */
function unorderedObjects(value: unknown, path = 'schema'): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => unorderedObjects(item, `${path}[${i}]`))
  if (value === null || typeof value !== 'object') return []
  const keys = Object.keys(value)
  const here = keys.join() === [...keys].sort().join() ? [] : [`${path}: ${keys.join(', ')}`]
  return [...here, ...keys.flatMap((key) => unorderedObjects((value as Record<string, unknown>)[key], `${path}.${key}`))]
}

function compiled(name: string): Schema {
  const { schema } = compileSchema(validFixture(name).sources)
  if (!schema) throw new Error(`fixture ${name} does not compile`)
  return schema
}

describe('canonicalJSON', () => {
  it('sorts keys at every level, indents by 2 spaces and ends with a newline', () => {
    const tiny: Schema = {
      models: [],
      joinTables: [],
      format: 1,
      enums: [{ values: [{ name: 'A' }], name: 'Kind', dbName: 'kind' }],
    }
    expect(canonicalJSON(tiny)).toBe(
      [
        '{',
        '  "enums": [',
        '    {',
        '      "dbName": "kind",',
        '      "name": "Kind",',
        '      "values": [',
        '        {',
        '          "name": "A"',
        '        }',
        '      ]',
        '    }',
        '  ],',
        '  "format": 1,',
        '  "joinTables": [],',
        '  "models": []',
        '}',
        '',
      ].join('\n'),
    )
  })

  it('omits absent optional keys instead of writing null or undefined', () => {
    const text = canonicalJSON(small)
    expect(text).not.toContain('description')
    expect(text).not.toContain('undefined')
    expect(text).not.toContain('namespace')
  })

  it('keeps array order (fields stay in declaration order)', () => {
    const text = canonicalJSON(small)
    expect(text.indexOf('"name": "id"')).toBeLessThan(text.indexOf('"name": "role"'))
  })

  it('is the JSON of a copy with sorted keys, for every valid fixture and a synthetic schema', () => {
    const schemas = validFixtures().map((fixture) => compileSchema(fixture.sources).schema!)
    schemas.push(compileSchema(syntheticSources(300)).schema!)
    for (const schema of schemas) {
      expect(canonicalJSON(schema)).toBe(sortedCopyJSON(schema))
      expect(canonicalJSON(reversedKeys(schema))).toBe(sortedCopyJSON(schema))
    }
    expect(canonicalJSON(small)).toBe(sortedCopyJSON(small))
  })

  it('gets schemas from the checker with every key already in order (written without a copy)', () => {
    for (const fixture of validFixtures()) expect(unorderedObjects(compileSchema(fixture.sources).schema)).toEqual([])
    expect(unorderedObjects(compileSchema(syntheticSources(300)).schema)).toEqual([])
  })

  it('does not depend on the order keys were inserted in', () => {
    const schema = compiled('commerce')
    expect(canonicalJSON(reversedKeys(schema))).toBe(canonicalJSON(schema))
  })
})

describe('schemaHash', () => {
  it('is the sha256 hex of the canonical JSON, stable across compilations', () => {
    const first = schemaHash(compiled('commerce'))
    expect(first).toMatch(/^[0-9a-f]{64}$/)
    expect(schemaHash(compiled('commerce'))).toBe(first)
    expect(schemaHash(reversedKeys(compiled('commerce')))).toBe(first)
  })

  it('changes when the schema changes', () => {
    const changed = structuredClone(small)
    changed.models[0].table = 'people'
    expect(schemaHash(changed)).not.toBe(schemaHash(small))
  })
})

describe('parseSchemaJSON', () => {
  it('round-trips every valid fixture', () => {
    for (const name of ['commerce', 'self-relations', 'defaults', 'composite-keys']) {
      const schema = compiled(name)
      const text = canonicalJSON(schema)
      const back = parseSchemaJSON(text, 'migrations/snapshot/schema.json')
      expect(back).toEqual(schema)
      expect(canonicalJSON(back)).toBe(text)
    }
  })

  it('refuses a newer format and says to upgrade unplugin-okra', () => {
    const text = JSON.stringify({ ...small, format: 2 })
    expect(() => parseSchemaJSON(text, 'migrations/snapshot/schema.json')).toThrow(OkraError)
    try {
      parseSchemaJSON(text, 'migrations/snapshot/schema.json')
    } catch (e) {
      const err = e as OkraError
      expect(err.message).toContain('migrations/snapshot/schema.json')
      expect(err.message).toContain('newer version of OKRA')
      expect(err.hint).toContain('unplugin-okra')
    }
  })

  it('names the file when the text is not JSON', () => {
    expect(() => parseSchemaJSON('{ "format": 1,', 'migrations/2024_x/schema.json')).toThrow(/^migrations\/2024_x\/schema\.json is not valid JSON/)
  })

  it('names the file and the JSON path of a shape problem', () => {
    const noFormat = JSON.stringify({ enums: [], models: [], joinTables: [] })
    expect(() => parseSchemaJSON(noFormat, 'a/schema.json')).toThrow('a/schema.json is not an OKRA schema: schema.format must be one of 1')
    const badField = structuredClone(small) as unknown as { models: { fields: { kind: string }[] }[] }
    badField.models[0].fields[1].kind = 'column'
    expect(() => parseSchemaJSON(JSON.stringify(badField), 'b/schema.json')).toThrow(
      'b/schema.json is not an OKRA schema: schema.models[0].fields[1].kind must be one of "scalar", "enum", "relation"',
    )
    const badAction = compiled('one-to-many') as unknown as { models: { foreignKeys: { onDelete: string }[] }[] }
    const withKey = badAction.models.findIndex((m) => m.foreignKeys.length > 0)
    badAction.models[withKey].foreignKeys[0].onDelete = 'Explode'
    expect(() => parseSchemaJSON(JSON.stringify(badAction), 'c/schema.json')).toThrow(`schema.models[${withKey}].foreignKeys[0].onDelete must be one of`)
    expect(() => parseSchemaJSON('[]', 'd/schema.json')).toThrow('d/schema.json is not an OKRA schema: schema must be an object')
  })
})
