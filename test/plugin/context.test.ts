/**
 * The bundler-free context: what every bundler and `okra dev` / `okra build` do, driven directly.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SchemaError } from '../../src/errors'
import { OkraContext } from '../../src/plugin/context'
import { DriftError } from '../../src/plugin/drift'
import { ContextPanelSource } from '../../src/plugin/panel-source'
import { makeTempDir, writeFiles } from '../helpers/tmp'
import {
  USER_SCHEMA, captureLogger, expectDatabaseMatchesSchema, nextEvent, read, sqliteColumns, withField, writeDevProject,
} from './project'

const SYNCED_LINE = /^\[okra\] synced: (.+) \((\d+(\.\d)?) ms\)$/

function devContext(root: string, options: ConstructorParameters<typeof OkraContext>[0] = {}) {
  const logger = captureLogger()
  const ctx = new OkraContext({ root, syncDebounce: 20, ...options }, { logger, processEnv: {} })
  return { ctx, logger }
}

describe('a production build', () => {
  it('fails without a snapshot, listing every model and the command that fixes it', async () => {
    const root = makeTempDir()
    writeDevProject(root)
    const error = await new OkraContext({ root }, { logger: captureLogger(), processEnv: {} }).build({ production: true }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DriftError)
    const drift = error as DriftError
    expect(drift.message).toContain('migrations/snapshot/schema.json does not exist')
    expect(drift.message).toContain("+ Added model 'User'")
    expect(drift.hint).toContain('okra db:migrate:snapshot')
    expect(existsSync(join(root, 'dev.db'))).toBe(false)
    expect(read(root, 'src/generated/models.ts')).toContain('export interface User')
  })

  it("skips the drift check with drift: 'off', and a build that is not production never checks", async () => {
    const root = makeTempDir()
    writeDevProject(root)
    const off = await new OkraContext({ root, drift: 'off', dts: false }, { processEnv: {} }).build({ production: true })
    expect(off.drift).toBeNull()
    expect(off.outputs).toEqual(['src/generated/models.ts'])
    expect(existsSync(join(root, 'okra.d.ts'))).toBe(false)
    const once = await new OkraContext({ root }, { processEnv: {} }).build({ production: false })
    expect(once.drift).toBeNull()
    expect(once.written).toEqual(['okra.d.ts'])
  })

  it('throws the schema errors (a build must not ship a broken schema)', async () => {
    const root = makeTempDir()
    writeDevProject(root, USER_SCHEMA.replace('email: String!', 'email: Strin!'))
    const error = await new OkraContext({ root }, { processEnv: {} }).build({ production: true }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SchemaError)
    expect((error as SchemaError).diagnostics[0].message).toContain('Strin')
  })

  it('rejects unknown or ill-typed options, all at once', () => {
    expect(() => new OkraContext({ drift: 'loud', syncDebounce: -1, colour: true } as never)).toThrow(
      /unknown option 'colour'[\s\S]*syncDebounce must be a number[\s\S]*drift must be 'error', 'warn' or 'off'/,
    )
  })
})

describe('dev mode', () => {
  it('a dev panel that loads after the first sync still lists it: the context remembers its recent syncs', async () => {
    const root = makeTempDir()
    writeDevProject(root)
    const { ctx } = devContext(root)
    const firstSync = nextEvent(ctx, 'synced')
    await ctx.startDev()
    await firstSync
    // As a dev server loads the panel's modules while it starts: here only once the first sync ended.
    const panel = new ContextPanelSource(ctx)
    try {
      const [entry, ...rest] = panel.current().syncLog
      expect(rest).toEqual([])
      expect(entry?.changes).toEqual(["+ Added model 'User'"])
      expect(Date.parse(entry!.at)).toBeLessThanOrEqual(Date.now())
    } finally {
      panel.close()
      await ctx.close()
    }
  })

  it('writes the types, syncs at start, and after a change regenerates and syncs with one line', async () => {
    const root = makeTempDir()
    writeDevProject(root)
    const { ctx, logger } = devContext(root)
    const firstSync = nextEvent(ctx, 'synced')
    await ctx.startDev()
    expect(read(root, 'src/generated/models.ts')).toContain('export interface User')
    expect(read(root, 'okra.d.ts')).toContain("declare module 'virtual:okra/models'")
    expect((await firstSync)[0].result?.summaries).toEqual(["+ Added model 'User'"])

    writeFileSync(join(root, 'models.okra.gql'), withField(USER_SCHEMA, 'phone: String?'))
    const types = nextEvent(ctx, 'types')
    const synced = nextEvent(ctx, 'synced')
    void ctx.refresh()
    expect((await types)[0].written).toEqual(['src/generated/models.ts', 'okra.d.ts'])
    expect(read(root, 'src/generated/models.ts')).toContain('phone?: string | null;')
    expect(ctx.virtualModule()).toContain('"phone": { "kind": "scalar", "column": "phone"')
    await synced
    expect(await sqliteColumns(root, 'users')).toContain('phone')
    const lines = logger.lines.filter((line) => line.startsWith('[okra] synced:'))
    expect(lines).toHaveLength(2)
    expect(lines[1]).toMatch(SYNCED_LINE)
    expect(lines[1]).toContain("synced: + Added field 'phone' to User (")
    expect(logger.lines.some((line) => /^\[okra\] types: wrote src\/generated\/models\.ts, okra\.d\.ts \(\d/.test(line))).toBe(true)
    await ctx.close()
    await expectDatabaseMatchesSchema(root)
  })

  it('keeps the last good types on a schema error, syncs nothing, and recovers when it is fixed', async () => {
    const root = makeTempDir()
    writeDevProject(root)
    const { ctx, logger } = devContext(root)
    const firstSync = nextEvent(ctx, 'synced')
    await ctx.startDev()
    await firstSync
    const goodTypes = read(root, 'src/generated/models.ts')
    const goodModule = ctx.virtualModule()

    writeFileSync(join(root, 'models.okra.gql'), withField(USER_SCHEMA, 'phone: Strin?'))
    const problem = nextEvent(ctx, 'problem')
    void ctx.refresh()
    const [reported] = await problem
    expect(reported.text).toContain("models.okra.gql:9:10: error: Unknown type 'Strin'")
    expect(reported.loc).toEqual({ file: join(root, 'models.okra.gql'), line: 9, column: 10 })
    expect(logger.lines.at(-1)).toContain('the last good types are kept')
    await new Promise((resolve) => setTimeout(resolve, 150)) // well past the debounce
    expect(read(root, 'src/generated/models.ts')).toBe(goodTypes)
    expect(ctx.virtualModule()).toBe(goodModule)
    expect(await sqliteColumns(root, 'users')).not.toContain('phone')
    expect(logger.lines.filter((line) => line.startsWith('[okra] synced:'))).toHaveLength(1)

    writeFileSync(join(root, 'models.okra.gql'), withField(USER_SCHEMA, 'phone: String?'))
    const recovered = nextEvent(ctx, 'recovered')
    const synced = nextEvent(ctx, 'synced')
    void ctx.refresh()
    await recovered
    expect(ctx.problem).toBeUndefined()
    expect((await synced)[0].result?.summaries).toEqual(["+ Added field 'phone' to User"])
    await ctx.close()
    await expectDatabaseMatchesSchema(root)
  })

  it('backs the database up before a destructive auto-sync and says where the copy is', async () => {
    const root = makeTempDir()
    writeDevProject(root, withField(USER_SCHEMA, 'phone: String?'))
    const { ctx, logger } = devContext(root)
    const firstSync = nextEvent(ctx, 'synced')
    await ctx.startDev()
    await firstSync
    const { default: Database } = await import('better-sqlite3')
    const db = new Database(join(root, 'dev.db'))
    db.prepare(`INSERT INTO users (id, email, phone) VALUES ('u1', 'ada@example.com', '555-0100')`).run()
    db.close()

    writeFileSync(join(root, 'models.okra.gql'), USER_SCHEMA)
    const synced = nextEvent(ctx, 'synced')
    void ctx.refresh()
    const [outcome] = await synced
    expect(outcome.error).toBeUndefined()
    expect(outcome.result?.backup?.kind).toBe('file')
    const backups = readdirSync(join(root, '.okra/backups'))
    expect(backups).toHaveLength(1)
    const line = logger.lines.find((l) => l.includes("- Removed field 'phone' from User"))!
    expect(line).toMatch(/^\[okra\] synced: - Removed field 'phone' from User \(\d+(?:\.\d)? ms; backup (dev-[\d-]+) \(\.okra\/backups\/\1\.db\); restore it with `okra db:restore \1`\)$/)
    expect(line).toContain(backups[0])
    const backup = new Database(join(root, '.okra/backups', backups[0]), { readonly: true })
    expect(backup.prepare('SELECT phone FROM users').get()).toEqual({ phone: '555-0100' })
    backup.close()
    await ctx.close()
    await expectDatabaseMatchesSchema(root)
  })

  it("autoSync 'ask' holds a destructive change until decide(); a config back to autoSync true applies it and leaves no question", async () => {
    const root = makeTempDir()
    const config = (autoSync: boolean | 'ask') => ({ migrations: { development: { autoSync } } })
    writeDevProject(root, withField(USER_SCHEMA, 'phone: String?'), config('ask'))
    const { ctx, logger } = devContext(root)
    const firstSync = nextEvent(ctx, 'synced')
    await ctx.startDev()
    await firstSync
    expect(ctx.autoSync).toEqual({ mode: 'ask' })
    const { default: Database } = await import('better-sqlite3')
    const db = new Database(join(root, 'dev.db'))
    db.prepare(`INSERT INTO users (id, email, phone) VALUES ('u1', 'ada@example.com', '555-0100')`).run()
    db.close()

    writeFileSync(join(root, 'models.okra.gql'), USER_SCHEMA)
    const asked = nextEvent(ctx, 'consent')
    const held = nextEvent(ctx, 'synced')
    void ctx.refresh()
    await asked
    expect((await held)[0]).toMatchObject({ held: { decision: 'asks' } })
    expect(ctx.waitingConsent?.changes).toEqual([{ line: "- Removed field 'phone' from User: dropping column users.phone loses 1 non-null value", count: 1 }])
    expect(await sqliteColumns(root, 'users')).toContain('phone')
    expect(ctx.decide('not-the-id', 'apply')).toBe(false)

    // The developer changes the config instead: auto-sync as usual, after a backup, and the question is gone.
    writeDevProject(root, USER_SCHEMA, config(true))
    const gone = nextEvent(ctx, 'consent')
    const applied = nextEvent(ctx, 'synced')
    void ctx.refresh()
    expect((await applied)[0].result?.backup?.kind).toBe('file')
    await gone
    expect(ctx.waitingConsent).toBeUndefined()
    expect(await sqliteColumns(root, 'users')).not.toContain('phone')
    expect(logger.lines.filter((l) => l.startsWith('[okra] not synced:'))).toHaveLength(1)
    await ctx.close()
  })

  it("never syncs in the 'production' environment or with autoSync: false", async () => {
    for (const [options, database, reason] of [
      [{ env: 'production' }, { environments: { production: { url: 'sqlite://./dev.db' } } }, "the environment is 'production'"],
      [{ autoSync: false }, {}, 'the autoSync option is false'],
    ] as const) {
      const root = makeTempDir()
      writeDevProject(root, USER_SCHEMA, database)
      const { ctx, logger } = devContext(root, options)
      await ctx.startDev()
      writeFileSync(join(root, 'models.okra.gql'), withField(USER_SCHEMA, 'phone: String?'))
      await ctx.refresh()
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(read(root, 'src/generated/models.ts')).toContain('phone')
      expect(existsSync(join(root, 'dev.db'))).toBe(false)
      expect(logger.lines).toContain(`[okra] auto-sync off: ${reason}`)
      await ctx.close()
    }
  })

  it('follows a schema file created later, through its own watcher', async () => {
    const root = makeTempDir()
    writeFiles(root, {
      'models/user.okra.gql': USER_SCHEMA,
      'okra.config.json': JSON.stringify({ database: { url: 'sqlite://./dev.db', schemas: ['models/*.okra.gql'] } }),
    })
    const { ctx } = devContext(root, { autoSync: false })
    await ctx.startDev({ watch: true })
    expect(read(root, 'generated/models.ts')).not.toContain('interface Post')
    const types = nextEvent(ctx, 'types')
    writeFiles(root, { 'models/post.okra.gql': 'model Post {\n  id: Int! @default(autoincrement)\n  title: String!\n}\n' })
    await types
    expect(read(root, 'generated/models.ts')).toContain('export interface Post')
    const problem = nextEvent(ctx, 'problem')
    writeFiles(root, { 'okra.config.json': '{ "database": { "url": 42 } }' })
    expect((await problem)[0].text).toContain('database.url')
    await ctx.close()
  })
})
