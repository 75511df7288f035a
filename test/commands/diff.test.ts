import { describe, expect, it } from 'vitest'
import { canonicalJSON } from '../../src/schema/canonical'
import { okra } from '../cli/capture'
import { schemaOf } from '../diff/helpers'
import { syncProject } from '../sync/helpers'
import { writeSnapshotHistory } from '../helpers/history'

const V1 = 'model User {\n  id: Int! @id\n  name: String?\n}\n'
const V2 = 'model User {\n  id: Int! @id\n  name: String?\n  phone: String?\n}\n'

function snapshot(root: string, text: string): void {
  writeSnapshotHistory(root, canonicalJSON(schemaOf(text)))
}

describe('db:diff', () => {
  it('without a snapshot everything is new, and says so', async () => {
    const p = syncProject({ schema: V1 })
    const r = await okra(['db:diff'], { cwd: p.root })
    expect(r).toEqual({ code: 0, stdout: "+ Added model 'User'\n", stderr: 'No snapshot yet (migrations/snapshot/schema.json): every model is new.\n' })
    expect((await okra(['db:diff', '--exit-code'], { cwd: p.root })).code).toBe(2)
  })

  it('lists the changes since the snapshot; --exit-code: 2 with changes, 0 without', async () => {
    const p = syncProject({ schema: V2 })
    snapshot(p.root, V1)
    expect(await okra(['db:diff', '--exit-code'], { cwd: p.root })).toEqual({ code: 2, stdout: "+ Added field 'phone' to User\n", stderr: '' })
    snapshot(p.root, V2)
    expect(await okra(['db:diff', '--exit-code'], { cwd: p.root })).toEqual({ code: 0, stdout: '✓ No changes since the snapshot\n', stderr: '' })
  })

  it('--sql prints the SQL for the configured provider (and the environment picks it)', async () => {
    const p = syncProject({
      schema: V2,
      environments: { production: { provider: 'postgres', url: 'postgres://u:secret@db.example/app' } },
    })
    snapshot(p.root, V1)
    const sqlite = await okra(['db:diff', '--sql'], { cwd: p.root })
    expect(sqlite).toEqual({ code: 0, stdout: `-- + Added field 'phone' to User\n\nALTER TABLE "users" ADD COLUMN "phone" TEXT;\n`, stderr: '' })
    const postgres = await okra(['db:diff', '--sql', '--env', 'production'], { cwd: p.root })
    expect(postgres.stdout).toBe(`-- + Added field 'phone' to User\n\nALTER TABLE "users" ADD COLUMN "phone" VARCHAR;\n`)
    snapshot(p.root, V2)
    expect((await okra(['db:diff', '--sql'], { cwd: p.root })).stdout).toBe('-- No changes since the snapshot (sqlite)\n')
  })

  it('--json: one document with the changes and the SQL', async () => {
    const p = syncProject({ schema: V2 })
    snapshot(p.root, V1)
    const r = await okra(['db:diff', '--json', '--sql', '--exit-code'], { cwd: p.root })
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stdout)).toEqual({
      ok: true,
      hasSnapshot: true,
      provider: 'sqlite',
      changes: ["+ Added field 'phone' to User"],
      warnings: [],
      sql: ['ALTER TABLE "users" ADD COLUMN "phone" TEXT'],
    })
  })

  it('a schema error fails with its diagnostics', async () => {
    const p = syncProject({ schema: 'model User {\n  id: Int! @id\n  name: Strin\n}\n' })
    const r = await okra(['db:diff'], { cwd: p.root })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("models.okra.gql:3:9: error: Unknown type 'Strin'")
  })
})
