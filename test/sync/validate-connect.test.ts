/** `db:validate` also connects to a configured database: the real check behind validate's `connect` seam. */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { okra } from '../cli/capture'
import { usePgDatabase } from '../helpers/pg'
import { syncProject } from './helpers'

const pgdb = await usePgDatabase()
const SCHEMA = 'model User {\n  id: Int! @id\n}\n'

describe('db:validate connects', () => {
  it('SQLite: reports the connection once the file exists, and never creates it', async () => {
    const p = syncProject({ schema: SCHEMA })
    expect(await okra(['db:validate'], { cwd: p.root })).toEqual({ code: 0, stdout: '✓ 1 model, 0 enums in 1 file\n', stderr: '' })
    expect(existsSync(join(p.root, 'dev.db'))).toBe(false)
    await p.sync()
    const r = await okra(['db:validate'], { cwd: p.root })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/\n✓ connected to sqlite:\/\/\/.*\/dev\.db: SQLite 3\.\d+\.\d+\n$/)
  })

  it(`PostgreSQL (${pgdb.mode}): reports the server version with the masked URL`, async () => {
    const url = new URL(pgdb.url)
    url.password = 'hidden-pw'
    const p = syncProject({ schema: SCHEMA, url: url.toString() })
    const r = await okra(['db:validate', '--json'], { cwd: p.root })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).database).toMatchObject({ connected: true, url: expect.stringContaining(':***@'), message: expect.stringMatching(/^PostgreSQL \d+/) })
    expect(r.stdout).not.toContain('hidden-pw')
  })

  it('a database that does not answer: exit 1, and why', async () => {
    const p = syncProject({ schema: SCHEMA, url: 'postgres://u:pw@127.0.0.1:9/nowhere' })
    const r = await okra(['db:validate'], { cwd: p.root })
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('✗ cannot connect to postgres://u:***@127.0.0.1:9/nowhere: Cannot connect to PostgreSQL at postgres://u:***@127.0.0.1:9/nowhere: connection refused.\n')
  })
})
