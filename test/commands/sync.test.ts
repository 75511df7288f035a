import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { main } from '../../src/cli'
import { printSyncResult } from '../../src/commands/sync'
import { sync } from '../../src/sync/sync'
import { watchSync } from '../../src/sync/watch'
import { createTerminal } from '../../src/terminal'
import { capture, okra } from '../cli/capture'
import { usePgDatabase } from '../helpers/pg'
import { count, syncAndCheck, syncProject } from '../sync/helpers'

const pgdb = await usePgDatabase()

const V1 = 'model User {\n  id: Int! @id @default(autoincrement)\n  name: String!\n}\n'
const V2 = 'model User {\n  id: Int! @id @default(autoincrement)\n  name: String!\n  phone: String?\n}\n'

/** Runs the CLI as if at a terminal, answering its questions with `answers`. */
async function atTerminal(argv: string[], cwd: string, answers: string) {
  const stdin = new PassThrough()
  stdin.end(answers)
  const stdout = capture()
  const stderr = capture()
  const code = await main(argv, { cwd, env: {}, stdout, stderr, stdin, stdinIsTTY: true })
  return { code, stdout: stdout.text, stderr: stderr.text }
}

describe('okra db:sync', () => {
  it('prints one line per change, then the masked URL and the time, then the types it wrote; then "Already in sync"', async () => {
    const p = syncProject({ schema: V1 })
    const first = await okra(['db:sync'], { cwd: p.root })
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/^\+ Added model 'User'\n✓ Synced sqlite:\/\/\/.*\/dev\.db in \d+ ms\n✓ Wrote generated\/models\.ts\n$/)
    p.write(V2)
    const second = await okra(['db:sync'], { cwd: p.root })
    expect(second.stdout).toMatch(/^\+ Added field 'phone' to User\n✓ Synced /)
    expect(await okra(['db:sync'], { cwd: p.root })).toMatchObject({ code: 0, stdout: expect.stringMatching(/^✓ Already in sync \(sqlite:\/\/.*\)\n$/), stderr: '' })
  })

  it('shows progress for a long sync (at most 10 plain lines without a terminal), none for a short one', async () => {
    const many = Array.from({ length: 60 }, (_, i) => `model M${i} {\n  id: Int! @id\n}\n`).join('')
    const p = syncProject({ schema: many })
    const long = await okra(['db:sync'], { cwd: p.root })
    expect(long.code).toBe(0)
    const lines = long.stderr.split('\n').filter((line) => line.startsWith('Applying ['))
    expect(lines.length).toBeGreaterThan(1)
    expect(lines.length).toBeLessThanOrEqual(10)
    expect(lines.at(-1)).toMatch(/^Applying \[\d+\/10\] (\d+) of \1 statements$/)
    p.write(many + V1)
    expect((await okra(['db:sync'], { cwd: p.root })).stderr).not.toContain('Applying [')
  })

  it('--json: one document with the changes and the statements', async () => {
    const p = syncProject({ schema: V1 })
    const r = await okra(['db:sync', '--json'], { cwd: p.root })
    const doc = JSON.parse(r.stdout)
    expect(doc).toMatchObject({ ok: true, applied: true, provider: 'sqlite', changes: ["+ Added model 'User'"], source: 'introspection', repair: null, backup: null })
    expect(doc.statements).toEqual([expect.stringMatching(/^CREATE TABLE "users"/)])
  })

  it('a schema error: exit 1 with the diagnostics, nothing synced', async () => {
    const p = syncProject({ schema: 'model User {\n  id: Int! @id\n  name: Strin!\n}\n' })
    const r = await okra(['db:sync'], { cwd: p.root })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("models.okra.gql:3:9: error: Unknown type 'Strin'")
  })

  it('a stale rename hint is a warning on stderr; the sync goes on', async () => {
    const p = syncProject({ schema: V1 })
    await p.sync()
    p.write(V2.replace('phone: String?', 'phone: String? @renamed(from: "mobile")'))
    const r = await okra(['db:sync'], { cwd: p.root })
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/^warning: @renamed\(from: "mobile"\) on field User\.phone: nothing by that name exists/)
  })

  it('at a terminal: asks whether a vanished column was renamed, and asks before losing data', async () => {
    const p = syncProject({ schema: V2 })
    await p.sync()
    const driver = await p.open()
    await driver.query(`INSERT INTO users (name, phone) VALUES ('ada', '555')`)
    p.write(V2.replace('phone: String?', 'mobile: String?'))
    const renamed = await atTerminal(['db:sync'], p.root, '1\n')
    expect(renamed.stderr).toContain("Column 'phone' of table 'users' is gone and 'mobile' is new: was it renamed")
    expect(renamed.stdout).toMatch(/^~ Renamed field 'phone' to 'mobile' on User\n/)
    expect(await driver.query('SELECT mobile FROM users')).toEqual([{ mobile: '555' }])
    p.write(V1)
    const dropped = await atTerminal(['db:sync'], p.root, 'y\n')
    expect(dropped.stderr).toContain("- Removed field 'mobile' from User: dropping column users.mobile loses 1 non-null value\nApply them anyway? [y/N]")
    expect(dropped.code).toBe(0)
    expect(await p.drift(driver)).toEqual([])
  })

  it('--watch syncs again when the schema file changes (a thin loop over sync)', async () => {
    const p = syncProject({ schema: V1 })
    const out = capture()
    const err = capture()
    const terminal = createTerminal({ stdout: out, stderr: err, stdinIsTTY: false, env: {} })
    const controller = new AbortController()
    const outcomes: string[] = []
    const options = { cwd: p.root, processEnv: {} }
    const done = watchSync({
      project: options,
      sync: () => sync(options),
      print: (result) => printSyncResult(result, terminal),
      terminal,
      signal: controller.signal,
      onRun: (outcome) => {
        outcomes.push(outcome instanceof Error ? outcome.message : outcome.summaries.join(', '))
        if (outcomes.length === 1) setTimeout(() => p.write(V2), 50)
        if (outcomes.length === 2) controller.abort()
      },
    })
    expect(await done).toEqual({ watched: true, runs: 2, failures: 0 })
    expect(outcomes).toEqual(["+ Added model 'User'", "+ Added field 'phone' to User"])
    expect(out.text).toContain("+ Added field 'phone' to User\n✓ Synced")
  })

  it('two syncs of one SQLite file at once: one applies, the other plans again and finds nothing to do', async () => {
    const p = syncProject({ schema: V1 })
    await p.sync()
    p.write(V2)
    const results = await Promise.all([p.sync(), p.sync()])
    expect(results.map((r) => r.applied).sort()).toEqual([false, true])
    expect(await p.drift()).toEqual([])
  })
})

describe('a SQLite sync whose database moves between its plan and its write', () => {
  it('notices (the write transaction re-reads _okra_state and the fingerprint) and plans again', async () => {
    const p = syncProject({ schema: V2 })
    await p.sync()
    const other = await p.open()
    await other.query(`INSERT INTO users (name, phone) VALUES ('ada', '555')`)
    p.write(V1)
    const questions: string[] = []
    const logs: string[] = []
    const result = await p.sync({
      log: (l) => logs.push(l),
      confirm: async (question) => {
        questions.push(question)
        // Another process changes the database while this sync waits for its answer.
        if (questions.length === 1) await other.query('ALTER TABLE users ADD COLUMN "other" TEXT')
        return true
      },
    })
    expect(questions).toHaveLength(2)
    expect(logs).toEqual(['Reading the database instead of migrations/current/schema.json: the database was changed outside OKRA since the last sync.'])
    expect(result.summaries).toEqual(["- Removed field 'phone' from User", "- Removed field 'other' from User"])
    expect(await p.drift(other)).toEqual([])
  })
})

describe(`okra db:sync on PostgreSQL (${pgdb.mode})`, () => {
  it('never prints the password', async () => {
    await pgdb.reset()
    const url = new URL(pgdb.url)
    url.password = 's3cret-pw'
    const p = syncProject({ schema: V1, url: url.toString() })
    const r = await okra(['db:sync'], { cwd: p.root })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(':***@')
    expect(r.stdout + r.stderr).not.toContain('s3cret-pw')
  })

  it.runIf(pgdb.serverOnly('two syncs at once'))('two syncs at once (two projects, one database) take turns on the advisory lock', async () => {
    await pgdb.reset()
    const p = syncProject({ schema: V1, url: pgdb.url })
    await syncAndCheck(p)
    const driver = await p.open()
    await driver.query(`INSERT INTO users (name) VALUES ('ada')`)
    // Another checkout of the project, reaching the same database by another URL: no in-process queue between them.
    const url = new URL(pgdb.url)
    url.searchParams.set('application_name', 'other-checkout')
    const other = syncProject({ schema: V2, url: url.toString() })
    p.write(V2)
    const results = await Promise.all([p.sync(), other.sync(), p.sync(), other.sync()])
    expect(results.filter((r) => r.applied)).toHaveLength(1)
    expect(await p.drift(driver)).toEqual([])
    expect(await count(driver, 'users')).toBe(1)
  })
})
