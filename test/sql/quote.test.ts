import { describe, expect, it } from 'vitest'
import { UPDATED_AT_FUNCTION, primaryKeyName, rebuildTableName, retiredEnumName, updatedAtTriggerName } from '../../src/sql/names'
import { postgres } from '../../src/dialects/postgres/index'
import { sqlite } from '../../src/dialects/sqlite/index'
import { VERBATIM_TYPE, quoting } from '../../src/sql/quote'
import { outsideTransaction, sql, toScript, transactionParts } from '../../src/sql/statement'
import { byteLength } from '../../src/schema/naming'

describe('quoteIdentifier', () => {
  it('double-quotes every name and doubles embedded quotes', () => {
    expect(postgres.quote.identifier('select')).toBe('"select"')
    expect(sqlite.quote.identifier('or"der; --')).toBe('"or""der; --"')
    expect(postgres.quote.identifier('ünïcødé')).toBe('"ünïcødé"')
    expect(sqlite.quote.list(['a', 'b"'])).toBe('"a", "b"""')
  })

  it('refuses a PostgreSQL name over 63 bytes (counted in UTF-8), which SQLite accepts', () => {
    expect(postgres.quote.identifier('a'.repeat(63))).toBe(`"${'a'.repeat(63)}"`)
    expect(() => postgres.quote.identifier('a'.repeat(64))).toThrow('is 64 bytes long; PostgreSQL allows at most 63')
    expect(() => postgres.quote.identifier('é'.repeat(32))).toThrow('is 64 bytes long')
    expect(sqlite.quote.identifier('a'.repeat(64))).toBe(`"${'a'.repeat(64)}"`)
  })

  it('refuses empty names and NUL characters', () => {
    expect(() => sqlite.quote.identifier('')).toThrow('An empty name')
    expect(() => sqlite.quote.identifier('a\0b')).toThrow('NUL character')
  })
})

describe('quoteLiteral', () => {
  it("doubles single quotes; PostgreSQL writes a backslash in an E'' string, SQLite as it is", () => {
    expect(postgres.quote.literal("it's -- x; y")).toBe("'it''s -- x; y'")
    expect(postgres.quote.literal('a\\b\'c')).toBe("E'a\\\\b''c'")
    expect(sqlite.quote.literal('a\\b')).toBe("'a\\b'")
    expect(() => postgres.quote.literal('a\0')).toThrow('NUL character')
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
  const byPostgres = quoting({ backslashEscapeStrings: true, builtInTypes: /^(TEXT|INTEGER)$/ })
  const bySqlite = quoting({ backslashEscapeStrings: false, builtInTypes: VERBATIM_TYPE })
  it('keeps OKRA types and safe spellings, quotes plain names, and quotes anything that could be SQL', () => {
    expect(byPostgres.type('TEXT')).toBe('TEXT')
    expect(byPostgres.type('NUMERIC(10, 2)')).toBe('NUMERIC(10, 2)')
    expect(byPostgres.type('role')).toBe('"role"')
    expect(byPostgres.type('role[]')).toBe('"role"[]')
    expect(byPostgres.type('x); DROP TABLE users; --')).toBe('"x); DROP TABLE users; --"')
    expect(bySqlite.type('my"type')).toBe('"my""type"')
    expect(bySqlite.type('VARCHAR(20)')).toBe('VARCHAR(20)')
  })
})
