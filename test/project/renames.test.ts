/**
 * `migrations/current/renames.json`: the renames sync applied since the last snapshot, and what the
 * differ makes of them once the `@renamed` hints are gone.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadProject } from '../../src/project/load'
import { loadConfig } from '../../src/config/load'
import { changesSinceSnapshot } from '../../src/migrations/diff'
import { composeRenames, readSyncedRenames, renamesResolver } from '../../src/project/renames'
import { readSnapshotSchema } from '../../src/project/schema-states'
import { canonicalJSON } from '../../src/schema/canonical'
import { schemaOf } from '../diff/helpers'
import { syncAndCheck, syncProject } from '../sync/helpers'
import { writeSnapshotHistory } from '../helpers/history'

describe('renames since the snapshot', () => {
  it('sync appends each rename it applies to current/renames.json, in physical names', async () => {
    const p = syncProject({ schema: 'model Person {\n  id: Int! @id\n  mobile: String?\n}\n' })
    await p.sync()
    p.write('model User {\n  @@renamed(from: "Person")\n  id: Int! @id\n  phone: String? @renamed(from: "mobile")\n}\n')
    await syncAndCheck(p)
    const config = await loadConfig({ cwd: p.root, processEnv: {} })
    expect(readSyncedRenames(config)).toEqual([
      { kind: 'table', from: 'people', to: 'users' },
      { kind: 'column', table: 'users', from: 'mobile', to: 'phone' },
    ])
    expect(readFileSync(join(p.root, 'migrations/current/renames.json'), 'utf8')).toBe(
      '{\n  "renames": [\n    {"kind":"table","from":"people","to":"users"},\n    {"kind":"column","table":"users","from":"mobile","to":"phone"}\n  ]\n}\n',
    )
  })

  it('changesSinceSnapshot renames from renames.json after the hints are gone', async () => {
    const p = syncProject({ schema: 'model Person {\n  id: Int! @id\n  mobile: String?\n}\n' })
    await p.sync()
    const config = await loadConfig({ cwd: p.root, processEnv: {} })
    writeFileSync(join(p.root, 'migrations/current/schema.json'), '')
    const { mkdirSync } = await import('node:fs')
    mkdirSync(join(p.root, 'migrations/snapshot'), { recursive: true })
    writeSnapshotHistory(p.root, canonicalJSON(schemaOf('model Person {\n  id: Int! @id\n  mobile: String?\n}\n')))
    expect(readSnapshotSchema(config)?.models.map((m) => m.name)).toEqual(['Person'])
    p.write('model User {\n  @@renamed(from: "Person")\n  id: Int! @id\n  phone: String? @renamed(from: "mobile")\n}\n')
    await p.sync()
    p.write('model User {\n  id: Int! @id\n  phone: String?\n}\n')
    const found = await changesSinceSnapshot(await loadProject({ cwd: p.root, processEnv: {} }))
    expect(found.summaries).toEqual(["~ Renamed model 'Person' to 'User'", "~ Renamed field 'mobile' to 'phone' on User"])
    rmSync(join(p.root, 'migrations/current/renames.json'))
    const without = await changesSinceSnapshot(await loadProject({ cwd: p.root, processEnv: {} }))
    expect(without.summaries).toEqual(["- Removed model 'Person'", "+ Added model 'User'"])
  })

  it('composeRenames: chains compose, a round trip vanishes, a column follows its table', () => {
    const composed = composeRenames([
      { kind: 'table', from: 'people', to: 'persons' },
      { kind: 'column', table: 'persons', from: 'mobile', to: 'cell' },
      { kind: 'table', from: 'persons', to: 'users' },
      { kind: 'column', table: 'users', from: 'cell', to: 'phone' },
      { kind: 'table', from: 'tags', to: 'labels' },
      { kind: 'table', from: 'labels', to: 'tags' },
    ])
    expect([...composed.tables]).toEqual([['people', 'users']])
    expect([...composed.columns]).toEqual([['users\0mobile', 'phone']])
    const resolve = renamesResolver([{ kind: 'table', from: 'a', to: 'b' }], () => 'rename')
    expect(resolve({ kind: 'table', table: 'b', from: 'a', to: 'b' })).toBe('rename')
    expect(resolve({ kind: 'table', table: 'c', from: 'x', to: 'c' })).toBe('rename')
    expect(renamesResolver([])({ kind: 'table', table: 'c', from: 'x', to: 'c' })).toBe('drop-add')
  })
})
