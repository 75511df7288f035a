import { describe, expect, it } from 'vitest'
import { maskUrl, normaliseSqliteUrl, providerOfUrl, rememberSecrets, secretsOf } from '../../src/config/url'

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

describe('maskUrl on every password the URL parser accepts', () => {
  // Each is accepted by new URL() (WHATWG) and so by the driver: a space, '@', ':', '%'-encoded '#', '/'.
  it.each([
    ['postgres://postgres:pa ss_SECRET1@127.0.0.1:5432/db', 'postgres://postgres:***@127.0.0.1:5432/db'],
    ['postgres://postgres:pa@ss_SECRET2@127.0.0.1/db', 'postgres://postgres:***@127.0.0.1/db'],
    ['postgres://postgres:pa:ss_SECRET3@127.0.0.1/db', 'postgres://postgres:***@127.0.0.1/db'],
    ['postgres://postgres:pa%23ss_SECRET4@127.0.0.1/db', 'postgres://postgres:***@127.0.0.1/db'],
    ['postgres://postgres:a b@c:d%25e_SECRET5@127.0.0.1', 'postgres://postgres:***@127.0.0.1'],
    ['error: postgres://u:pa ss@h/db: refused; see postgres://v:x y@k/db', 'error: postgres://u:***@h/db: refused; see postgres://v:***@k/db'],
    ['{\n  "url": "postgres://u:pa ss@h:5432/db?schema=app",\n  "ok": true\n}', '{\n  "url": "postgres://u:***@h:5432/db?schema=app",\n  "ok": true\n}'],
  ])('%s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked)
  })

  it('finds the password as written', () => {
    expect(secretsOf('postgres://u:pa ss@h/db?password=x y&sslpassword=z')).toEqual(['pa ss', 'x y', 'z'])
    expect(secretsOf('postgres://u@h/db')).toEqual([])
  })

  it('masks a remembered secret in any form, also outside a URL', () => {
    rememberSecrets('postgres://u:sp%20ace_SECRET6@h/db')
    for (const form of ['sp ace_SECRET6', 'sp%20ace_SECRET6']) expect(maskUrl(`password authentication failed: ${form}!`)).toBe('password authentication failed: ***!')
    // A password equal to the user name is left to the URL masking (else every line naming the user would be garbled).
    rememberSecrets('postgres://okra_user:okra_user@h/db')
    expect(maskUrl('role "okra_user" does not exist')).toBe('role "okra_user" does not exist')
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
