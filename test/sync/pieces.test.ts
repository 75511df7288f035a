/** The small pure pieces behind sync: backup table names, the tables a batch puts at risk, renames told by labels. */
import { describe, expect, it } from 'vitest'
import { backupTableName, tablesAtRisk } from '../../src/backup'
import { diff } from '../../src/diff/index'
import { labelRenames } from '../../src/sync/labels'
import { diffTexts, kinds, physicalOf } from '../diff/helpers'

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

describe('tablesAtRisk', () => {
  it('names the tables of destructive changes as they are before the batch (renamed tables by their old name)', async () => {
    const { changes } = await diffTexts(
      'model Person {\n  id: Int! @id\n  fax: String?\n  age: Int?\n}\nmodel Tag {\n  id: Int! @id\n}\nmodel Note {\n  id: Int! @id\n  body: String?\n}\n',
      'model User {\n  @@renamed(from: "Person")\n  id: Int! @id\n  age: String?\n}\nmodel Note {\n  id: Int! @id\n  body: String?\n  extra: String?\n}\n',
      'sqlite',
    )
    expect(tablesAtRisk(changes)).toEqual(['people', 'tags'])
  })
})

describe('labelRenames', () => {
  it('@map and @@map changes of a field or model that kept its name are renames', async () => {
    const from = physicalOf('model User {\n  id: Int! @id\n  lastSeen: String? @map("last_seen_at")\n}\n', 'postgres')
    const to = physicalOf('model User {\n  id: Int! @id\n  lastSeen: String? @map("seen_at")\n  @@map("accounts")\n}\n', 'postgres')
    expect(kinds((await diff(from, to, { renames: labelRenames(from, to) })).changes)).toEqual([
      'renameTable users->accounts',
      'renameColumn accounts.last_seen_at->seen_at',
    ])
  })

  it('without labels (an introspected side) it asks the fallback, else drops and adds', async () => {
    const from = { ...physicalOf('model User {\n  id: Int! @id\n  a: String?\n}\n', 'sqlite') }
    from.tables = from.tables.map((t) => ({ ...t, model: undefined, columns: t.columns.map((c) => ({ ...c, field: undefined })) }))
    const to = physicalOf('model User {\n  id: Int! @id\n  b: String?\n}\n', 'sqlite')
    expect(kinds((await diff(from, to, { renames: labelRenames(from, to) })).changes)).toEqual(['dropColumn users.a', 'addColumn users.b'])
    expect(kinds((await diff(from, to, { renames: labelRenames(from, to, () => 'rename') })).changes)).toEqual(['renameColumn users.a->b'])
  })
})
