/** The chain's pure parts: migration.json's text, parents found by hash, forks, holes, heads, destruction. */
import { describe, expect, it } from 'vitest'
import { type ChainLink, type ChainSource, chainFingerprint, chainLinks, chainOrder, chainShape, metaText, parseMeta, schemaTextHash } from '../../src/migrations/chain'
import { destructionsOf, undeclared } from '../../src/migrations/destroys'
import { deriveStep } from '../../src/migrations/derive'
import { dialectOf } from '../../src/dialects/index'
import { compileSchema } from '../../src/schema/compile'
import type { Schema } from '../../src/schema/types'

const hash = (c: string) => c.repeat(64)
const link = (id: string, parent: string | null, schema: string): ChainLink => ({ id, shownDir: `migrations/${id}`, parent, schema, recorded: true, destroys: [] })
const ids = (links: readonly (ChainLink | null | undefined)[]) => links.map((l) => l?.id ?? null)

describe('migration.json', () => {
  it('is written in a fixed key order and read back', () => {
    const text = metaText({ parent: null, schema: hash('a'), destroys: [{ kind: 'drop-column', line: 'drops column t.c', column: 'c', table: 't' }] })
    expect(text).toBe(
      `{\n  "format": 1,\n  "parent": null,\n  "schema": "${hash('a')}",\n  "destroys": [\n    {\n      "kind": "drop-column",\n      "table": "t",\n      "column": "c",\n      "line": "drops column t.c"\n    }\n  ]\n}\n`,
    )
    expect(parseMeta(text, 'm/migration.json')).toEqual({ format: 1, parent: null, schema: hash('a'), destroys: [{ kind: 'drop-column', table: 't', column: 'c', line: 'drops column t.c' }] })
  })

  it('refuses damage and a newer format, naming the file', () => {
    expect(() => parseMeta('{', 'm/migration.json')).toThrow(/^m\/migration.json is damaged: /)
    expect(() => parseMeta(JSON.stringify({ format: 1, parent: 'x', schema: hash('a'), destroys: [] }), 'm/migration.json')).toThrow('"parent" must be a sha256 hash or null')
    expect(() => parseMeta(JSON.stringify({ format: 1, parent: null, schema: hash('a'), destroys: [{ kind: 'explode', line: '' }] }), 'f')).toThrow('"destroys" must be')
    expect(() => parseMeta(JSON.stringify({ format: 2, parent: null, schema: hash('a'), destroys: [] }), 'f')).toThrow('written by a newer version of OKRA')
  })

  it('hashes schema.json text as the canonical hash, whatever the line endings', () => {
    expect(schemaTextHash('{\r\n}\r\n')).toBe(schemaTextHash('{\n}\n'))
  })
})

describe('the chain', () => {
  it('a line: each parent found, one head', () => {
    const shape = chainShape([link('1', null, hash('a')), link('2', hash('a'), hash('b')), link('3', hash('b'), hash('c'))])
    expect(ids([...shape.parentOf.values()])).toEqual([null, '1', '2'])
    expect(shape.forks).toEqual([])
    expect(shape.orphans).toEqual([])
    expect(shape.head?.id).toBe('3')
  })

  it('a schema that comes back (add then remove) is the nearest producer before the child', () => {
    const shape = chainShape([link('1', null, hash('a')), link('2', hash('a'), hash('b')), link('3', hash('b'), hash('a')), link('4', hash('a'), hash('c'))])
    expect(ids([...shape.parentOf.values()])).toEqual([null, '1', '2', '3'])
    expect(shape.forks).toEqual([])
    expect(shape.head?.id).toBe('4')
  })

  it('two migrations from one parent are a fork, and there is no head', () => {
    const shape = chainShape([link('1', null, hash('a')), link('2', hash('a'), hash('b')), link('3', hash('a'), hash('c'))])
    expect(shape.forks.map((f) => [f.parent?.id, ids(f.children)])).toEqual([['1', ['2', '3']]])
    expect(shape.head).toBeNull()
  })

  it('two first migrations are a fork from an empty history', () => {
    const shape = chainShape([link('1', null, hash('a')), link('2', null, hash('b'))])
    expect(shape.forks.map((f) => [f.parent, ids(f.children)])).toEqual([[null, ['1', '2']]])
  })

  it('a parent that no folder produces is a hole', () => {
    const shape = chainShape([link('1', null, hash('a')), link('3', hash('b'), hash('c'))])
    expect(ids(shape.orphans)).toEqual(['3'])
    expect(shape.parentOf.get('3')).toBeUndefined()
  })

  it('a child named before its parent (clocks of two machines) still finds it', () => {
    const shape = chainShape([link('1', hash('b'), hash('c')), link('2', null, hash('b'))])
    expect(shape.parentOf.get('1')?.id).toBe('2')
    expect(shape.head?.id).toBe('1')
  })

  it('the order migrations apply in is the chain, not the names; none for a history that is not one line', () => {
    expect(ids(chainOrder(chainShape([link('1', hash('b'), hash('c')), link('2', null, hash('b')), link('3', hash('c'), hash('d'))]))!)).toEqual(['2', '1', '3'])
    expect(chainOrder(chainShape([link('1', null, hash('a')), link('2', hash('a'), hash('b')), link('3', hash('a'), hash('c'))]))).toBeNull()
    expect(chainOrder(chainShape([link('1', null, hash('a')), link('3', hash('b'), hash('c'))]))).toBeNull()
    expect(chainOrder(chainShape([]))).toBeNull()
  })

  it('folders without migration.json: parents inferred from the folder before, flagged as inferred', () => {
    const source = (id: string, files: Record<string, string>): ChainSource => ({ id, shownDir: `migrations/${id}`, read: (f) => files[f] })
    const links = chainLinks([
      source('1', { 'schema.json': 'A' }),
      source('2', { 'schema.json': 'B' }),
      source('3', { 'migration.json': metaText({ parent: schemaTextHash('B'), schema: hash('c'), destroys: [] }) }),
    ])
    expect(links.map((l) => [l.parent, l.schema, l.recorded])).toEqual([
      [null, schemaTextHash('A'), false],
      [schemaTextHash('A'), schemaTextHash('B'), false],
      [schemaTextHash('B'), hash('c'), true],
    ])
    expect(ids(chainShape(links).inferred)).toEqual(['1', '2'])
    expect(() => chainLinks([source('9', {})])).toThrow('Migration migrations/9 has no schema.json')
  })

  it('the fingerprint changes when a folder goes or its parent changes', () => {
    const links = [link('1', null, hash('a')), link('2', hash('a'), hash('b'))]
    expect(chainFingerprint(links.slice(0, 1))).not.toBe(chainFingerprint(links))
    expect(chainFingerprint([links[0]!, link('2', hash('c'), hash('b'))])).not.toBe(chainFingerprint(links))
  })
})

const schemaOf = (text: string): Schema => compileSchema([{ path: 'm.okra.gql', text }]).schema!

describe('destruction', () => {
  const before = schemaOf('enum Role {\n  ADMIN\n  USER\n}\nmodel User {\n  id: Int! @id\n  fax: String?\n  nick: String?\n  role: Role!\n}\nmodel Log {\n  id: Int! @id\n}\n')
  const after = schemaOf('enum Role {\n  ADMIN\n}\nmodel User {\n  id: Int! @id\n  nick: String! @unique\n  role: Role!\n}\n')

  it.each(['sqlite', 'postgres'] as const)('names each destroyed table, column, enum value, required-over-NULL and new unique on %s', async (provider) => {
    const step = await deriveStep(before, after, dialectOf(provider), [])
    expect(destructionsOf(step.changes).map((d) => d.line).sort()).toEqual([
      'adds a unique index on users(nick) (fails on duplicates)',
      'drops column users.fax',
      'drops table logs and its rows',
      'makes users.nick required (fails on rows holding NULL)',
      'removes value USER from enum Role',
    ])
  })

  it('holds the derived list against the declared one; nothing declared (no migration.json) checks nothing', async () => {
    const derived = destructionsOf((await deriveStep(before, after, dialectOf('sqlite'), [])).changes)
    expect(undeclared(derived, derived)).toEqual([])
    expect(undeclared(derived, derived.filter((d) => d.kind !== 'drop-column')).map((d) => d.line)).toEqual(['drops column users.fax'])
    expect(undeclared(derived, null)).toEqual([])
  })
})
