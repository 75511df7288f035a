import { describe, expect, it } from 'vitest'
import { NameTable, hashOf } from '../../src/language/name-table'
import { parse } from '../../src/language/parser'
import type { FieldNode, ModelNode } from '../../src/language/ast'

describe('NameTable', () => {
  it('gives the text of the name asked for, whatever was asked before', () => {
    const names = new NameTable()
    const first = names.name('model User { id: ID }', 6, 10)
    expect(first).toBe('User')
    expect(names.name('type User', 5, 9)).toBe(first)
    expect(names.name('Users', 0, 5)).toBe('Users')
    expect(names.name('Use', 0, 3)).toBe('Use')
  })

  it('keeps every name apart and found while it grows, similar names included', () => {
    const names = new NameTable()
    const words = Array.from({ length: 5000 }, (_, i) => `Order${i}`)
    const kept = words.map((word) => names.name(` ${word} `, 1, word.length + 1))
    expect(kept).toEqual(words)
    words.forEach((word, i) => expect(names.name(word, 0, word.length)).toBe(kept[i]))
  })

  it('is given by the lexer the same hash of each name as it computes itself', () => {
    const given: [string, number | undefined, number][] = []
    class Recording extends NameTable {
      override name(text: string, start: number, end: number, hash?: number): string {
        given.push([text.slice(start, end), hash, hashOf(text, start, end)])
        return super.name(text, start, end, hash)
      }
    }
    parse({ path: 'a.okra.gql', text: 'model OrderLine { quantity: Int! @default(0) _x9: Z }' }, new Recording())
    expect(given.map(([name]) => name)).toEqual(['model', 'OrderLine', 'quantity', 'Int', 'default', '_x9', 'Z'])
    for (const [name, hash, own] of given) expect({ name, hash }).toEqual({ name, hash: own })
  })

  it('serves several files: each name read from one file is the name written there', () => {
    const names = new NameTable()
    const fieldNames = (text: string) =>
      (parse({ path: 'a.okra.gql', text }, names).document.definitions[0] as ModelNode).members.map((m) => (m as FieldNode).name.value)
    expect(fieldNames('model A { createdAt: DateTime created: DateTime }')).toEqual(['createdAt', 'created'])
    expect(fieldNames('model B {\n  created: DateTime\n  createdAt: DateTime\n  createdA: Int\n}')).toEqual(['created', 'createdAt', 'createdA'])
  })
})
