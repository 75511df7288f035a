/**
 * `okra dev --ui`: the dev panel on a port of its own, for projects without a Vite, webpack or Rspack dev
 * server; the whole built CLI as users run it, then `dev()` itself for what it says and shows: the
 * question of `autoSync: 'ask'` with and without a panel, and a PostgreSQL URL whose password never
 * reaches the page.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { dev } from '../../src/commands/dev'
import type { PanelState } from '../../src/panel/protocol'
import { usePgDatabase } from '../helpers/pg'
import { canonicalJSON } from '../../src/schema/canonical'
import { compileSchema } from '../../src/schema/compile'
import { makeTempDir } from '../helpers/tmp'
import { USER_SCHEMA, captureLogger, nextEvent, sqliteColumns, waitFor, withField, writeDevProject } from '../plugin/project'
import { writeSnapshotHistory } from '../helpers/history'

const CLI = fileURLToPath(new URL('../../dist/okra.cjs', import.meta.url))

async function state(url: string): Promise<PanelState> {
  const response = await fetch(`${url}api/state`)
  expect(response.status).toBe(200)
  return (await response.json()) as PanelState
}

/** What the panel's own page sends with a decision: its origin and its token. */
async function decide(url: string, id: string, decision: 'apply' | 'keep'): Promise<Response> {
  const page = await (await fetch(url)).text()
  const token = /<meta name="okra-token" content="([^"]+)">/.exec(page)![1]!
  return fetch(`${url}api/consent`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: new URL(url).origin, 'x-okra-token': token },
    body: JSON.stringify({ id, decision }),
  })
}

describe('okra dev --ui', () => {
  it('serves the panel on 127.0.0.1, prints its URL once, and stops on Ctrl-C', async () => {
    if (!existsSync(CLI)) throw new Error('dist/okra.cjs is missing: this test runs the built CLI (npm run build)')
    const root = makeTempDir()
    writeDevProject(root)
    const child = spawn(process.execPath, [CLI, 'dev', '--ui', '--port', '0'], { cwd: root, env: { ...process.env, NO_COLOR: '1', OKRA_ENV: '' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      const line = await waitFor('the panel URL', () => /^\[okra\] dev panel: (http:\/\/127\.0\.0\.1:\d+\/__okra\/)$/m.exec(stderr) ?? undefined)
      const url = line[1]!
      await waitFor('the first sync', () => stderr.includes("[okra] synced: + Added model 'User'"))
      const first = await state(url)
      expect(first.diagram?.nodes.map((n) => n.name)).toEqual(expect.arrayContaining(['User', 'Role']))
      expect(first.project.autoSync).toBe('on')
      expect(first.project.database).toBe('sqlite://./dev.db')
      expect(first.syncLog[0]?.changes).toContain("+ Added model 'User'")
      expect(stderr.match(/dev panel:/g)).toHaveLength(1)
      // A second panel on the very same port is refused with what to do.
      const busy = spawnSync(process.execPath, [CLI, 'dev', '--ui', '--port', new URL(url).port], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', OKRA_ENV: '' } })
      expect(busy.status).toBe(1)
      expect(busy.stderr).toContain(`error: Port ${new URL(url).port} is in use: the dev panel cannot listen on it`)
      expect(busy.stderr).toContain('hint: Pass a free port with --port N')
    } finally {
      child.kill('SIGINT')
    }
    expect(await exited).toBe(0)
    expect(stderr).toContain('Stopped: ')
  })

  it('--port without --ui is a usage error', () => {
    const r = spawnSync(process.execPath, [CLI, 'dev', '--port', '4000'], { cwd: makeTempDir(), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    expect(r.status).toBe(64)
    expect(r.stderr).toContain("--port is the dev panel's port: give it with --ui")
  })

  it("autoSync 'ask': without a panel the terminal says where to decide instead; with one, it names the URL and the decision goes through it", async () => {
    const root = makeTempDir()
    writeDevProject(root, withField(USER_SCHEMA, 'fax: String?'), { migrations: { development: { autoSync: 'ask', syncDebounce: 20 } } })
    // The snapshot has fax too: dropping it is a pending destructive change.
    writeSnapshotHistory(root, canonicalJSON(compileSchema([{ path: 'models.okra.gql', text: withField(USER_SCHEMA, 'fax: String?') }]).schema!))
    const { default: Database } = await import('better-sqlite3')

    // No panel.
    const logger = captureLogger()
    const plain = await dev({ cwd: root, processEnv: {}, logger })
    await nextEvent(plain.context, 'synced')
    const db = new Database(join(root, 'dev.db'))
    db.exec(`INSERT INTO "users" ("id", "email", "fax") VALUES ('u1', 'a@b.c', '555-1234')`)
    db.close()
    const held = nextEvent(plain.context, 'synced')
    writeFileSync(join(root, 'models.okra.gql'), USER_SCHEMA)
    expect((await held)[0].held?.decision).toBe('asks')
    expect(logger.lines.at(-1)).toBe(
      "[okra] not synced: these changes would lose data, so a decision waits for the dev panel, and none is served here: start one with okra dev --ui, or run okra db:sync --accept-data-loss\n  - Removed field 'fax' from User: dropping column users.fax loses 1 non-null value",
    )
    await plain.stop()

    // With the panel: the first sync asks at once, and names the panel.
    const uiLogger = captureLogger()
    const session = await dev({ cwd: root, processEnv: {}, logger: uiLogger, ui: { port: 0 } })
    try {
      const url = session.panelUrl!
      expect(uiLogger.lines[0]).toBe(`[okra] dev panel: ${url}`)
      const request = await waitFor('the question', () => session.context.waitingConsent)
      expect(uiLogger.lines).toContain(`[okra] not synced: these changes would lose data, so a decision waits in the dev panel: ${url}\n  - Removed field 'fax' from User: dropping column users.fax loses 1 non-null value`)
      // The changes since the snapshot are computed a moment after the schema goes out.
      await expect.poll(async () => (await state(url)).pending).not.toBeNull()
      const shown = await state(url)
      expect(shown.consents).toEqual([{ id: request.id, since: request.since, changes: [{ line: "- Removed field 'fax' from User: dropping column users.fax loses 1 non-null value", count: 1 }], backup: 'a copy of dev.db in .okra/backups/dev-<time>.db' }])
      expect(shown.pending?.hasSnapshot).toBe(true)
      expect(shown.pending?.summaries).toEqual(["- Removed field 'fax' from User"])
      expect(shown.pending?.sql).toEqual([{ provider: 'sqlite', statements: ['ALTER TABLE "users" DROP COLUMN "fax";'] }])
      expect(shown.pending?.destructive).toEqual([{ summary: "- Removed field 'fax' from User", destroys: 'dropping column users.fax loses non-null values' }])

      const applied = nextEvent(session.context, 'synced')
      expect((await decide(url, request.id, 'apply')).status).toBe(200)
      expect((await applied)[0].result?.backup?.kind).toBe('file')
      expect(await sqliteColumns(root, 'users')).not.toContain('fax')
      expect(readdirSync(join(root, '.okra', 'backups'))).toHaveLength(1)
      // A decision is taken once.
      expect((await decide(url, request.id, 'apply')).status).toBe(404)
      expect((await state(url)).consents).toEqual([])
    } finally {
      await session.stop()
    }
  })
})

describe('the panel over a PostgreSQL database', () => {
  it('shows the URL with its password masked, everywhere, and the table as PostgreSQL has it', async () => {
    const pgdb = await usePgDatabase()
    const password = 'pa55-w0rd-Secret'
    const url = new URL(pgdb.url)
    url.password = password
    const root = makeTempDir()
    writeDevProject(root, USER_SCHEMA, { provider: 'postgres', url: '${DATABASE_URL}', migrations: { development: { syncDebounce: 20 } } })
    const logger = captureLogger()
    const session = await dev({ cwd: root, processEnv: { DATABASE_URL: url.href }, logger, ui: { port: 0 } })
    try {
      const panel = session.panelUrl!
      await waitFor('the first sync', () => logger.lines.some((l) => l.startsWith('[okra] synced: +')))
      await expect.poll(async () => (await state(panel)).pending).not.toBeNull()
      const page = await (await fetch(panel)).text()
      const json = await (await fetch(`${panel}api/state`)).text()
      const details = await (await fetch(`${panel}api/model?name=User`)).text()
      for (const text of [page, json, details, ...logger.lines]) expect(text).not.toContain(password)
      const shown = JSON.parse(json) as PanelState
      expect(shown.project.provider).toBe('postgres')
      expect(shown.project.database).toContain(':***@')
      const table = (JSON.parse(details) as { table: { table: { name: string; columns: { name: string; type: string }[] } } }).table.table
      expect(table.name).toBe('users')
      expect(table.columns.map((c) => c.name)).toEqual(['id', 'email', 'role'])
      expect(shown.pending?.sql.map((s) => s.provider)).toEqual(['postgres'])
      expect(shown.pending?.sql[0]?.statements.join('\n')).toContain('CREATE TABLE "users"')
    } finally {
      await session.stop()
    }
  })
})
