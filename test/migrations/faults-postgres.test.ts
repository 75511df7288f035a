/**
 * Production faults on the real PostgreSQL server, run as an operator would (the built CLI as a whole
 * process): a lock session the server ends (idle_session_timeout) while two runs overlap, a lock session
 * killed mid-run, a psql session holding a table (the lock wait runs out and names it), a statement
 * timeout, and the ledger's plain INSERT catching a second application.
 */
import pg from 'pg'
import { beforeEach, describe, expect, it } from 'vitest'
import { openDriver } from '../../src/dialects/index'
import { AlreadyRecordedError, ensureHistoryTable, insertHistoryRow } from '../../src/migrations/history'
import { usePgDatabase } from '../helpers/pg'
import { consistency, countedProject, expectedFor, run, waitFor } from './counted'

const pgdb = await usePgDatabase()
const dbName = decodeURIComponent(new URL(pgdb.url).pathname.slice(1))

async function admin<T>(fn: (client: pg.Client) => Promise<T>, applicationName = 'okra-test'): Promise<T> {
  const client = new pg.Client({ connectionString: pgdb.url, application_name: applicationName })
  client.on('error', () => undefined)
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

beforeEach(() => pgdb.reset())

describe('lock loss', () => {
  it.runIf(pgdb.serverOnly('idle_session_timeout on the lock session with two overlapping runs'))(
    "idle_session_timeout = '1s': two migrate:up started 0.7 s apart apply the sleeping data migration exactly once",
    async () => {
      const p = await countedProject(2, pgdb.url, (i) => (i === 1 ? 'SELECT pg_sleep(3);\n' : ''))
      await admin((c) => c.query(`ALTER DATABASE "${dbName}" SET idle_session_timeout = '1s'`))
      try {
        const first = run(p, ['migrate:up'])
        await new Promise((resolve) => setTimeout(resolve, 700))
        const second = run(p, ['migrate:up'])
        const results = await Promise.all([first.done, second.done])
        for (const r of results) expect(r.code, r.stderr).toBe(0)
        expect(results.map((r) => (r.stdout.match(/^✓ /gm) ?? []).length).sort()).toEqual([0, 2])
      } finally {
        await admin((c) => c.query(`ALTER DATABASE "${dbName}" RESET idle_session_timeout`))
      }
      expect(await consistency(p)).toEqual(expectedFor(p, p.ids))
    },
  )

  it.runIf(pgdb.serverOnly('ending the lock session of a running migrate:up'))(
    'the lock session ended mid-migration: the run stops saying so, rolled back, and the next run applies it once',
    async () => {
      const p = await countedProject(3, pgdb.url, (i) => (i === 1 ? 'SELECT pg_sleep(2);\n' : ''))
      const victim = run(p, ['migrate:up'])
      await waitFor(() => victim.stderr().includes(`[1/3] ${p.ids[0]}`), 'the first migration')
      await admin(async (c) => {
        const ended = await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'okra-lock' AND datname = current_database()`)
        expect(ended.rowCount).toBe(1)
      })
      const stopped = await victim.done
      expect(stopped.code).toBe(1)
      expect(stopped.stderr).toContain(`Migration ${p.ids[1]} stopped: This process no longer holds the "migrate" lock`)
      expect(stopped.stderr).toContain('the session holding it ended')
      expect(stopped.stderr).toContain('It was rolled back')
      expect(stopped.stderr).not.toMatch(/\n\s+at /) // no stack trace
      expect(await consistency(p)).toEqual(expectedFor(p, p.ids.slice(0, 1)))

      const next = await run(p, ['migrate:up']).done
      expect(next.code, next.stderr).toBe(0)
      expect(await consistency(p)).toEqual(expectedFor(p, p.ids))
    },
  )

  it('the ledger row is a plain INSERT: recording a migration twice fails, and its transaction (data included) rolls back', async () => {
    const driver = await openDriver(pgdb.url)
    try {
      await ensureHistoryTable(driver)
      await driver.exec('CREATE TABLE "counters" ("id" TEXT NOT NULL)')
      const row = { id: '20240101_000000_data', checksum: 'x', appliedAt: new Date().toISOString(), executionMs: 1, status: 'applied' as const, files: null }
      const apply = () =>
        driver.transaction(async (tx) => {
          await tx.query(`INSERT INTO "counters" ("id") VALUES ('data')`)
          await insertHistoryRow(tx, row)
        })
      await apply()
      const second = await apply().catch((e: unknown) => e)
      expect(second).toBeInstanceOf(AlreadyRecordedError)
      expect((second as Error).message).toContain('Migration 20240101_000000_data is already recorded in _okra_migrations: another process applied it')
      expect((second as Error).message).toContain('rolled back')
      expect(await driver.query('SELECT "id" FROM "counters"')).toEqual([{ id: 'data' }])
    } finally {
      await driver.close()
    }
  })
})

describe('bounded waits', () => {
  /** A psql-like session: `BEGIN; SELECT * FROM items;` left open, holding its lock on the table. */
  async function holdItems(): Promise<{ pid: number; end(): Promise<void> }> {
    const client = new pg.Client({ connectionString: pgdb.url, application_name: 'psql' })
    client.on('error', () => undefined)
    await client.connect()
    const [row] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows
    await client.query('BEGIN')
    await client.query('SELECT * FROM items;')
    return { pid: row!.pid, end: async () => (await client.query('ROLLBACK'), await client.end()) }
  }

  it.runIf(pgdb.serverOnly('a second session holding a table lock'))(
    'a session in BEGIN; SELECT * FROM items; makes migrate:up --lock-wait 2 exit 1 naming it; nothing applied; it applies once the session ends',
    async () => {
      const p = await countedProject(2, pgdb.url)
      expect((await run(p, ['migrate:up', '--steps', '1']).done).code).toBe(0)
      const blocker = await holdItems()
      try {
        const blocked = await run(p, ['migrate:up', '--lock-wait', '2']).done
        expect(blocked.code).toBe(1)
        expect(blocked.ms).toBeLessThan(15_000) // not forever: the 2 s wait plus the process
        expect(blocked.stderr).toContain(`Migration ${p.ids[1]} failed`)
        expect(blocked.stderr).toContain('canceling statement due to lock timeout')
        expect(blocked.stderr).toContain(`It waited 2 s (the lock wait) for a lock held by session pid ${blocker.pid} (application "psql"`)
        expect(blocked.stderr).toContain('idle in transaction since ')
        expect(blocked.stderr).toContain('its last query "SELECT * FROM items;"')
        expect(blocked.stderr).toContain(`SELECT pg_terminate_backend(${blocker.pid});`)
        expect(blocked.stderr).toContain('--lock-wait S')
        expect(blocked.stderr).toContain('It was rolled back')
      } finally {
        await blocker.end()
      }
      expect(await consistency(p)).toEqual(expectedFor(p, p.ids.slice(0, 1)))
      const next = await run(p, ['migrate:up']).done
      expect(next.code, next.stderr).toBe(0)
      expect(await consistency(p)).toEqual(expectedFor(p, p.ids))
    },
  )

  it.runIf(pgdb.serverOnly('a second session holding a table lock'))(
    'db:sync, db:reset and migrate:down stop too, naming the session; lockWait in okra.config.json sets the wait',
    async () => {
      const p = await countedProject(2, pgdb.url)
      expect((await run(p, ['migrate:up', '--steps', '1']).done).code).toBe(0)
      // The counted migration's SQL is hand-written (its counter row): migrate:down needs its down.sql.
      p.write(`migrations/${p.ids[0]}/down.sql`, 'DROP TABLE "items";\nDROP TABLE "counters";\n')
      const config = JSON.parse(p.read('okra.config.json'))
      p.write('okra.config.json', JSON.stringify({ ...config, database: { ...config.database, lockWait: 1 } }))
      const blocker = await holdItems()
      try {
        const sync = await run(p, ['db:sync', '--accept-data-loss']).done
        expect(sync.code).toBe(1)
        expect(sync.stderr).toContain(`It waited 1 s (the lock wait) for a lock held by session pid ${blocker.pid} (application "psql"`)
        const reset = await run(p, ['db:reset', '--force']).done
        expect(reset.code).toBe(1)
        expect(reset.stderr).toContain(`for a lock held by session pid ${blocker.pid}`)
        const down = await run(p, ['migrate:down', '--force']).done
        expect(down.code).toBe(1)
        expect(down.stderr).toContain(`Reverting migration ${p.ids[0]} failed`)
        expect(down.stderr).toContain(`for a lock held by session pid ${blocker.pid}`)
      } finally {
        await blocker.end()
      }
      expect(await consistency(p)).toEqual(expectedFor(p, p.ids.slice(0, 1)))
    },
  )

  it.runIf(pgdb.serverOnly('statement_timeout', 'PGlite cannot cancel a running statement'))('--statement-timeout 1 stops a statement that runs longer, saying which bound it hit; nothing applied', async () => {
    const p = await countedProject(1, pgdb.url, () => 'SELECT pg_sleep(3);\n')
    const slow = await run(p, ['migrate:up', '--statement-timeout', '1']).done
    expect(slow.code).toBe(1)
    expect(slow.stderr).toContain('canceling statement due to statement timeout')
    expect(slow.stderr).toContain('It ran longer than the statement timeout (1 s) and was cancelled.')
    expect(slow.stderr).toContain('--statement-timeout S')
    expect(await consistency(p)).toEqual(expectedFor(p, []))
  })

  it('rejects a negative --lock-wait as bad usage (exit 64)', async () => {
    const p = await countedProject(1, pgdb.url)
    const bad = await run(p, ['migrate:up', '--lock-wait', '-1']).done
    expect(bad.code).toBe(64)
    expect(bad.stderr).toContain('--lock-wait expects seconds (0 or more), got -1')
  })
})
