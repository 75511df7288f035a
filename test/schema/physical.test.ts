import { describe, expect, it } from 'vitest'
import { toPhysical } from '../../src/schema/physical'
import type { DbTable } from '../../src/schema/physical-types'
import { physicalOf } from '../diff/helpers'
import { typesOf } from '../helpers/dialects'

const SHOP = `
enum Role { ADMIN USER GUEST }

model User {
  id: ID! @default(uuid)
  email: String! @unique
  name: String? @db(type: "varchar( 100 )")
  role: Role! @default(USER)
  age: Int @default(-1)
  big: BigInt! @default(9007199254740993)
  score: Float! @default(1.5)
  price: Decimal! @default("1.50")
  active: Boolean! @default(true)
  born: DateTime @default("2024-01-01T10:00:00+02:00")
  settings: JSON! @default("{\\"b\\": 1, \\"a\\": [2]}")
  avatar: Bytes
  createdAt: DateTime! @default(now)
  updatedAt: DateTime! @updatedAt
  posts: [Post!]!
  @@index([name, createdAt])
  @@map("people")
}

model Post {
  id: Int! @id @default(autoincrement)
  title: String! @map("headline") @renamed(from: "caption")
  authorId: ID!
  author: User! @relation(fields: [authorId], references: [id], onDelete: Cascade)
  tags: [Tag!]!
  @@renamed(from: "Article")
}

model Tag {
  id: BigInt! @id @default(autoincrement)
  posts: [Post!]!
}
`

const table = (tables: DbTable[], name: string) => tables.find((t) => t.name === name)!
const column = (t: DbTable, name: string) => t.columns.find((c) => c.name === name)!

describe('toPhysical on PostgreSQL', () => {
  const db = physicalOf(SHOP, 'postgres')
  const people = table(db.tables, 'people')

  it('lists tables (join table included) and enum types sorted by name', () => {
    expect(db.provider).toBe('postgres')
    expect(db.tables.map((t) => t.name)).toEqual(['people', 'posts', 'posts_to_tags', 'tags'])
    expect(db.enums).toEqual([{ name: 'role', values: ['ADMIN', 'USER', 'GUEST'], label: 'Role' }])
  })

  it('maps every scalar to the type of the mapping table (docs/providers.md), @db(type:) normalised, enums to their type', () => {
    expect(people.columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'UUID'],
      ['email', 'VARCHAR'],
      ['name', 'VARCHAR(100)'],
      ['role', 'role'],
      ['age', 'INTEGER'],
      ['big', 'BIGINT'],
      ['score', 'DOUBLE PRECISION'],
      ['price', 'DECIMAL(65,30)'],
      ['active', 'BOOLEAN'],
      ['born', 'TIMESTAMP(3)'],
      ['settings', 'JSONB'],
      ['avatar', 'BYTEA'],
      ['created_at', 'TIMESTAMP(3)'],
      ['updated_at', 'TIMESTAMP(3)'],
    ])
  })

  it('writes defaults in the normal form introspection reads back', () => {
    expect(Object.fromEntries(people.columns.map((c) => [c.name, c.default]))).toEqual({
      id: { kind: 'uuid' },
      email: null,
      name: null,
      role: { kind: 'value', value: 'USER' },
      age: { kind: 'value', value: -1 },
      big: { kind: 'value', value: '9007199254740993' },
      score: { kind: 'value', value: 1.5 },
      price: { kind: 'value', value: '1.50' },
      active: { kind: 'value', value: true },
      born: { kind: 'value', value: '2024-01-01T08:00:00.000Z' },
      settings: { kind: 'value', value: '{"a":[2],"b":1}' },
      avatar: null,
      created_at: { kind: 'now' },
      // @updatedAt also fills the column on insert.
      updated_at: { kind: 'now' },
    })
  })

  it('keeps nullability, @updatedAt, labels and rename hints', () => {
    expect(column(people, 'name').nullable).toBe(true)
    expect(column(people, 'email').nullable).toBe(false)
    expect(column(people, 'updated_at').updatedAt).toBe(true)
    expect(column(people, 'created_at')).toMatchObject({ field: 'createdAt', logicalType: 'DateTime' })
    expect(people.model).toBe('User')
    const posts = table(db.tables, 'posts')
    expect(posts.renamedFrom).toEqual(['Article'])
    expect(column(posts, 'headline')).toMatchObject({ field: 'title', renamedFrom: ['caption'] })
  })

  it('makes an identity of @default(autoincrement)', () => {
    const posts = table(db.tables, 'posts')
    expect(column(posts, 'id')).toMatchObject({ type: 'INTEGER', autoincrement: true, default: { kind: 'autoincrement' }, nullable: false })
    expect(column(table(db.tables, 'tags'), 'id')).toMatchObject({ type: 'BIGINT', autoincrement: true })
  })

  it('turns field names into columns in keys, indexes and foreign keys', () => {
    expect(people.primaryKey).toEqual(['id'])
    expect(people.indexes).toEqual([
      { name: 'people_email_key', columns: ['email'], unique: true },
      { name: 'people_name_created_at_idx', columns: ['name', 'created_at'], unique: false },
    ])
    expect(table(db.tables, 'posts').foreignKeys).toEqual([
      { name: 'posts_author_id_fkey', columns: ['author_id'], refTable: 'people', refColumns: ['id'], onDelete: 'Cascade', onUpdate: 'Cascade' },
    ])
  })

  it('makes the join table: both keys as primary key, cascading foreign keys, an index on the second key', () => {
    const join = table(db.tables, 'posts_to_tags')
    expect(join).toMatchObject({ model: 'PostToTag', joinTable: true, primaryKey: ['post_id', 'tag_id'] })
    expect(join.columns.map((c) => [c.name, c.type, c.nullable])).toEqual([
      ['post_id', 'INTEGER', false],
      ['tag_id', 'BIGINT', false],
    ])
    expect(join.foreignKeys.map((f) => [f.name, f.refTable, f.onDelete, f.onUpdate])).toEqual([
      ['posts_to_tags_post_id_fkey', 'posts', 'Cascade', 'Cascade'],
      ['posts_to_tags_tag_id_fkey', 'tags', 'Cascade', 'Cascade'],
    ])
    expect(join.indexes).toEqual([{ name: 'posts_to_tags_tag_id_idx', columns: ['tag_id'], unique: false }])
  })
})

describe('toPhysical on SQLite', () => {
  const db = physicalOf(SHOP, 'sqlite')
  const people = table(db.tables, 'people')

  it('maps every scalar to its SQLite type and has no enum types', () => {
    expect(db.enums).toEqual([])
    expect(people.columns.map((c) => c.type)).toEqual([
      'TEXT', 'TEXT', 'VARCHAR(100)', 'TEXT', 'INTEGER', 'INTEGER', 'REAL', 'TEXT', 'INTEGER', 'TEXT', 'TEXT', 'BLOB', 'TEXT', 'TEXT',
    ])
  })

  it('gives an enum column its allowed values (a CHECK)', () => {
    expect(column(people, 'role')).toMatchObject({ type: 'TEXT', enumValues: ['ADMIN', 'USER', 'GUEST'], default: { kind: 'value', value: 'USER' } })
  })

  it('writes literal defaults by type affinity', () => {
    expect(column(people, 'active').default).toEqual({ kind: 'value', value: 1 })
    expect(column(people, 'big').default).toEqual({ kind: 'value', value: '9007199254740993' })
    expect(column(people, 'age').default).toEqual({ kind: 'value', value: -1 })
    expect(column(people, 'price').default).toEqual({ kind: 'value', value: '1.50' })
    expect(column(people, 'born').default).toEqual({ kind: 'value', value: '2024-01-01T08:00:00.000Z' })
  })

  it('reads NUMERIC-affinity defaults as numbers, integers beyond 2^53 as digits', () => {
    const db = physicalOf('model Price {\n  id: Int! @id\n  amount: Decimal! @db(type: "numeric(12, 2)") @default("3.10")\n  huge: BigInt! @db(type: "NUMERIC(30,0)") @default(9007199254740993)\n}', 'sqlite')
    expect(db.tables[0]!.columns.slice(1).map((c) => [c.type, c.default])).toEqual([
      ['NUMERIC(12,2)', { kind: 'value', value: 3.1 }],
      ['NUMERIC(30,0)', { kind: 'value', value: '9007199254740993' }],
    ])
  })

  it('marks every single INTEGER primary key autoincrement (the rowid alias), none other', () => {
    expect(column(table(db.tables, 'posts'), 'id')).toMatchObject({ autoincrement: true, default: { kind: 'autoincrement' } })
    expect(column(table(db.tables, 'tags'), 'id')).toMatchObject({ type: 'INTEGER', autoincrement: true })
    expect(table(db.tables, 'posts_to_tags').columns.every((c) => !c.autoincrement)).toBe(true)
    const plainKey = physicalOf('model Counter { id: Int! @id }', 'sqlite').tables[0]!
    expect(plainKey.columns[0]).toMatchObject({ autoincrement: true, default: { kind: 'autoincrement' } })
  })
})

describe('toPhysical on every valid fixture', () => {
  it('produces sorted tables whose keys, indexes and foreign keys name existing columns', async () => {
    const { validFixtures } = await import('../fixtures/valid/load')
    const { compileSchema } = await import('../../src/schema/compile')
    for (const fixture of validFixtures()) {
      const schema = compileSchema(fixture.sources).schema!
      for (const provider of ['postgres', 'sqlite'] as const) {
        const db = toPhysical(schema, typesOf(provider))
        const names = db.tables.map((t) => t.name)
        expect(names, fixture.name).toEqual([...names].sort())
        for (const t of db.tables) {
          const columns = new Set(t.columns.map((c) => c.name))
          const used = [...t.primaryKey, ...t.indexes.flatMap((i) => i.columns), ...t.foreignKeys.flatMap((f) => f.columns)]
          expect(used.filter((c) => !columns.has(c)), `${fixture.name} ${t.name}`).toEqual([])
          for (const fk of t.foreignKeys) {
            const target = db.tables.find((x) => x.name === fk.refTable)
            expect(target, `${fixture.name} ${fk.name}`).toBeDefined()
            expect(fk.refColumns.every((c) => target!.columns.some((x) => x.name === c))).toBe(true)
          }
        }
      }
    }
  })
})
