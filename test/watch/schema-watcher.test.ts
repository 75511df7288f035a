/**
 * The rule and the directory watcher together, on real files. A change that must not count is made
 * before one that must: the kernel delivers the events in order, so once the second is reported the
 * first would have been.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load'
import { SchemaFiles } from '../../src/watch/schema-files'
import { SchemaWatcher } from '../../src/watch/schema-watcher'
import { makeTempDir, writeFiles } from '../helpers/tmp'
import { waitFor } from '../plugin/project'

async function ruleOf(root: string) {
  return new SchemaFiles({ root, config: await loadConfig({ cwd: root, processEnv: {} }) })
}

function schemaWatcher() {
  const changes: string[] = []
  const watcher = new SchemaWatcher({ onChange: (path) => void changes.push(path) })
  const seen = (path: string) => waitFor(`a change of ${path}`, () => changes.includes(path))
  return { watcher, changes, seen }
}

describe('SchemaWatcher', () => {
  it('reports only what the rule counts: the glob, a renamed-into-place save, the config and .env', async () => {
    const root = makeTempDir()
    writeFiles(root, {
      'okra.config.json': JSON.stringify({ database: { schemas: ['models/*.okra.gql'] } }),
      'models/user.okra.gql': 'model User {\n  id: Int! @id\n}\n',
    })
    const { watcher, changes, seen } = schemaWatcher()
    watcher.follow(await ruleOf(root))
    writeFileSync(join(root, 'other.okra.gql'), 'model Other {\n  id: Int! @id\n}\n')
    writeFileSync(join(root, 'models/.user.okra.gql.swp'), 'model User {\n  id: Int! @id\n  name: String\n}\n')
    renameSync(join(root, 'models/.user.okra.gql.swp'), join(root, 'models/user.okra.gql'))
    await seen(join(root, 'models/user.okra.gql'))
    writeFileSync(join(root, 'package.json'), '{}')
    writeFileSync(join(root, '.env'), 'X=1\n')
    await seen(join(root, '.env'))
    writeFileSync(join(root, 'okra.config.json'), JSON.stringify({ database: { schemas: ['models/*.okra.gql'] } }, null, 2))
    await seen(join(root, 'okra.config.json'))
    expect([...new Set(changes)]).toEqual([join(root, 'models/user.okra.gql'), join(root, '.env'), join(root, 'okra.config.json')])
    watcher.close()
  })

  it('moves with the config: a newer rule watches the folders its globs name now', async () => {
    const root = makeTempDir()
    writeFiles(root, { 'okra.config.json': JSON.stringify({ database: { schemas: ['models/*.okra.gql'] } }), 'models/a.okra.gql': '' })
    const { watcher, changes, seen } = schemaWatcher()
    watcher.follow(await ruleOf(root))
    writeFiles(root, { 'okra.config.json': JSON.stringify({ database: { schemas: ['{models,lib/**}/*.okra.gql'] } }) })
    await seen(join(root, 'okra.config.json'))
    watcher.follow(await ruleOf(root))
    writeFiles(root, { 'lib/deep/b.okra.gql': '' })
    await seen(join(root, 'lib/deep/b.okra.gql'))
    expect(changes).not.toContain(join(root, 'lib/deep'))
    watcher.close()
  })

  it("reports a save that moves the old file away and writes a new one (vim's) only with the file back", async () => {
    const root = makeTempDir()
    writeFiles(root, {
      'okra.config.json': JSON.stringify({ database: { schemas: ['models/*.okra.gql'] } }),
      'models/a.okra.gql': 'model A {\n  id: Int! @id\n}\n',
      'models/b.okra.gql': 'model B {\n  id: Int! @id\n}\n',
    })
    const a = join(root, 'models/a.okra.gql')
    const b = join(root, 'models/b.okra.gql')
    // Whether the file existed at each report: a report while it is missing would compile the schema without it.
    const reports: { path: string; present: boolean }[] = []
    const watcher = new SchemaWatcher({ onChange: (path) => void reports.push({ path, present: existsSync(path) }) })
    watcher.follow(await ruleOf(root))
    renameSync(a, `${a}~`)
    writeFileSync(a, 'model A {\n  id: Int! @id\n  name: String\n}\n')
    await waitFor('the save of a', () => reports.some((r) => r.path === a))
    // A real removal is reported too, after the same wait a pending removal of a would have had: timers
    // fire in order, so once b's is reported, no report of a missing a can be still to come.
    rmSync(b)
    await waitFor('the removal of b', () => reports.some((r) => r.path === b))
    watcher.close()
    expect(reports.filter((r) => r.path === a).every((r) => r.present)).toBe(true)
    expect(reports.filter((r) => r.path === b)).toEqual([{ path: b, present: false }])
  })

  it('follows nothing once closed', async () => {
    const root = makeTempDir()
    writeFiles(root, { 'okra.config.json': JSON.stringify({ database: { schemas: ['models/*.okra.gql'] } }), 'models/a.okra.gql': '' })
    const closed = schemaWatcher()
    closed.watcher.close()
    closed.watcher.follow(await ruleOf(root))
    const open = schemaWatcher()
    open.watcher.follow(await ruleOf(root))
    writeFileSync(join(root, 'models/a.okra.gql'), 'changed')
    await open.seen(join(root, 'models/a.okra.gql'))
    expect(closed.changes).toEqual([])
    open.watcher.close()
  })
})
