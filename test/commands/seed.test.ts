import { describe, expect, it } from 'vitest'
import { writeFiles } from '../helpers/tmp'
import { okra } from '../cli/capture'
import { count, syncProject } from '../sync/helpers'

const SCHEMA = 'model User {\n  id: Int! @id\n  email: String! @unique\n}\nmodel Post {\n  id: Int! @id\n  authorId: Int!\n  author: User! @relation(fields: [authorId], references: [id])\n}\n'

describe('db:seed', () => {
  it('runs seeds/*.sql in name order', async () => {
    const p = syncProject({ schema: SCHEMA })
    await p.sync()
    writeFiles(p.root, {
      'seeds/02-posts.sql': 'INSERT INTO posts (id, author_id) VALUES (1, 1), (2, 2);\n',
      'seeds/01-users.sql': "INSERT INTO users (id, email) VALUES (1, 'a@x');\nINSERT INTO users (id, email) VALUES (2, 'b@x');\n",
      'seeds/README.md': 'not SQL',
    })
    const r = await okra(['db:seed'], { cwd: p.root })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^✓ seeds\/01-users\.sql \(\d+ ms\)\n✓ seeds\/02-posts\.sql \(\d+ ms\)\nSeeded sqlite:\/\/.*dev\.db from 2 files\n$/)
    const driver = await p.open()
    expect(await count(driver, 'posts')).toBe(2)
  })

  it('a failing file is rolled back whole, names its file and line; the files before it stay', async () => {
    const p = syncProject({ schema: SCHEMA })
    await p.sync()
    writeFiles(p.root, {
      'seeds/01-users.sql': "INSERT INTO users (id, email) VALUES (1, 'a@x');\n",
      'seeds/02-more.sql': "INSERT INTO users (id, email) VALUES (2, 'b@x');\n\n-- the same email again\nINSERT INTO users (id, email) VALUES (3, 'a@x');\n",
      'seeds/03-never.sql': "INSERT INTO users (id, email) VALUES (4, 'd@x');\n",
    })
    const r = await okra(['db:seed'], { cwd: p.root })
    expect(r.code).toBe(1)
    expect(r.stderr.split('\n')[0]).toBe('error: seeds/02-more.sql:4: SQLite error SQLITE_CONSTRAINT_UNIQUE: UNIQUE constraint failed: users.email')
    expect(r.stderr).toContain('hint: The files before it stay applied (seeds/01-users.sql); nothing of seeds/02-more.sql was applied')
    const driver = await p.open()
    expect(await driver.query('SELECT id FROM users ORDER BY id')).toEqual([{ id: 1 }])
  })

  it('no seeds folder: nothing to run, and no database file created', async () => {
    const p = syncProject({ schema: SCHEMA })
    const r = await okra(['db:seed'], { cwd: p.root })
    expect(r).toEqual({ code: 0, stdout: 'No seed files (seeds/*.sql): nothing to run\n', stderr: '' })
  })
})
