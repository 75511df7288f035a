/** What is destructive, why, and how many rows it touches (counted on a real SQLite); which tables a batch puts at risk. */
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { Change, Risk } from '../../src/diff/changes'
import { describeRisk, tablesAtRisk } from '../../src/diff/safety'
import { renderSqlite } from '../../src/dialects/sqlite/render'
import { transactionParts } from '../../src/sql/statement'
import type { Provider } from '../../src/schema/physical-types'
import { diffTexts, empty, physicalOf } from './helpers'

const USER = `
enum Role { ADMIN USER GUEST }
model User {
  id: Int! @id
  email: String!
  fax: String?
  bio: String?
  age: Int
  role: Role! @default(USER)
  teamId: Int
}
model Team {
  id: Int! @id
}`

/** A SQLite database holding USER's tables and rows: 4 users, 2 sharing an email, 1 fax, 2 bios, 1 unknown team. */
function database(): Database.Database {
  const db = new Database(':memory:')
  const { before, inside, after } = transactionParts(renderSqlite(creation(), physicalOf(USER, 'sqlite'), empty('sqlite')))
  for (const s of [...before, ...inside, ...after]) db.exec(s.sql)
  db.exec(`INSERT INTO teams (id) VALUES (1)`)
  db.exec(`INSERT INTO users (id, email, fax, bio, age, role, team_id) VALUES
    (1, 'a@x', '555', 'hi', 30, 'ADMIN', 1), (2, 'a@x', NULL, 'yo', NULL, 'GUEST', 1), (3, 'c@x', NULL, NULL, 20, 'GUEST', 7), (4, 'd@x', NULL, NULL, NULL, 'USER', NULL)`)
  return db
}

function creation(): Change[] {
  const to = physicalOf(USER, 'sqlite')
  return to.tables.map((table): Change => ({ kind: 'createTable', table, model: table.model!, safety: { level: 'safe' } }))
}

/** The changes of editing USER, each with its risks' counts on `database()`. */
async function risks(edits: [string, string][], provider: Provider = 'sqlite'): Promise<{ kind: string; risks: (Risk & { count: number })[] }[]> {
  const to = edits.reduce((text, [a, b]) => {
    if (!text.includes(a)) throw new Error(`not in schema: ${a}`)
    return text.replace(a, b)
  }, USER)
  const { changes } = await diffTexts(USER, to, provider)
  const db = database()
  return changes.map((c) => ({
    kind: c.kind,
    risks: c.safety.level === 'safe' ? [] : c.safety.risks.map((r) => ({ ...r, count: (db.prepare(r.countSql).get() as { count: number }).count })),
  }))
}

/** `reason count unit` of every risk, as the CLI would print them. */
async function said(edits: [string, string][], provider: Provider = 'sqlite'): Promise<string[]> {
  return (await risks(edits, provider)).flatMap((c) => c.risks.map((r) => describeRisk(r, r.count)))
}

describe('destructive changes and their counts', () => {
  it('dropping a table loses its rows', async () => {
    expect(await said([['model Team {\n  id: Int! @id\n}', '']])).toEqual(['dropping table teams loses 1 row'])
  })

  it('dropping a column loses its non-null values', async () => {
    expect(await said([['fax: String?', '']])).toEqual(['dropping column users.fax loses 1 non-null value'])
    expect(await said([['bio: String?', '']])).toEqual(['dropping column users.bio loses 2 non-null values'])
  })

  it('a type change that is not a lossless widening may fail on or alter the values', async () => {
    expect(await said([['email: String!', 'email: Int!']])).toEqual(['changing the type of users.email from String (TEXT) to Int (INTEGER) may fail on or alter 4 non-null values'])
    expect(await said([['age: Int', 'age: Boolean']], 'postgres')).toEqual(['changing the type of users.age from Int (INTEGER) to Boolean (BOOLEAN) may fail on or alter 2 non-null values'])
  })

  it('optional to required without a default fails on rows holding NULL; with a default it is safe', async () => {
    expect(await said([['bio: String?', 'bio: String!']])).toEqual(['making users.bio required without a default fails on 2 rows with NULL'])
    expect(await risks([['bio: String?', 'bio: String! @default("")']])).toEqual([{ kind: 'alterColumn', risks: [] }])
  })

  it('a new required column without a default fails on every existing row', async () => {
    expect(await said([['fax: String?', 'fax: String?\n  phone: String!']])).toEqual(['adding required column users.phone without a default fails on 4 existing rows'])
    expect(await said([['fax: String?', 'fax: String?\n  phone: String! @default("")']])).toEqual([])
  })

  it('a new unique constraint fails on groups of duplicates', async () => {
    expect(await said([['email: String!', 'email: String! @unique']])).toEqual(['adding unique index users_email_key on users(email) fails on 1 group of duplicate values'])
    expect(await said([['email: String!', 'email: String!\n  @@unique([email, age])']])).toEqual([
      'adding unique index users_email_age_key on users(email, age) fails on 0 groups of duplicate values',
    ])
  })

  it('a unique constraint that cannot clash is safe: over a new nullable column, or containing the primary key', async () => {
    expect(await said([['fax: String?', 'fax: String?\n  handle: String? @unique']])).toEqual([])
    expect(await said([['email: String!', 'email: String!\n  @@unique([id, email])']])).toEqual([])
  })

  it('removing an enum value fails on the rows using it (SQLite CHECK, PostgreSQL type)', async () => {
    const removal: [string, string][] = [['enum Role { ADMIN USER GUEST }', 'enum Role { ADMIN USER }']]
    expect(await said(removal)).toEqual(['removing value GUEST from enum Role fails on 2 rows using them'])
    expect(await said(removal, 'postgres')).toEqual(['removing value GUEST from enum Role fails on 2 rows using them'])
    expect(await said([['enum Role { ADMIN USER GUEST }', 'enum Role { ADMIN USER GUEST MEMBER }']], 'postgres')).toEqual([])
  })

  it('a new foreign key on existing rows fails on those matching no parent', async () => {
    const relation: [string, string][] = [
      ['teamId: Int', 'teamId: Int\n  team: Team? @relation(fields: [teamId], references: [id])'],
      ['model Team {\n  id: Int! @id', 'model Team {\n  id: Int! @id\n  users: [User!]!'],
    ]
    expect(await said(relation)).toEqual(['adding foreign key users(team_id) -> teams(id) fails on 1 row with no matching parent'])
  })

  it('a new primary key fails on duplicates, unless it contains the old one', async () => {
    expect(await said([['id: Int! @id', 'id: Int!'], ['email: String!', 'email: String! @id']])).toEqual([
      'changing the primary key of users to (email) fails on 1 group of duplicate values',
    ])
    expect(await said([['id: Int! @id', 'id: Int!'], ['email: String!', 'email: String!\n  @@id([id, email])']])).toEqual([])
  })
})

describe('safe changes', () => {
  it.each([
    ['Int to BigInt', 'postgres', 'age: Int', 'age: Int', 'age: BigInt'],
    ['Int to Float', 'postgres', 'age: Int', 'age: Int', 'age: Float'],
    ['Int to Float', 'sqlite', 'age: Int', 'age: Int', 'age: Float'],
    ['Int to Decimal', 'postgres', 'age: Int', 'age: Int', 'age: Decimal'],
    ['a wider VARCHAR', 'postgres', 'fax: String?', 'fax: String? @db(type: "VARCHAR(10)")', 'fax: String? @db(type: "VARCHAR(20)")'],
    ['VARCHAR to TEXT', 'postgres', 'email: String!', 'email: String!', 'email: String! @db(type: "TEXT")'],
    ['an enum to String', 'postgres', 'role: Role! @default(USER)', 'role: Role! @default(USER)', 'role: String! @default("USER")'],
    ['a new optional field', 'sqlite', 'fax: String?', 'fax: String?', 'fax: String?\n  x: Int'],
    ['required to optional', 'sqlite', 'email: String!', 'email: String!', 'email: String'],
    ['an index', 'postgres', 'email: String!', 'email: String!', 'email: String! @index'],
  ] as const)('%s (%s)', async (_, provider, original, a, b) => {
    const from = USER.replace(original, a)
    const { changes } = await diffTexts(from, from.replace(a, b), provider)
    expect(changes.length).toBeGreaterThan(0)
    expect(changes.map((c) => c.safety)).toEqual(changes.map(() => ({ level: 'safe' })))
  })

  it.each([
    ['BigInt to Float', 'postgres', 'age: Int', 'age: BigInt', 'age: Float'],
    ['BigInt to Float', 'sqlite', 'age: Int', 'age: BigInt', 'age: Float'],
    ['a narrower VARCHAR', 'postgres', 'fax: String?', 'fax: String? @db(type: "VARCHAR(20)")', 'fax: String? @db(type: "VARCHAR(10)")'],
    ['Float to Int', 'sqlite', 'age: Int', 'age: Float', 'age: Int'],
  ] as const)('but not %s (%s)', async (_, provider, original, a, b) => {
    const from = USER.replace(original, a)
    const { changes } = await diffTexts(from, from.replace(a, b), provider)
    expect(changes.map((c) => c.safety.level)).toEqual(['destructive'])
  })

  it('renames keep data', async () => {
    const { changes } = await diffTexts(USER, USER.replace('fax: String?', 'telefax: String? @renamed(from: "fax")').replace('model Team {', 'model Squad {\n  @@renamed(from: "Team")'), 'sqlite')
    expect(changes.map((c) => [c.kind, c.safety.level])).toEqual([
      ['renameTable', 'safe'],
      ['renameColumn', 'safe'],
    ])
  })
})

describe('describeRisk', () => {
  it('groups thousands and picks the singular for one', () => {
    const risk: Risk = { reason: 'dropping column users.fax loses', unit: { one: 'non-null value', other: 'non-null values' }, countSql: '' }
    expect(describeRisk(risk, 1200)).toBe('dropping column users.fax loses 1,200 non-null values')
    expect(describeRisk(risk, 1)).toBe('dropping column users.fax loses 1 non-null value')
    expect(describeRisk(risk, 0)).toBe('dropping column users.fax loses 0 non-null values')
  })
})

describe('tablesAtRisk', () => {
  it('names the tables of destructive changes as they are before the batch (renamed tables by their old name)', async () => {
    const { changes } = await diffTexts(
      'model Person {\n  id: Int! @id\n  fax: String?\n  age: Int?\n}\nmodel Tag {\n  id: Int! @id\n}\nmodel Note {\n  id: Int! @id\n  body: String?\n}\n',
      'model User {\n  @@renamed(from: "Person")\n  id: Int! @id\n  age: String?\n}\nmodel Note {\n  id: Int! @id\n  body: String?\n  extra: String?\n}\n',
      'sqlite',
    )
    expect(tablesAtRisk(changes)).toEqual(['people', 'tags'])
  })
})
