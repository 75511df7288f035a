import { describe, expect, it } from 'vitest'
import { backupName, byTime, parseBackupName, sanitiseLabel } from '../../src/dialects/backup-names'
import { postgresBackupLabel, wholeBackupSchema } from '../../src/dialects/postgres/backup'
import { sqliteBackupLabel } from '../../src/dialects/sqlite/backup'

const AT = new Date(Date.UTC(2024, 0, 20, 14, 30, 22, 123))

describe('backup names', () => {
  it('are <db>-<timestamp>, numbered when the name is taken, and read back', () => {
    expect(backupName('dev', AT, () => false)).toBe('dev-20240120-143022-123')
    const taken = new Set(['dev-20240120-143022-123', 'dev-20240120-143022-123-2'])
    expect(backupName('dev', AT, (n) => taken.has(n))).toBe('dev-20240120-143022-123-3')
    expect(parseBackupName('my-app-20240120-143022-123-3')).toEqual({ label: 'my-app', takenAt: AT, order: 3 })
    expect(parseBackupName('20240120-143022-123')).toBeUndefined()
    expect(parseBackupName('dev-20241320-143022-123')).toBeUndefined()
  })

  it('sort by time, then by their number', () => {
    const names = ['dev-20240120-143022-123-2', 'dev-20240121-000000-000', 'dev-20240120-143022-123'].map((name) => ({ name }))
    expect(names.sort(byTime).map((n) => n.name)).toEqual(['dev-20240120-143022-123', 'dev-20240120-143022-123-2', 'dev-20240121-000000-000'])
  })

  it('name each database after its file or its PostgreSQL database and schema, sanitised', () => {
    expect(sqliteBackupLabel('/app/dev.db')).toBe('dev')
    expect(sqliteBackupLabel('/app/data/staging copy.sqlite3')).toBe('staging_copy')
    expect(sqliteBackupLabel(':memory:')).toBe('memory')
    expect(postgresBackupLabel('postgres://u:pw@h:5432/Shop-Prod', 'public')).toBe('shop_prod')
    expect(postgresBackupLabel('postgres://u@h/shop', 'tenant_a')).toBe('shop_tenant_a')
    expect(postgresBackupLabel(`postgres://u@h/${'x'.repeat(80)}`, 'public')).toHaveLength(28)
    expect(sanitiseLabel('***')).toBe('db')
  })

  it('fit a PostgreSQL schema name (63 bytes) even for the longest database name', () => {
    const label = postgresBackupLabel(`postgres://u@h/${'x'.repeat(80)}`, 'public')
    const schema = wholeBackupSchema(backupName(label, AT, () => false) + '-12')
    expect(schema).toMatch(/^okra_backup_x+_20240120_143022_123_12$/)
    expect(Buffer.byteLength(schema)).toBeLessThanOrEqual(63)
  })
})
