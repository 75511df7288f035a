import { describe, expect, it } from 'vitest'
import { backupTableName } from '../../src/dialects/postgres/backup'

const AT = new Date(Date.UTC(2024, 0, 20, 14, 30, 22, 123))

describe('backupTableName', () => {
  it('is <timestamp>_<table>, at most 63 bytes, a long name cut and given a hash', () => {
    expect(backupTableName('users', AT)).toBe('20240120143022123_users')
    const long = backupTableName('é'.repeat(40), AT)
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(63)
    expect(long).toMatch(/^20240120143022123_é+_[0-9a-f]{8}$/)
    expect(backupTableName('é'.repeat(41), AT)).not.toBe(long)
  })
})
