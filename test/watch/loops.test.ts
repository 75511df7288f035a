/**
 * `okra db:sync --watch` and the plugin's dev mode (`okra dev`, esbuild, the bundlers' watch hooks) watch
 * by one rule: both run side by side on one project here, and each change must wake both or neither.
 * The project's globs are `{models,shared}/*.okra.gql`, its database URL comes from `.env`.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { printSyncResult } from '../../src/commands/sync'
import { sync } from '../../src/sync/sync'
import type { SyncResult } from '../../src/sync/types'
import { OkraContext } from '../../src/plugin/context'
import { watchSync } from '../../src/sync/watch'
import { createTerminal } from '../../src/terminal'
import { readSchemaFiles } from '../../src/watch/schema-files'
import { capture } from '../cli/capture'
import { makeTempDir, writeFiles } from '../helpers/tmp'
import { captureLogger, expectDatabaseMatchesSchema, nextEvent, read, waitFor } from '../plugin/project'

const USER = 'model User {\n  id: Int! @id @default(autoincrement)\n  name: String!\n}\n'
const POST = 'model Post {\n  id: Int! @id @default(autoincrement)\n  title: String!\n}\n'

function braceProject(): string {
  const root = makeTempDir()
  writeFiles(root, {
    'okra.config.json': JSON.stringify({
      database: { url: '${DATABASE_URL}', schemas: ['{models,shared}/*.okra.gql'] },
      generate: { typescript: { out: './generated/models.ts' } },
    }),
    '.env': 'DATABASE_URL=sqlite://./a.db\n',
    'models/user.okra.gql': USER,
  })
  return root
}

/** `db:sync --watch` on the project, with its runs and its output kept; stopped when the test ends. */
function syncWatch(root: string) {
  const out = capture()
  const err = capture()
  const terminal = createTerminal({ stdout: out, stderr: err, stdinIsTTY: false, env: {} })
  const controller = new AbortController()
  const outcomes: string[] = []
  const project = { cwd: root, processEnv: {} }
  const done = watchSync({
    project,
    sync: () => sync(project),
    print: (result) => printSyncResult(result, terminal),
    terminal,
    signal: controller.signal,
    onRun: (outcome: SyncResult | Error) => void outcomes.push(outcome instanceof Error ? `failed: ${outcome.message}` : outcome.summaries.join(', ')),
  })
  const watching = (runs: number) =>
    waitFor(`db:sync --watch watching after run ${runs}`, () => err.text.split('Watching the schema for changes').length > runs)
  const changedLines = () => err.text.split('\n').filter((line) => line.startsWith('Changed: '))
  return { outcomes, watching, changedLines, stop: () => (controller.abort(), done) }
}

describe('db:sync --watch and the plugin watch by one rule', () => {
  it('a file outside the globs wakes neither; a brace alternative in a new folder, a renamed-into-place save and .env wake both', async () => {
    const root = braceProject()
    const logger = captureLogger()
    const ctx = new OkraContext({ root, autoSync: false, dts: false }, { logger, processEnv: {} })
    await ctx.startDev({ watch: true })
    const loop = syncWatch(root)
    await loop.watching(1)
    expect(loop.outcomes).toEqual(["+ Added model 'User'"])

    // Outside the globs first, then the brace alternative `shared/` (a folder that did not exist).
    let types = nextEvent(ctx, 'types')
    writeFileSync(join(root, 'other.okra.gql'), 'model Broken {\n')
    writeFiles(root, { 'shared/post.okra.gql': POST })
    await types
    expect(read(root, 'generated/models.ts')).toContain('export interface Post')
    await loop.watching(2)
    expect(loop.outcomes[1]).toBe("+ Added model 'Post'")
    expect(loop.changedLines()).toEqual(['Changed: shared/post.okra.gql'])
    expect(ctx.isWatchedFile(join(root, 'other.okra.gql'))).toBe(false)
    expect(ctx.isWatchedFile(join(root, 'shared/post.okra.gql'))).toBe(true)

    // An editor's save: a temporary file renamed over the schema file.
    types = nextEvent(ctx, 'types')
    writeFileSync(join(root, 'models/.user.okra.gql.tmp'), USER.replace('name: String!', 'name: String!\n  email: String?'))
    renameSync(join(root, 'models/.user.okra.gql.tmp'), join(root, 'models/user.okra.gql'))
    await types
    expect(read(root, 'generated/models.ts')).toContain('email?: string | null;')
    await loop.watching(3)
    expect(loop.outcomes[2]).toBe("+ Added field 'email' to User")
    expect(loop.changedLines()).toEqual(['Changed: shared/post.okra.gql', 'Changed: models/user.okra.gql'])

    // .env points the config at another database: the plugin reloads the config, the loop syncs the new file.
    types = nextEvent(ctx, 'types')
    writeFileSync(join(root, '.env'), 'DATABASE_URL=sqlite://./b.db\n')
    await types
    await loop.watching(4)
    expect(loop.changedLines().at(-1)).toBe('Changed: .env')
    expect(loop.outcomes[3]).toBe("+ Added model 'Post', + Added model 'User'")
    expect(existsSync(join(root, 'b.db'))).toBe(true)
    await expectDatabaseMatchesSchema(root)

    expect(await loop.stop()).toEqual({ watched: true, runs: 4, failures: 0 })
    await ctx.close()
  })

  it('both see the same paths and watch the same folders', async () => {
    const root = braceProject()
    const ctx = new OkraContext({ root, autoSync: false, dts: false }, { logger: captureLogger(), processEnv: {} })
    await ctx.startDev()
    const rule = await readSchemaFiles({ cwd: root, processEnv: {} })
    const paths = ['models/user.okra.gql', 'shared/new.okra.gql', 'other.okra.gql', 'models/deep/x.okra.gql', 'okra.config.json', '.env', 'shared/.x.okra.gql']
    expect(paths.filter((path) => ctx.isWatchedFile(join(root, path)))).toEqual(paths.filter((path) => rule.concerns(path)))
    expect(paths.filter((path) => rule.concerns(path))).toEqual(['models/user.okra.gql', 'shared/new.okra.gql', 'okra.config.json', '.env'])
    expect(ctx.watchDirectories()).toEqual(rule.directories())
    await ctx.close()
  })
})
