/**
 * Production faults on SQLite: a lock row taken from under a run (the run's next transaction refuses to
 * write), the ledger's plain INSERT catching a second application, a revert of a migration another run
 * already reverted, and a writer holding the file longer than the lock wait.
 */
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LockLostError, openDriver } from '../../src/dialects/index'
import { AlreadyRecordedError, ensureHistoryTable, insertHistoryRow, removeHistoryRow } from '../../src/migrations/history'
import { MIGRATION_LOCK } from '../../src/migrations/lock'
import { makeTempDir } from '../helpers/tmp'
import { consistency, countedProject, expectedFor, run } from './counted'

const row = { id: '20240101_000000_data', checksum: 'x', appliedAt: new Date().toISOString(), executionMs: 1, status: 'applied' as const, files: null }

describe('lock loss', () => {
  it('a transaction holding the migration lock refuses to start once the lock row is gone or belongs to another process', async () => {
    const file = join(makeTempDir('okra-faults-'), 'dev.db')
    const driver = await openDriver(`sqlite://${file}`)
    const other = new Database(file)
    try {
      await driver.lock(MIGRATION_LOCK, { timeoutMs: 1000 })
      let ran = 0
      await driver.transaction(async () => void ran++, { holding: MIGRATION_LOCK })
      expect(ran).toBe(1)

      other.prepare(`DELETE FROM "_okra_lock"`).run()
      const removed = await driver.transaction(async () => void ran++, { holding: MIGRATION_LOCK }).catch((e: unknown) => e)
      expect(removed).toBeInstanceOf(LockLostError)
      expect((removed as Error).message).toBe(`This process no longer holds the "migrate" lock on sqlite://${file}: its row in _okra_lock was removed.`)

      other.prepare(`INSERT INTO "_okra_lock" VALUES ('migrate', 4242, 'other-host', 'their-token', '2024-01-20T14:30:00.000Z')`).run()
      const taken = await driver.transaction(async () => void ran++, { holding: MIGRATION_LOCK }).catch((e: unknown) => e)
      expect((taken as Error).message).toContain('its row in _okra_lock now belongs to process 4242 on host other-host (since 2024-01-20T14:30:00.000Z)')
      expect(ran).toBe(1)
    } finally {
      other.close()
      await driver.close()
    }
  })

  it('the ledger row is a plain INSERT: recording a migration twice fails and rolls its data back; a second revert fails too', async () => {
    const driver = await openDriver(`sqlite://${join(makeTempDir('okra-faults-'), 'dev.db')}`)
    try {
      await ensureHistoryTable(driver)
      await driver.exec('CREATE TABLE "counters" ("id" TEXT NOT NULL)')
      const apply = () =>
        driver.transaction(async (tx) => {
          await tx.query(`INSERT INTO "counters" ("id") VALUES ('data')`)
          await insertHistoryRow(tx, row)
        })
      await apply()
      const second = await apply().catch((e: unknown) => e)
      expect(second).toBeInstanceOf(AlreadyRecordedError)
      expect((second as Error).message).toContain('is already recorded in _okra_migrations: another process applied it while this one was applying it too')
      expect(await driver.query('SELECT "id" FROM "counters"')).toEqual([{ id: 'data' }])

      await driver.transaction((tx) => removeHistoryRow(tx, row.id))
      const again = await driver.transaction((tx) => removeHistoryRow(tx, row.id)).catch((e: unknown) => e)
      expect((again as Error).message).toContain('is no longer recorded in _okra_migrations: another process reverted it')
    } finally {
      await driver.close()
    }
  })
})

describe('bounded waits', () => {
  it('a writer holding the file longer than --lock-wait 1: migrate:up exits 1 saying so; nothing applied', async () => {
    const p = await countedProject(1)
    const holder = new Database(join(p.root, 'dev.db'))
    holder.pragma('journal_mode = WAL')
    holder.exec('CREATE TABLE "busy" ("x" INTEGER)')
    holder.exec('BEGIN IMMEDIATE')
    try {
      const blocked = await run(p, ['migrate:up', '--lock-wait', '1', '--lock-timeout', '2']).done
      expect(blocked.code).toBe(1)
      expect(blocked.stderr).toContain('SQLITE_BUSY')
      expect(blocked.stderr).toContain('locked for writing longer than 1 s (the lock wait)')
      expect(blocked.stderr).toContain('--lock-wait S')
    } finally {
      holder.exec('ROLLBACK')
      holder.close()
    }
    expect(await consistency(p)).toEqual(expectedFor(p, []))
    const next = await run(p, ['migrate:up']).done
    expect(next.code, next.stderr).toBe(0)
    expect(await consistency(p)).toEqual(expectedFor(p, p.ids))
  })
})
