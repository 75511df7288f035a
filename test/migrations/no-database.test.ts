/**
 * `okra migrate:status` where the SQLite file does not exist yet: it must not create it, and says so.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { okraProcess } from '../helpers/okra-process'
import { makeTempDir, writeFiles } from '../helpers/tmp'

it('migrate:status on a missing SQLite file: every migration pending, "no database yet", and no file made', () => {
  const root = makeTempDir('okra-no-db-')
  writeFiles(root, { 'models.okra.gql': 'model User {\n  id: Int! @id\n}\n' })
  expect(okraProcess(['db:migrate:snapshot', '--force', '--name', 'init'], { cwd: root }).code).toBe(0)
  const r = okraProcess(['migrate:status'], { cwd: root })
  expect(r.code).toBe(0)
  expect(r.stdout).toMatch(/^No database yet at sqlite:\/\/\/.*\/dev\.db: nothing is applied\. `okra migrate:up` creates it and applies 1 migration\.\n○ \d{8}_\d{6}_init  pending\n0 applied, 1 pending on sqlite:\/\/\//)
  expect(existsSync(join(root, 'dev.db'))).toBe(false)
  expect(okraProcess(['migrate:status', '--exit-code'], { cwd: root }).code).toBe(2)
  expect(JSON.parse(okraProcess(['migrate:status', '--json'], { cwd: root }).stdout)).toMatchObject({ ok: true, database: 'missing', pending: 1 })
  expect(existsSync(join(root, 'dev.db'))).toBe(false)

  expect(okraProcess(['migrate:up'], { cwd: root }).code).toBe(0)
  expect(okraProcess(['migrate:status'], { cwd: root }).stdout).toMatch(/✓ \d{8}_\d{6}_init  applied/)
})
