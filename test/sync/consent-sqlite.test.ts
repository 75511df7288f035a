import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DataLossError } from '../../src/sync/sync'
import { okra } from '../cli/capture'
import { count, syncAndCheck, syncProject } from './helpers'
import { AFTER, BEFORE, EXPECTED_RISKS, dumpUsers, fillUsers } from './consent'

const fileHash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')

async function filledProject() {
  const p = syncProject({ schema: BEFORE })
  await syncAndCheck(p)
  const driver = await p.open()
  await fillUsers(driver)
  await driver.close()
  p.write(AFTER)
  return p
}

describe('destructive changes on SQLite need consent', () => {
  it('without it: DataLossError listing each change with its rows, and the file byte for byte as it was', async () => {
    const p = await filledProject()
    const file = join(p.root, 'dev.db')
    const before = fileHash(file)
    const error = await p.sync().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DataLossError)
    const message = (error as DataLossError).message
    for (const risk of EXPECTED_RISKS) expect(message).toContain(risk)
    expect((error as DataLossError).atRisk.map((r) => r.count).sort((a, b) => a - b)).toEqual([10, 700, 1200])
    expect((error as DataLossError).hint).toContain('--accept-data-loss')
    expect(existsSync(`${file}-wal`)).toBe(false)
    expect(fileHash(file)).toBe(before)
    expect(existsSync(join(p.root, 'migrations/current/schema.json'))).toBe(true)
    expect(readFileSync(join(p.root, 'migrations/current/schema.json'), 'utf8')).toContain('"fax"')
  })

  it('a "no" at the prompt changes nothing either; a "yes" applies (and a failing apply rolls back byte for byte)', async () => {
    const p = await filledProject()
    const file = join(p.root, 'dev.db')
    const before = fileHash(file)
    const questions: string[] = []
    const declined = await p.sync({ confirm: async (q) => (questions.push(q), false) }).catch((e: unknown) => e)
    expect(declined).toMatchObject({ name: 'DataLossError', declined: true })
    expect(questions[0]).toContain('dropping column users.fax loses 1,200 non-null values')
    expect(fileHash(file)).toBe(before)
    // Yes: the unique index cannot be made over the duplicates, so the apply fails and rolls back.
    await expect(p.sync({ confirm: async () => true })).rejects.toThrow(/UNIQUE constraint failed: .*email/)
    expect(existsSync(`${file}-wal`)).toBe(false)
    expect(fileHash(file)).toBe(before)
  })

  it('--accept-data-loss applies what can be applied, and keeps every row', async () => {
    const p = await filledProject()
    p.write(AFTER.replace('email: String! @unique', 'email: String!'))
    const result = await syncAndCheck(p, { acceptDataLoss: true })
    expect(result.dataLoss.map((r) => r.count).sort((a, b) => a - b)).toEqual([700, 1200])
    const driver = await p.open()
    expect(await count(driver, 'users')).toBe(1500)
    expect(await count(driver, 'users', `"nickname" = 'anon'`)).toBe(300)
  })

  it('the same change on empty tables needs no consent', async () => {
    const p = syncProject({ schema: BEFORE })
    await p.sync()
    p.write(AFTER)
    const result = await syncAndCheck(p)
    expect(result.applied).toBe(true)
    expect(result.dataLoss).toEqual([])
  })

  it('the CLI without a terminal: exit 1, each change with its rows, and the flag to pass', async () => {
    const p = await filledProject()
    const refused = await okra(['db:sync'], { cwd: p.root })
    expect(refused.code).toBe(1)
    expect(refused.stdout).toBe('')
    for (const risk of EXPECTED_RISKS) expect(refused.stderr).toContain(risk)
    expect(refused.stderr).toContain('--accept-data-loss')
    const driver = await p.open()
    expect((await dumpUsers(driver)).length).toBe(1500)
  })

  it('backup: true (auto-sync) copies the file into .okra/backups first, keeping the newest 5', async () => {
    const p = await filledProject()
    p.write(BEFORE.replace('  fax: String?\n', ''))
    const result = await syncAndCheck(p, { backup: true })
    expect(result.backup?.kind).toBe('file')
    const copy = (result.backup as { path: string }).path
    expect(copy.startsWith(join(p.root, '.okra/backups/'))).toBe(true)
    expect(result.backup?.restoreHint).toMatch(/^restore it with `okra db:restore dev-\d{8}-\d{6}-\d{3}`$/)
    expect(copy).toMatch(/\/dev-\d{8}-\d{6}-\d{3}\.db$/)
    const { default: Database } = await import('better-sqlite3')
    const saved = new Database(copy, { readonly: true })
    expect(saved.prepare('SELECT COUNT("fax") AS n FROM users').get()).toEqual({ n: 1200 })
    saved.close()
    for (let i = 0; i < 6; i++) {
      p.write(BEFORE)
      await p.sync()
      const driver = await p.open()
      await driver.query(`UPDATE "users" SET "fax" = 'x'`)
      await driver.close()
      p.write(BEFORE.replace('  fax: String?\n', ''))
      expect((await p.sync({ backup: true })).backup).toBeDefined()
    }
    expect(readdirSync(join(p.root, '.okra/backups')).filter((f) => f.endsWith('.db'))).toHaveLength(5)
  })
})
