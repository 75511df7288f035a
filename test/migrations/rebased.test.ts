import { describe, expect, it } from 'vitest'
import { folderChecksum } from '../../src/migrations/checksum'
import type { MigrationFolder } from '../../src/migrations/folders'
import type { HistoryRow } from '../../src/migrations/history'
import { makeLedger } from '../../src/migrations/ledger'
import { rebasedAliases, rebasedFromOf } from '../../src/migrations/rebased'

function folder(id: string, rebasedFrom?: { id: string; schema: string }[]): MigrationFolder {
  const meta = { format: 1, parent: null, schema: 'a'.repeat(64), destroys: [], ...(rebasedFrom ? { rebasedFrom } : {}) }
  const contents = { 'schema.json': '{}', 'migration.json': JSON.stringify(meta) }
  return { id, dir: `/m/${id}`, shownDir: `migrations/${id}`, contents, ...folderChecksum(contents) }
}

const row = (id: string): HistoryRow => ({ id, checksum: 'x', appliedAt: '2024-01-01T00:00:00.000Z', executionMs: 1, status: 'applied', files: null })

describe('rebased migrations in the ledger', () => {
  const init = folder('20240101_000000_init')
  const sku = folder('20240102_000000_add_sku')
  const moved = folder('20240103_000000_add_weight', [
    { id: '20240102_000001_add_weight', schema: 'b'.repeat(64) },
    { id: '20240101_000002_add_weight', schema: 'c'.repeat(64) },
  ])

  it('reads the former names from migration.json; none without them or with a damaged file', () => {
    expect(rebasedFromOf(moved).map((r) => r.id)).toEqual(['20240102_000001_add_weight', '20240101_000002_add_weight'])
    expect(rebasedFromOf(sku)).toEqual([])
    expect(rebasedFromOf({ ...sku, contents: { 'migration.json': '{oops' } })).toEqual([])
  })

  it('a folder applied under a former name (of any earlier rebase) is neither pending nor its row missing', () => {
    for (const former of ['20240102_000001_add_weight', '20240101_000002_add_weight']) {
      const ledger = makeLedger([init, sku, moved], [row(init.id), row(former)])
      expect(ledger.rebased.map((a) => [a.folder.id, a.rows.map((r) => r.id)])).toEqual([[moved.id, [former]]])
      expect(ledger.pending.map((f) => f.id)).toEqual([sku.id])
      expect(ledger.missing).toEqual([])
    }
  })

  it('a folder applied under its own name is not an alias, and an unknown row stays missing', () => {
    expect(rebasedAliases([init, sku, moved], [row(moved.id), row('20240102_000001_add_weight')])).toEqual([])
    const ledger = makeLedger([init, sku, moved], [row(init.id), row('20240109_000000_other')])
    expect(ledger.rebased).toEqual([])
    expect(ledger.missing.map((r) => r.id)).toEqual(['20240109_000000_other'])
    expect(ledger.pending.map((f) => f.id)).toEqual([sku.id, moved.id])
  })
})
