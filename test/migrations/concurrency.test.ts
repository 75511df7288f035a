/**
 * Many processes at once, as replicas starting together run them: the built CLI (`dist/okra.cjs`, built by
 * `npm test` / `npx tsup`) spawned several times on one database. Each migration must be applied exactly
 * once, every process must succeed, a lock held elsewhere must time out naming its holder, and a run killed
 * half way must leave a database the next run completes.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { openDriver } from '../../src/dialects/index'
import { readHistory } from '../../src/migrations/history'
import { MIGRATION_LOCK } from '../../src/migrations/lock'
import { usePgDatabase } from '../helpers/pg'
import { STEPS, type TestProject, makeProject } from './project'

const pgdb = await usePgDatabase()
const CLI = fileURLToPath(new URL('../../dist/okra.cjs', import.meta.url))

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/okra.cjs is missing: these tests run the built CLI; build it first (npx tsup, or npm test)')
})

interface Run {
  child: ChildProcess
  stderr: () => string
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }>
}

function okra(args: string[], cwd: string): Run {
  const started = Date.now()
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', OKRA_ENV: '' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk) => (stdout += chunk))
  child.stderr!.on('data', (chunk) => (stderr += chunk))
  const done = new Promise<Awaited<Run['done']>>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started })),
  )
  return { child, stderr: () => stderr, done }
}

async function waitForOutput(run: Run, pattern: RegExp, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!pattern.test(run.stderr())) {
    if (Date.now() > deadline) throw new Error(`no ${pattern} in: ${run.stderr()}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/**
 * A project with the five STEPS migrations as reviewed SQL files, each of which also writes its id into
 * `apply_log`: a migration applied twice would log twice (or fail on its CREATE TABLE).
 */
async function loggedProject(url: string | undefined): Promise<TestProject & { ids: string[] }> {
  const probe = makeProject({ url })
  const provider = url?.startsWith('postgres') ? 'postgres' : 'sqlite'
  const p = makeProject({ url: url ?? probe.url, config: { database: { provider, url: url ?? probe.url, schemas: ['./models.okra.gql'], migrations: { generateSQL: true } } } })
  for (const step of STEPS) {
    p.schema(step.schema)
    await p.snapshot(step.name)
  }
  const ids = p.migrations()
  for (const [i, id] of ids.entries()) {
    const file = `migrations/${id}/migration.sql`
    const create = i === 0 ? 'CREATE TABLE "apply_log" ("id" TEXT NOT NULL);\n' : ''
    const log = `INSERT INTO "apply_log" ("id") VALUES ('${id}');\n`
    // Before SQLite's closing PRAGMA foreign_keys = ON, which must stay last (it runs outside the transaction).
    const script = p.read(file).replace(/(PRAGMA foreign_keys = ON;\n)?$/, (pragma) => log + pragma)
    p.write(file, create + script)
  }
  return Object.assign(p, { ids })
}

async function appliedCounts(p: TestProject): Promise<{ log: Record<string, number>; history: string[] }> {
  const driver = await p.open()
  try {
    const rows = await driver.query<{ id: string; n: number | string }>('SELECT "id", COUNT(*) AS "n" FROM "apply_log" GROUP BY "id" ORDER BY "id"')
    const history = (await readHistory(driver)).map((r) => `${r.id} ${r.status}`)
    return { log: Object.fromEntries(rows.map((r) => [r.id, Number(r.n)])), history }
  } finally {
    await driver.close()
  }
}

async function startedTogether(p: TestProject, count: number) {
  const runs = Array.from({ length: count }, () => okra(['migrate:up', '--json'], p.root))
  const results = await Promise.all(runs.map((r) => r.done))
  for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 })
  const applied = results.map((r) => (JSON.parse(r.stdout) as { applied: { id: string }[] }).applied.map((m) => m.id))
  return applied.flat().sort()
}

describe('PostgreSQL', () => {
  it.runIf(pgdb.serverOnly('8 concurrent migrate:up processes'))('8 processes started together: all exit 0, each migration applied exactly once', async () => {
    await pgdb.reset()
    const p = await loggedProject(pgdb.url)
    expect(await startedTogether(p, 8)).toEqual(p.ids)
    const { log, history } = await appliedCounts(p)
    expect(log).toEqual(Object.fromEntries(p.ids.map((id) => [id, 1])))
    expect(history).toEqual(p.ids.map((id) => `${id} applied`))
  })

  it.runIf(pgdb.serverOnly('lock contention between sessions'))(
    'with the lock held elsewhere, --lock-timeout 5 exits 1 after about 5 s naming the holder',
    async () => {
      await pgdb.reset()
      const p = await loggedProject(pgdb.url)
      const holder = await openDriver(pgdb.url)
      const release = await holder.lock(MIGRATION_LOCK, { timeoutMs: 1000 })
      const [{ pid }] = await holder.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = 'okra-lock' AND datname = current_database()`)
      try {
        const run = await okra(['migrate:up', '--lock-timeout', '5'], p.root).done
        expect(run.code).toBe(1)
        expect(run.ms).toBeGreaterThanOrEqual(4500)
        // It gave up instead of waiting on: a generous bound, as a loaded machine starts processes slowly.
        expect(run.ms).toBeLessThan(30_000)
        expect(run.stderr).toContain(`within 5 s: backend pid ${pid} holds it`)
      } finally {
        await release()
        await holder.close()
      }
      expect((await okra(['migrate:up', '--lock-timeout', '1'], p.root).done).code).toBe(0)
    },
  )

  it.runIf(pgdb.serverOnly('a killed session giving its lock back'))(
    'a run SIGKILLed in a long migration frees the lock at once; the next run completes it and the database is consistent',
    async () => {
      await pgdb.reset()
      const p = await loggedProject(pgdb.url)
      const slow = `migrations/${p.ids[1]}/migration.sql`
      p.write(slow, p.read(slow).replace(/;\n/, ';\nSELECT pg_sleep(2.5);\n'))
      const victim = okra(['migrate:up'], p.root)
      await waitForOutput(victim, new RegExp(`Applied \\[1/5\\] ${p.ids[0]}`))
      await new Promise((resolve) => setTimeout(resolve, 400))
      victim.child.kill('SIGKILL')
      expect((await victim.done).signal).toBe('SIGKILL')
      expect(victim.stderr()).not.toContain('[2/5]') // killed inside the long migration

      const next = await okra(['migrate:up', '--lock-timeout', '1'], p.root).done
      expect(next.code, next.stderr).toBe(0)
      const { log, history } = await appliedCounts(p)
      expect(log).toEqual(Object.fromEntries(p.ids.map((id) => [id, 1])))
      expect(history).toEqual(p.ids.map((id) => `${id} applied`))
      const status = await okra(['migrate:status'], p.root).done
      expect(status.stdout).toContain("+ Added model 'apply_log'") // the only drift: the test's own log table
      expect(status.stdout.match(/^ {2}[+~-] /gm)).toHaveLength(1)
    },
  )
})

describe('SQLite', () => {
  it('4 processes started together: all exit 0, each migration applied exactly once', async () => {
    const p = await loggedProject(undefined)
    expect(await startedTogether(p, 4)).toEqual(p.ids)
    const { log, history } = await appliedCounts(p)
    expect(log).toEqual(Object.fromEntries(p.ids.map((id) => [id, 1])))
    expect(history).toEqual(p.ids.map((id) => `${id} applied`))
  })

  it('with the lock held by a live process, --lock-timeout 1 exits 1 naming its pid', async () => {
    const p = await loggedProject(undefined)
    const holder = await p.open()
    const release = await holder.lock(MIGRATION_LOCK, { timeoutMs: 1000 })
    try {
      const run = await okra(['migrate:up', '--lock-timeout', '1'], p.root).done
      expect(run.code).toBe(1)
      expect(run.ms).toBeGreaterThanOrEqual(900)
      expect(run.stderr).toContain(`within 1 s: process ${process.pid} holds it`)
    } finally {
      await release()
      await holder.close()
    }
  })

  it('a run SIGKILLed in a long migration: the next run takes the lock over at once and completes it', async () => {
    const p = await loggedProject(undefined)
    const slow = `migrations/${p.ids[1]}/migration.sql`
    const rows = 'INSERT INTO "apply_log" ("id") WITH RECURSIVE "n"("i") AS (SELECT 1 UNION ALL SELECT "i" + 1 FROM "n" WHERE "i" < 3000000) SELECT \'filler\' FROM "n";\n'
    p.write(slow, p.read(slow).replace(/;\n/, `;\n${rows}`))
    const victim = okra(['migrate:up'], p.root)
    await waitForOutput(victim, new RegExp(`Applied \\[1/5\\] ${p.ids[0]}`))
    await new Promise((resolve) => setTimeout(resolve, 300))
    victim.child.kill('SIGKILL')
    expect((await victim.done).signal).toBe('SIGKILL')
    expect(victim.stderr()).not.toContain('[2/5]') // killed inside the long migration

    const next = await okra(['migrate:up', '--lock-timeout', '1'], p.root).done
    expect(next.code, next.stderr).toBe(0)
    const { log, history } = await appliedCounts(p)
    expect(log).toEqual({ ...Object.fromEntries(p.ids.map((id) => [id, 1])), filler: 3_000_000 })
    expect(history).toEqual(p.ids.map((id) => `${id} applied`))
  })
})
