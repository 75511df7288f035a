import { describe, expect, it } from 'vitest'
import { UPDATED_AT_FUNCTION, primaryKeyName, rebuildTableName, retiredEnumName, updatedAtTriggerName } from '../../src/sql/names'
import { VERBATIM_TYPE, quoteIdentifier, quoteList, quoteLiteral, quoteType } from '../../src/sql/quote'
import { outsideTransaction, sql, toScript, transactionParts } from '../../src/sql/statement'
import { byteLength } from '../../src/schema/naming'

describe('quoteIdentifier', () => {
  it('double-quotes every name and doubles embedded quotes', () => {
    expect(quoteIdentifier('select', 'postgres')).toBe('"select"')
    expect(quoteIdentifier('or"der; --', 'sqlite')).toBe('"or""der; --"')
    expect(quoteIdentifier('ünïcødé', 'postgres')).toBe('"ünïcødé"')
    expect(quoteList(['a', 'b"'], 'sqlite')).toBe('"a", "b"""')
  })

  it('refuses a PostgreSQL name over 63 bytes (counted in UTF-8), which SQLite accepts', () => {
    expect(quoteIdentifier('a'.repeat(63), 'postgres')).toBe(`"${'a'.repeat(63)}"`)
    expect(() => quoteIdentifier('a'.repeat(64), 'postgres')).toThrow('is 64 bytes long; PostgreSQL allows at most 63')
    expect(() => quoteIdentifier('é'.repeat(32), 'postgres')).toThrow('is 64 bytes long')
    expect(quoteIdentifier('a'.repeat(64), 'sqlite')).toBe(`"${'a'.repeat(64)}"`)
  })

  it('refuses empty names and NUL characters', () => {
    expect(() => quoteIdentifier('', 'sqlite')).toThrow('An empty name')
    expect(() => quoteIdentifier('a\0b', 'sqlite')).toThrow('NUL character')
  })
})

describe('quoteLiteral', () => {
  it("doubles single quotes; PostgreSQL writes a backslash in an E'' string, SQLite as it is", () => {
    expect(quoteLiteral("it's -- x; y", 'postgres')).toBe("'it''s -- x; y'")
    expect(quoteLiteral('a\\b\'c', 'postgres')).toBe("E'a\\\\b''c'")
    expect(quoteLiteral('a\\b', 'sqlite')).toBe("'a\\b'")
    expect(() => quoteLiteral('a\0', 'postgres')).toThrow('NUL character')
  })
})

describe('object names', () => {
  it('names triggers, keys and scratch objects, shortened with a hash past 63 bytes', () => {
    expect(updatedAtTriggerName('users', 'updated_at')).toBe('users_updated_at_updated_at')
    expect(primaryKeyName('users')).toBe('users_pkey')
    expect(rebuildTableName('users')).toBe('_okra_new_users')
    expect(retiredEnumName('role')).toBe('role_okra_old')
    expect(UPDATED_AT_FUNCTION).toBe('okra_set_updated_at')
    const long = updatedAtTriggerName('t'.repeat(40), 'c'.repeat(40))
    expect(byteLength(long)).toBe(63)
    expect(long).toMatch(/^t{40}_c{2}_[0-9a-f]{8}_updated_at$/)
    expect(updatedAtTriggerName('t'.repeat(40), `${'c'.repeat(39)}d`)).not.toBe(long)
  })
})

describe('statements', () => {
  const script = [outsideTransaction('PRAGMA foreign_keys = OFF'), sql('CREATE TABLE a (x)'), sql('DROP TABLE b'), outsideTransaction('PRAGMA foreign_keys = ON')]

  it('split into what runs before, inside and after the transaction', () => {
    expect(transactionParts(script)).toEqual({ before: [script[0]], inside: [script[1], script[2]], after: [script[3]] })
    expect(transactionParts([sql('SELECT 1')])).toEqual({ before: [], inside: [sql('SELECT 1')], after: [] })
  })

  it('refuse a non-transactional statement in the middle', () => {
    expect(() => transactionParts([sql('A'), outsideTransaction('B'), sql('C')])).toThrow('A non-transactional statement sits between transactional ones: B')
  })

  it('print as a script', () => {
    expect(toScript(script)).toBe('PRAGMA foreign_keys = OFF;\n\nCREATE TABLE a (x);\n\nDROP TABLE b;\n\nPRAGMA foreign_keys = ON;\n')
  })
})

describe('column types from an untrusted schema.json', () => {
  const builtIn = /^(TEXT|INTEGER)$/
  it('keeps OKRA types and safe spellings, quotes plain names, and quotes anything that could be SQL', () => {
    expect(quoteType('TEXT', 'postgres', builtIn)).toBe('TEXT')
    expect(quoteType('NUMERIC(10, 2)', 'postgres', builtIn)).toBe('NUMERIC(10, 2)')
    expect(quoteType('role', 'postgres', builtIn)).toBe('"role"')
    expect(quoteType('role[]', 'postgres', builtIn)).toBe('"role"[]')
    expect(quoteType('x); DROP TABLE users; --', 'postgres', builtIn)).toBe('"x); DROP TABLE users; --"')
    expect(quoteType('my"type', 'sqlite', VERBATIM_TYPE)).toBe('"my""type"')
    expect(quoteType('VARCHAR(20)', 'sqlite', VERBATIM_TYPE)).toBe('VARCHAR(20)')
  })
})
