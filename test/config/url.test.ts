import { describe, expect, it } from 'vitest'
import { maskUrl, normaliseSqliteUrl, providerOfUrl } from '../../src/config/url'

describe('maskUrl', () => {
  it.each([
    ['postgres://u:S1@127.0.0.1/db?password=S2&sslpassword=S3', 'postgres://u:***@127.0.0.1/db?password=***&sslpassword=***'],
    ['postgresql://user:secret@host:5432/db', 'postgresql://user:***@host:5432/db'],
    ['postgres://u:p@ss@host/db?email=a@b.c', 'postgres://u:***@host/db?email=a@b.c'],
    ['postgres://u:pa/ss@host/db', 'postgres://u:***@host/db'],
    ['postgres://user@host/db', 'postgres://user@host/db'],
    ['postgres://host/db?sslmode=require', 'postgres://host/db?sslmode=require'],
    ['sqlite://./dev.db', 'sqlite://./dev.db'],
    ['cannot reach "postgres://a:S1@h/db": refused', 'cannot reach "postgres://a:***@h/db": refused'],
    ['host=h user=u password=S4 dbname=x', 'host=h user=u password=*** dbname=x'],
  ])('%s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked)
  })
})

describe('providerOfUrl', () => {
  it('knows sqlite://, file:, postgres:// and postgresql://', () => {
    expect(['sqlite://./a.db', 'sqlite://:memory:', 'file:a.db', 'postgres://h/d', 'postgresql://h/d', 'mysql://h/d'].map(providerOfUrl)).toEqual([
      'sqlite',
      'sqlite',
      'sqlite',
      'postgres',
      'postgres',
      undefined,
    ])
  })
})

describe('normaliseSqliteUrl', () => {
  it('makes the path absolute against the root', () => {
    expect(normaliseSqliteUrl('sqlite://./dev.db', '/project')).toBe('sqlite:///project/dev.db')
    expect(normaliseSqliteUrl('sqlite://data/x.db', '/project')).toBe('sqlite:///project/data/x.db')
    expect(normaliseSqliteUrl('sqlite:///var/x.db', '/project')).toBe('sqlite:///var/x.db')
    expect(normaliseSqliteUrl('file:../x.db', '/project/app')).toBe('sqlite:///project/x.db')
    expect(normaliseSqliteUrl('file:///var/y.db', '/project')).toBe('sqlite:///var/y.db')
    expect(normaliseSqliteUrl('sqlite://:memory:', '/project')).toBe('sqlite://:memory:')
  })
})
