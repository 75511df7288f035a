import { readdirSync } from 'node:fs'
import { dialectOf } from '../../src/dialects/index'
import { describe, expect, it } from 'vitest'
import { changedFiles, folderChecksum } from '../../src/migrations/checksum'
import { MIGRATION_ID, readMigrationFolder } from '../../src/migrations/folders'
import { migrationNameSuffix, newMigrationId } from '../../src/migrations/ids'
import { planUp, sqlFileFor } from '../../src/migrations/plan'
import { writeMigrationFolder } from '../../src/migrations/write'
import { makeTempDir, writeFiles } from '../helpers/tmp'

const at = (iso: string) => new Date(iso)
const SCHEMA = '{"enums":[],"format":1,"joinTables":[],"models":[]}\n'

describe('migration folder names', () => {
  it('are the UTC time, then the name in snake_case', () => {
    expect(newMigrationId(at('2024-01-20T14:30:22.900Z'), 'Add phone!', [])).toBe('20240120_143022_add_phone')
    expect(newMigrationId(at('2024-01-20T14:30:22Z'), undefined, [])).toBe('20240120_143022')
    expect(migrationNameSuffix('  addPhoneNumber  ')).toBe('add_phone_number')
    expect(migrationNameSuffix('!!!')).toBe('')
  })

  it('move on a second when a folder for that second exists, or the clock is behind the newest folder', () => {
    const now = at('2024-01-20T14:30:22Z')
    expect(newMigrationId(now, 'b', ['20240120_143022_a'])).toBe('20240120_143023_b')
    expect(newMigrationId(now, 'b', ['20240120_143022_a', '20240120_143023'])).toBe('20240120_143024_b')
    expect(newMigrationId(now, 'x', ['20250101_000000_future'])).toBe('20250101_000001_x')
    expect(newMigrationId(now, 'x', ['20240101_000000_past'])).toBe('20240120_143022_x')
  })

  it('are unique even for two snapshots in the same second, and sort in creation order', () => {
    const dir = makeTempDir()
    const now = at('2024-01-20T14:30:22Z')
    const first = writeMigrationFolder(dir, { 'schema.json': SCHEMA }, now, 'zeta', { parent: null, destroys: [] })
    const second = writeMigrationFolder(dir, { 'schema.json': SCHEMA }, now, 'alpha', { parent: null, destroys: [] })
    expect([first, second]).toEqual(['20240120_143022_zeta', '20240120_143023_alpha'])
    expect(readdirSync(dir).sort()).toEqual([first, second]) // no temporary folder left behind
    expect(first.match(MIGRATION_ID)).not.toBeNull()
  })
})

describe('checksums', () => {
  const files = { 'schema.json': SCHEMA, 'migration.sql': 'CREATE TABLE "a" ("id" INTEGER);\n' }

  it('ignore line endings but not one changed byte', () => {
    const base = folderChecksum(files)
    const crlf = folderChecksum({ 'schema.json': SCHEMA.replace(/\n/g, '\r\n'), 'migration.sql': files['migration.sql'].replace(/\n/g, '\r\n') })
    expect(crlf.checksum).toBe(base.checksum)
    const edited = folderChecksum({ ...files, 'migration.sql': files['migration.sql'].replace('"a"', '"b"') })
    expect(edited.checksum).not.toBe(base.checksum)
    expect(changedFiles(base.files, edited.files)).toEqual(['migration.sql changed'])
  })

  it('cover the file names and every file but down.sql', () => {
    const base = folderChecksum(files)
    expect(folderChecksum({ ...files, 'down.sql': 'DROP TABLE "a";' }).checksum).toBe(base.checksum)
    const added = folderChecksum({ ...files, 'notes.md': 'why' })
    expect(added.checksum).not.toBe(base.checksum)
    expect(changedFiles(base.files, added.files)).toEqual(['notes.md added'])
    const renamed = folderChecksum({ 'schema.json': SCHEMA, 'migration.postgres.sql': files['migration.sql'] })
    expect(renamed.checksum).not.toBe(base.checksum)
    expect(changedFiles(base.files, renamed.files)).toEqual(['migration.postgres.sql added', 'migration.sql removed'])
  })

  it('taken without one file in the same pass are the checksum of the folder before that file was added', () => {
    const withMeta = { ...files, 'migration.json': '{"format":1}\r\n' }
    const both = folderChecksum(withMeta, 'migration.json')
    expect(both.checksum).toBe(folderChecksum(withMeta).checksum)
    expect(both.checksumWithout).toBe(folderChecksum(files).checksum)
    expect(both.checksumWithout).not.toBe(both.checksum)
    expect(folderChecksum(files).checksumWithout).toBeUndefined()
  })
})

describe('which SQL a migration runs', () => {
  function folder(files: Record<string, string>) {
    const root = makeTempDir()
    writeFiles(root, Object.fromEntries(Object.entries({ 'schema.json': SCHEMA, ...files }).map(([name, text]) => [`migrations/20240101_000000_m/${name}`, text])))
    return readMigrationFolder(`${root}/migrations/20240101_000000_m`, root)
  }

  it('is the file for its provider, never one marked for another provider', () => {
    const both = folder({ 'migration.postgres.sql': 'SELECT 1;', 'migration.sqlite.sql': 'SELECT 2;' })
    expect(sqlFileFor(both, 'postgres')?.name).toBe('migration.postgres.sql')
    expect(sqlFileFor(both, 'sqlite')?.name).toBe('migration.sqlite.sql')
    const marked = folder({ 'migration.sql': '-- okra:provider postgres\nSELECT 1;' })
    expect(sqlFileFor(marked, 'postgres')?.name).toBe('migration.sql')
    expect(sqlFileFor(marked, 'sqlite')).toBeUndefined()
    expect(sqlFileFor(folder({ 'migration.sql': 'SELECT 1;' }), 'sqlite')?.name).toBe('migration.sql')
  })

  it('falls back to the SQL derived from schema.json, saying which file it passed over', async () => {
    const marked = folder({ 'migration.sql': '-- okra:provider postgres\nCREATE TABLE nope (;' })
    const plan = await planUp([marked], 0, dialectOf('sqlite'))
    expect(plan.source).toEqual({ kind: 'derived', from: '(empty database)', to: '20240101_000000_m' })
    expect(plan.notes).toEqual(['migrations/20240101_000000_m/migration.sql is for postgres, not sqlite: not applied'])
  })

  it('runs SQLite foreign_keys pragmas outside the transaction, keeping every line number', async () => {
    const script = 'PRAGMA foreign_keys = OFF;\n\nCREATE TABLE "a" ("id" INTEGER);\n\nINSERT INTO "a" VALUES (1);\nPRAGMA foreign_keys = ON;\n'
    const plan = await planUp([folder({ 'migration.sql': script })], 0, dialectOf('sqlite'))
    expect(plan.before.text).toBe('PRAGMA foreign_keys = OFF;')
    expect(plan.inside.text.split('\n')[2]).toBe('CREATE TABLE "a" ("id" INTEGER);')
    expect(plan.inside.text.split('\n')[4]).toBe('INSERT INTO "a" VALUES (1);')
    expect(plan.after.statements).toBe(1)
    await expect(planUp([folder({ 'migration.sql': 'SELECT 1;\nPRAGMA foreign_keys = OFF;\nSELECT 2;' })], 0, dialectOf('sqlite'))).rejects.toThrow(
      /line 2: PRAGMA foreign_keys = OFF sits between statements/,
    )
  })

  it('runs a file marked -- okra:no-transaction statement by statement outside any transaction', async () => {
    const plan = await planUp([folder({ 'migration.sql': '-- okra:no-transaction\nCREATE INDEX CONCURRENTLY "i" ON "t" ("c");\n' })], 0, dialectOf('postgres'))
    expect(plan.transactional).toBe(false)
    expect(plan.before.statements).toBe(1)
    expect(plan.inside.statements).toBe(0)
  })
})
