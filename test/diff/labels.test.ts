/** Renames told by the schema's labels (`@map` / `@@map` changes keep data). */
import { describe, expect, it } from 'vitest'
import { labelRenames } from '../../src/diff/labels'
import { kinds, physicalOf } from './helpers'
import { diffOf } from '../helpers/dialects'

describe('labelRenames', () => {
  it('@map and @@map changes of a field or model that kept its name are renames', async () => {
    const from = physicalOf('model User {\n  id: Int! @id\n  lastSeen: String? @map("last_seen_at")\n}\n', 'postgres')
    const to = physicalOf('model User {\n  id: Int! @id\n  lastSeen: String? @map("seen_at")\n  @@map("accounts")\n}\n', 'postgres')
    expect(kinds((await diffOf(from, to, { renames: labelRenames(from, to) })).changes)).toEqual([
      'renameTable users->accounts',
      'renameColumn accounts.last_seen_at->seen_at',
    ])
  })

  it('without labels (an introspected side) it asks the fallback, else drops and adds', async () => {
    const from = { ...physicalOf('model User {\n  id: Int! @id\n  a: String?\n}\n', 'sqlite') }
    from.tables = from.tables.map((t) => ({ ...t, model: undefined, columns: t.columns.map((c) => ({ ...c, field: undefined })) }))
    const to = physicalOf('model User {\n  id: Int! @id\n  b: String?\n}\n', 'sqlite')
    expect(kinds((await diffOf(from, to, { renames: labelRenames(from, to) })).changes)).toEqual(['dropColumn users.a', 'addColumn users.b'])
    expect(kinds((await diffOf(from, to, { renames: labelRenames(from, to, () => 'rename') })).changes)).toEqual(['renameColumn users.a->b'])
  })
})
