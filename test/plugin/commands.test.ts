/** `okra build` and `okra dev`: the plugin's two modes without a bundler. */
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dev } from '../../src/commands/dev'
import { canonicalJSON } from '../../src/schema/canonical'
import { compileSchema } from '../../src/schema/compile'
import { okra } from '../cli/capture'
import { makeTempDir } from '../helpers/tmp'
import { USER_SCHEMA, captureLogger, nextEvent, read, sqliteColumns, withField, writeDevProject } from '../plugin/project'
import { writeSnapshotHistory } from '../helpers/history'

function snapshotOf(root: string, schemaText: string): void {
  const { schema } = compileSchema([{ path: 'models.okra.gql', text: schemaText }])
  writeSnapshotHistory(root, canonicalJSON(schema!))
}

describe('okra build', () => {
  it('fails (exit 1) on drift with the list of changes and the command, and passes once snapshotted', async () => {
    const root = makeTempDir()
    writeDevProject(root)
    const failed = await okra(['build'], { cwd: root })
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain('error: No migration snapshot: migrations/snapshot/schema.json does not exist')
    expect(failed.stderr).toContain("  + Added model 'User'")
    expect(failed.stderr).toContain('hint: Run `okra db:migrate:snapshot`')
    expect(read(root, 'src/generated/models.ts')).toContain('export interface User')

    snapshotOf(root, USER_SCHEMA)
    const passed = await okra(['build'], { cwd: root })
    expect(passed.code).toBe(0)
    expect(passed.stdout).toContain('unchanged src/generated/models.ts')
    expect(passed.stdout).toContain('✓ no drift: the schema matches migrations/snapshot/schema.json')
    expect(existsSync(join(root, 'dev.db'))).toBe(false)
  })

  it('passes, with a warning, when a rename hint has done its work (its old name is nowhere in the snapshot)', async () => {
    const root = makeTempDir()
    const withPhone = withField(USER_SCHEMA, 'phone: String?')
    writeDevProject(root, withField(USER_SCHEMA, 'phone: String? @renamed(from: "mobile")'))
    snapshotOf(root, withPhone)
    const result = await okra(['build'], { cwd: root })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain(`warning: @renamed(from: "mobile") on field User.phone: nothing by that name exists any more`)
  })

  it("--drift warn builds (exit 0) and warns; --json reports the changes; a bad --drift is a usage error", async () => {
    const root = makeTempDir()
    writeDevProject(root, withField(USER_SCHEMA, 'phone: String?'))
    snapshotOf(root, USER_SCHEMA)
    const warned = await okra(['build', '--drift', 'warn'], { cwd: root })
    expect(warned.code).toBe(0)
    expect(warned.stderr).toContain("warning: Schema drift: the schema differs from migrations/snapshot/schema.json (1 change without a migration):\n  + Added field 'phone' to User")
    const json = await okra(['build', '--drift=warn', '--json', '--no-dts'], { cwd: root })
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, outputs: ['src/generated/models.ts'], drift: { drifted: true, changes: ["+ Added field 'phone' to User"] } })
    expect((await okra(['build', '--drift', 'loud'], { cwd: root })).code).toBe(64)
  })

  it('opens no database: a PostgreSQL URL to a closed port builds, and its password is never printed', async () => {
    const root = makeTempDir()
    writeDevProject(root, USER_SCHEMA, { provider: 'postgres', url: 'postgres://okra:s3cret@127.0.0.1:9/app' })
    const failed = await okra(['build'], { cwd: root })
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain("+ Added model 'User'")
    expect(failed.stderr).toContain("+ Added enum 'Role'")
    expect(failed.stderr + failed.stdout).not.toContain('s3cret')
  })
})

describe('okra dev', () => {
  it('writes the types and syncs, follows saves with its own watcher, and stops cleanly', async () => {
    const root = makeTempDir()
    writeDevProject(root, USER_SCHEMA, { migrations: { development: { syncDebounce: 20 } } })
    const logger = captureLogger()
    const session = await dev({ cwd: root, processEnv: {}, logger })
    await nextEvent(session.context, 'synced')
    const types = nextEvent(session.context, 'types')
    const synced = nextEvent(session.context, 'synced')
    writeFileSync(join(root, 'models.okra.gql'), withField(USER_SCHEMA, 'phone: String?'))
    expect((await types)[0].written).toContain('src/generated/models.ts')
    expect((await synced)[0].result?.summaries).toEqual(["+ Added field 'phone' to User"])
    expect(await sqliteColumns(root, 'users')).toContain('phone')
    const summary = await session.stop()
    expect(summary).toMatchObject({ syncs: 2, syncFailures: 0, problems: 0 })
    expect(summary.typesWritten).toBeGreaterThanOrEqual(2)
    expect(logger.lines.filter((l) => l.startsWith('[okra] synced:'))).toHaveLength(2)
  })

  it('is registered with its flags', async () => {
    const help = await okra(['dev', '--help'], { cwd: makeTempDir() })
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--no-sync')
    expect(help.stdout).toContain('--debounce MS')
  })
})
