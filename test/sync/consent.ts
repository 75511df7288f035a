/**
 * The destructive-consent scenario, shared by the SQLite and PostgreSQL suites: 1,500 users, then one
 * schema change holding the four destructive kinds the issue names.
 */
import type { Driver } from '../../src/dialects/index'

export const BEFORE = `model User {
  id: Int! @id
  email: String!
  fax: String?
  nickname: String?
  score: Float?
}
`

/**
 * Drops fax (1,200 values), makes email unique (10 duplicate groups), score Float -> Int (700 values).
 * nickname becomes required with a default, which fills its 300 NULLs (without one, sync refuses the
 * change before asking: no consent can fill them; see required-over-nulls.test.ts).
 */
export const AFTER = `model User {
  id: Int! @id
  email: String! @unique
  nickname: String! @default("anon")
  score: Int?
}
`

export const EXPECTED_RISKS = [
  'dropping column users.fax loses 1,200 non-null values',
  'fails on 10 groups of duplicate values',
  'may fail on or alter 700 non-null values',
]

export async function fillUsers(driver: Driver): Promise<void> {
  await driver.exec(`
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)
    INSERT INTO "users" ("id", "email", "fax", "nickname", "score")
    SELECT i, 'u' || (i % 1490),
           CASE WHEN i <= 1200 THEN 'f' || i ELSE NULL END,
           CASE WHEN i % 5 = 0 THEN NULL ELSE 'n' || i END,
           CASE WHEN i <= 700 THEN i + 0.5 ELSE NULL END
    FROM n`)
}

export async function dumpUsers(driver: Driver): Promise<unknown[]> {
  return driver.query('SELECT * FROM "users" ORDER BY "id"')
}
