import { describe, expect, it } from 'vitest'
import { dialectOf } from '../../src/dialects/index'

describe('a @db(type:) spelling in the normal form introspection reads back', () => {
  it.each([
    ['postgres', 'varchar( 20 )', 'VARCHAR(20)'],
    ['postgres', 'character varying(20)', 'VARCHAR(20)'],
    ['postgres', 'character varying', 'VARCHAR'],
    ['postgres', 'int4', 'INTEGER'],
    ['postgres', 'int8', 'BIGINT'],
    ['postgres', 'float8', 'DOUBLE PRECISION'],
    ['postgres', 'float(10)', 'REAL'],
    ['postgres', 'double   precision', 'DOUBLE PRECISION'],
    ['postgres', 'numeric(12, 2)', 'DECIMAL(12,2)'],
    ['postgres', 'numeric(10)', 'DECIMAL(10,0)'],
    ['postgres', 'numeric', 'DECIMAL'],
    ['postgres', 'timestamp(3) without time zone', 'TIMESTAMP(3)'],
    ['postgres', 'timestamp with time zone', 'TIMESTAMPTZ'],
    ['postgres', 'timestamptz(3)', 'TIMESTAMPTZ(3)'],
    ['postgres', 'char', 'CHAR(1)'],
    ['postgres', 'bpchar(8)', 'CHAR(8)'],
    ['postgres', 'bool', 'BOOLEAN'],
    ['postgres', '_int4', 'INTEGER[]'],
    ['postgres', 'text[]', 'TEXT[]'],
    ['postgres', 'CITEXT', 'citext'],
    ['sqlite', 'varchar( 20 )', 'VARCHAR(20)'],
    ['sqlite', 'numeric(12, 2)', 'NUMERIC(12,2)'],
  ] as const)('%s %s -> %s', (provider, spelled, canonical) => {
    expect(dialectOf(provider).types.normaliseType(spelled)).toBe(canonical)
  })
})
