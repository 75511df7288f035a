/**
 * Consent races: rows written while the question is on screen. The rows at risk are counted again under
 * the write lock, and rows nobody agreed to lose are asked about again; on PostgreSQL the question is
 * asked with no transaction open (nothing locked while a person reads it).
 */
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import type { Driver } from '../../src/dialects/index'
import { usePgDatabase } from '../helpers/pg'
import { syncAndCheck, syncProject } from './helpers'

const pgdb = await usePgDatabase()

const BEFORE = 'model User {\n  id: Int! @id\n  fax: String?\n}\n'
const AFTER = 'model User {\n  id: Int! @id\n}\n'

async function addUsers(driver: Driver, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) await driver.query(`INSERT INTO "users" ("id", "fax") VALUES ($1, $2)`, [i, `f${i}`])
}

async function scenario(url: string | undefined, whileAsked: (driver: Driver) => Promise<void> = async () => undefined) {
  const p = syncProject({ schema: BEFORE, ...(url ? { url } : {}) })
  await syncAndCheck(p)
  const driver = await p.open()
  await addUsers(driver, 1, 3)
  p.write(AFTER)
  const questions: string[] = []
  const result = await p.sync({
    confirm: async (question) => {
      questions.push(question)
      await whileAsked(driver)
      if (questions.length === 1) await addUsers(driver, 100, 2) // written while the first question is on screen
      return true
    },
  })
  return { questions, result, driver }
}

describe('SQLite', () => {
  it('rows written while the question is asked are counted under the write lock and asked about again', async () => {
    const { questions, result, driver } = await scenario(undefined)
    expect(questions).toHaveLength(2)
    expect(questions[0]).toContain('dropping column users.fax loses 3 non-null values')
    expect(questions[1]).toContain('dropping column users.fax loses 5 non-null values')
    expect(result.dataLoss.map((r) => r.count)).toEqual([5])
    expect((await driver.introspect()).tables.find((t) => t.name === 'users')!.columns.map((c) => c.name)).toEqual(['id'])
  })
})

describe(`PostgreSQL (${pgdb.mode})`, () => {
  it.runIf(pgdb.serverOnly('watching the locks of another session'))(
    'the question is asked with no transaction open and no lock held; rows written meanwhile are asked about again',
    async () => {
      await pgdb.reset()
      const seen: { inTransaction: number; locks: number }[] = []
      const { questions, result } = await scenario(pgdb.url, async () => {
        const watcher = new pg.Client({ connectionString: pgdb.url })
        await watcher.connect()
        try {
          const [row] = (
            await watcher.query<{ in_tx: string; locks: string }>(
              `SELECT (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'okra%' AND state LIKE 'idle in transaction%') AS in_tx,
                      (SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                        WHERE a.datname = current_database() AND a.application_name LIKE 'okra%' AND l.locktype IN ('relation', 'advisory')) AS locks`,
            )
          ).rows
          seen.push({ inTransaction: Number(row!.in_tx), locks: Number(row!.locks) })
        } finally {
          await watcher.end()
        }
      })
      expect(seen).toEqual([
        { inTransaction: 0, locks: 0 },
        { inTransaction: 0, locks: 0 },
      ])
      expect(questions[0]).toContain('dropping column users.fax loses 3 non-null values')
      expect(questions[1]).toContain('dropping column users.fax loses 5 non-null values')
      expect(result.dataLoss.map((r) => r.count)).toEqual([5])
    },
  )
})
