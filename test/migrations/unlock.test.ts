/**
 * A stale migration lock: a SQLite lock row left by a process on another host (a replaced container)
 * blocks every run with a true message (holder, host, since when) and `okra migrate:unlock` clears it,
 * asking at a terminal, `--force` without one. On PostgreSQL the lock is a session advisory lock: unlock
 * names the session holding it and how to end it.
 */
import { hostname } from 'node:os'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { main } from '../../src/cli'
import { openDriver } from '../../src/dialects/index'
import { MIGRATION_LOCK } from '../../src/migrations/lock'
import { capture } from '../cli/capture'
import { okraProcess, okraProcessAsync } from '../helpers/okra-process'
import { usePgDatabase } from '../helpers/pg'
import { makeProject } from './project'

const pgdb = await usePgDatabase()
const SCHEMA = 'model User {\n  id: Int! @id\n  email: String!\n}\n'
const SINCE = '2026-01-02T03:04:05.000Z'

/** A SQLite project with one pending migration and the lock row a process on `host` left behind. */
async function staleLock(host = 'old-container-7f3a', pid = 4242) {
  const p = makeProject({ schema: SCHEMA })
  await p.snapshot('init')
  const driver = await p.open()
  await driver.exec(`CREATE TABLE "_okra_lock" ("key" TEXT NOT NULL PRIMARY KEY, "pid" INTEGER NOT NULL, "host" TEXT NOT NULL, "token" TEXT NOT NULL, "acquired_at" TEXT NOT NULL)`)
  await driver.query(`INSERT INTO "_okra_lock" VALUES ('migrate', $1, $2, 'token-1', $3)`, [pid, host, SINCE])
  await driver.close()
  const lockRows = async () => {
    const d = await p.open()
    try {
      return await d.query<{ pid: number }>(`SELECT "pid" FROM "_okra_lock"`)
    } finally {
      await d.close()
    }
  }
  return { p, lockRows, run: (...argv: string[]) => okraProcess(argv, { cwd: p.root }) }
}

/** `okra ...argv` in-process with stdin a terminal answering `answer`. */
async function atTerminal(root: string, answer: string, ...argv: string[]) {
  const stdout = capture()
  const stderr = capture()
  const code = await main(argv, { cwd: root, env: {}, stdout, stderr, stdin: Readable.from([answer + '\n']), stdinIsTTY: true })
  return { code, stdout: stdout.text, stderr: stderr.text }
}

describe('a stale SQLite lock row from another host', () => {
  it('blocks migrate:up with a true message: holder, host, since when, and how to clear it', async () => {
    const { run } = await staleLock()
    const up = run('migrate:up', '--lock-timeout', '1')
    expect(up.code).toBe(1)
    expect(up.stderr).toContain(`process 4242 on host old-container-7f3a holds it (since ${SINCE})`)
    expect(up.stderr).toContain('okra migrate:unlock')
    expect(up.stderr).not.toContain('taken over automatically')
  })

  it('migrate:unlock without a terminal needs --force, and leaves the row', async () => {
    const { run, lockRows } = await staleLock()
    const unlock = run('migrate:unlock')
    expect(unlock.code).toBe(1)
    expect(unlock.stderr).toContain('there is no terminal to ask')
    expect(unlock.stderr).toContain('process 4242 on host old-container-7f3a')
    expect(unlock.stderr).toContain('--force')
    expect(await lockRows()).toEqual([{ pid: 4242 }])
  })

  it('migrate:unlock at a terminal asks: no keeps the row, yes removes it', async () => {
    const { p, lockRows } = await staleLock()
    const no = await atTerminal(p.root, 'n', 'migrate:unlock')
    expect(no.code).toBe(1)
    expect(no.stderr).toContain('Remove the migration lock of sqlite://')
    expect(no.stderr).toContain('Unlock cancelled')
    expect(await lockRows()).toEqual([{ pid: 4242 }])
    const yes = await atTerminal(p.root, 'y', 'db:migrate:unlock')
    expect(yes.code).toBe(0)
    expect(yes.stdout).toContain('Removed the migration lock')
    expect(await lockRows()).toEqual([])
  })

  it('migrate:unlock --force removes it; migrate:up then applies; unlocking again finds nothing', async () => {
    const { run, lockRows } = await staleLock()
    const unlock = run('db:migrate:unlock', '--force', '--json')
    expect(unlock.code).toBe(0)
    expect(JSON.parse(unlock.stdout)).toMatchObject({ ok: true, cleared: true, holder: { kind: 'row', pid: 4242, host: 'old-container-7f3a', since: SINCE } })
    expect(await lockRows()).toEqual([])
    expect(run('migrate:up').code).toBe(0)
    const again = run('migrate:unlock', '--force')
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('No migration lock is held')
  })

  it('migrate:unlock refuses a lock whose holder runs on this host', async () => {
    // This test process is alive on this host.
    const { run, lockRows } = await staleLock(hostname(), process.pid)
    const unlock = run('migrate:unlock', '--force')
    expect(unlock.code).toBe(1)
    expect(unlock.stderr).toContain(`process ${process.pid} on host ${hostname()}`)
    expect(unlock.stderr).toContain('running on this host: not removed')
    expect(await lockRows()).toEqual([{ pid: process.pid }])
  })
})

describe('migrate:unlock on PostgreSQL', () => {
  it.runIf(pgdb.serverOnly('a lock held by another session'))('names the session holding the advisory lock and how to end it', async () => {
    await pgdb.reset()
    const p = makeProject({ url: pgdb.url, schema: SCHEMA })
    await p.snapshot('init')
    const holder = await openDriver(pgdb.url)
    await holder.lock(MIGRATION_LOCK, { timeoutMs: 1000 })
    const [{ pid }] = await holder.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = 'okra-lock' AND datname = current_database()`)
    try {
      const unlock = await okraProcessAsync(['migrate:unlock', '--force'], { cwd: p.root })
      expect(unlock.code).toBe(1)
      expect(unlock.stderr).toContain(`held by PostgreSQL session ${pid} (application "okra-lock"`)
      expect(unlock.stderr).toContain('released when that session ends')
      expect(unlock.stderr).toContain(`SELECT pg_terminate_backend(${pid});`)
      // Doing what the hint says frees it.
      await holder.query('SELECT pg_terminate_backend($1)', [pid])
      expect((await okraProcessAsync(['migrate:up', '--lock-timeout', '5'], { cwd: p.root })).code).toBe(0)
      const none = await okraProcessAsync(['migrate:unlock'], { cwd: p.root })
      expect(none.code).toBe(0)
      expect(none.stdout).toContain('No migration lock is held')
    } finally {
      await holder.close()
    }
  })
})
