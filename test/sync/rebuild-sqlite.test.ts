/**
 * SQLite table rebuilds never lose rows elsewhere: the parent of ON DELETE CASCADE children is dropped
 * and re-created with foreign keys off, so no child row goes; and a rebuild that would leave a broken
 * foreign key fails the final check and rolls everything back.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { count, syncAndCheck, syncProject } from './helpers'

const TEAMS = `model Team {
  id: Int! @id
  name: String?
  members: [Member!]!
}
model Member {
  id: Int! @id
  teamId: Int!
  team: Team! @relation(fields: [teamId], references: [id], onDelete: Cascade)
  tasks: [Task!]!
}
model Task {
  id: Int! @id
  memberId: Int!
  member: Member! @relation(fields: [memberId], references: [id], onDelete: Cascade)
}
`

describe('SQLite rebuilds', () => {
  it('rebuilding a parent keeps every ON DELETE CASCADE child row (and grandchild)', async () => {
    const p = syncProject({ schema: TEAMS })
    await syncAndCheck(p)
    const driver = await p.open()
    await driver.exec(`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) INSERT INTO teams (id, name) SELECT i, CASE WHEN i % 2 = 0 THEN 't' || i END FROM n;
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO members (id, team_id) SELECT i, 1 + i % 50 FROM n;
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO tasks (id, member_id) SELECT i, 1 + i % 500 FROM n;`)
    // Optional to required with a default rebuilds teams; a field with a now() default rebuilds members.
    p.write(TEAMS.replace('name: String?', 'name: String! @default("unnamed")').replace('  teamId: Int!', '  teamId: Int!\n  joinedAt: DateTime! @default(now)'))
    const result = await syncAndCheck(p, {}, driver)
    expect(result.statements.map((s) => s.sql)).toEqual(expect.arrayContaining(['DROP TABLE "teams"', 'DROP TABLE "members"']))
    expect(await count(driver, 'teams')).toBe(50)
    expect(await count(driver, 'teams', `"name" = 'unnamed'`)).toBe(25)
    expect(await count(driver, 'members')).toBe(500)
    expect(await count(driver, 'tasks')).toBe(2000)
    expect(await driver.query('SELECT * FROM pragma_foreign_key_check')).toEqual([])
    expect(await driver.query('SELECT * FROM pragma_foreign_keys')).toEqual([{ foreign_keys: 1 }])
  })

  it('a rebuild that would break a foreign key fails, and the file is byte for byte as it was', async () => {
    const loose = TEAMS.replace('  team: Team! @relation(fields: [teamId], references: [id], onDelete: Cascade)\n', '').replace('  members: [Member!]!\n', '')
    const p = syncProject({ schema: loose })
    await syncAndCheck(p)
    const driver = await p.open()
    await driver.exec(`INSERT INTO teams (id) VALUES (1); INSERT INTO members (id, team_id) VALUES (1, 1), (2, 99), (3, 98);`)
    await driver.close()
    const file = join(p.root, 'dev.db')
    const hash = () => createHash('sha256').update(readFileSync(file)).digest('hex')
    const before = hash()
    p.write(TEAMS)
    // Without consent it stops first, naming the orphans.
    await expect(p.sync()).rejects.toThrow(/fails on 2 rows with no matching parent/)
    // With it, the rebuild runs and the foreign key check at its end rolls it back.
    await expect(p.sync({ acceptDataLoss: true })).rejects.toThrow(/foreign key violations/)
    expect(hash()).toBe(before)
    expect(await p.drift()).toContain("+ Added foreign key on Member(teamId) referencing Team")
  })
})
