import { describe, expect, it } from 'vitest'
import { databaseTarget, maskUrl } from '../../src/dialects/index'

describe('maskUrl', () => {
  it.each([
    ['postgres://user:secret@host/db', 'postgres://user:***@host/db'],
    ['postgresql://user:p%40ss@host:5432/db?sslmode=require', 'postgresql://user:***@host:5432/db?sslmode=require'],
    ['postgres://user:a@b@host/db', 'postgres://user:***@host/db'],
    ['postgres://u:S1@127.0.0.1:1/db?password=S2', 'postgres://u:***@127.0.0.1:1/db?password=***'],
    ['postgres://host/db?user=u&password=S2&x=1', 'postgres://host/db?user=u&password=***&x=1'],
    ['postgres://user@host/db', 'postgres://user@host/db'],
    ['sqlite://./dev.db', 'sqlite://./dev.db'],
  ])('%s -> %s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked)
  })
})

describe('databaseTarget', () => {
  const root = '/project'
  it.each([
    ['sqlite://./dev.db', '/project/dev.db'],
    ['sqlite://dev.db', '/project/dev.db'],
    ['sqlite://data/dev.db', '/project/data/dev.db'],
    ['sqlite:///var/db/app.db', '/var/db/app.db'],
    ['sqlite://:memory:', ':memory:'],
    ['file:./dev.db', '/project/dev.db'],
    ['file:dev.db?mode=rwc', '/project/dev.db'],
    ['file:///abs/x.db', '/abs/x.db'],
  ])('%s is the SQLite file %s', (url, file) => {
    expect(databaseTarget(url, root)).toMatchObject({ provider: 'sqlite', file, displayUrl: url })
  })

  it('reads ?schema= for PostgreSQL and keeps it out of the URL pg sees', () => {
    expect(databaseTarget('postgresql://u:pw@h/db?schema=app&sslmode=disable', root)).toEqual({
      provider: 'postgres',
      connectionString: 'postgresql://u:pw@h/db?sslmode=disable',
      schema: 'app',
      displayUrl: 'postgresql://u:***@h/db?schema=app&sslmode=disable',
      secrets: ['pw'],
    })
    expect(databaseTarget('postgres://h/db', root)).toMatchObject({ provider: 'postgres', schema: 'public', secrets: [] })
    expect(databaseTarget('postgres://u:p%40ss@h/db?password=x', root)).toMatchObject({ secrets: ['p%40ss', 'p@ss', 'x'] })
  })

  it('refuses an empty schema and the other ways of naming one, which OKRA would override', () => {
    expect(() => databaseTarget('postgres://u:pw@h/db?schema=', root)).toThrow('Invalid schema "" in the PostgreSQL URL postgres://u:***@h/db?schema=')
    expect(() => databaseTarget('postgres://h/db?currentSchema=app', root)).toThrow('names its schema with currentSchema=')
    expect(() => databaseTarget('postgres://h/db?options=-c%20search_path%3Dapp', root)).toThrow('names its schema with options=-c search_path=')
    expect(databaseTarget('postgres://h/db?options=-c%20statement_timeout%3D5000', root)).toMatchObject({ schema: 'public' })
  })

  it('rejects other schemes with the accepted forms, and never echoes a password', () => {
    expect(() => databaseTarget('mysql://u:secret@h/db', root)).toThrow('Unsupported database URL: mysql://u:***@h/db')
    expect(() => databaseTarget('sqlite://', root)).toThrow('names no file')
  })
})
