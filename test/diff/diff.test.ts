import { describe, expect, it } from 'vitest'
import { type RenameCandidate, renamesFrom } from '../../src/diff/renames'
import { summaries } from '../../src/diff/summary'
import { toPhysical } from '../../src/schema/physical'
import { compileSchema } from '../../src/schema/compile'
import { validFixtures } from '../fixtures/valid/load'
import { diffTexts, kinds } from './helpers'
import { diffOf, typesOf } from '../helpers/dialects'

const BASE = `
enum Role { ADMIN USER }
model User {
  id: ID! @default(uuid)
  email: String! @unique
  name: String!
  bio: String?
  age: Int
  role: Role! @default(USER)
  posts: [Post!]!
}
model Post {
  id: Int! @id @default(autoincrement)
  title: String!
  authorId: ID!
  author: User! @relation(fields: [authorId], references: [id])
}`

/** BASE with `edits` applied, each [search, replacement]. */
function edit(...edits: [string, string][]): string {
  return edits.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`not in schema: ${from}`)
    return text.replace(from, to)
  }, BASE)
}

describe('diff: nothing to do', () => {
  it('finds no change between a schema and itself, for every valid fixture and both providers', async () => {
    for (const fixture of validFixtures()) {
      const schema = compileSchema(fixture.sources).schema!
      for (const provider of ['postgres', 'sqlite'] as const) {
        const result = await diffOf(toPhysical(schema, typesOf(provider)), toPhysical(schema, typesOf(provider)))
        expect(result, `${fixture.name} on ${provider}`).toEqual({ changes: [], warnings: [] })
      }
    }
  })

  it('refuses to compare two providers', async () => {
    await expect(diffOf({ provider: 'sqlite', tables: [], enums: [] }, { provider: 'postgres', tables: [], enums: [] })).rejects.toThrow(
      'Cannot diff a sqlite schema against a postgres schema',
    )
  })
})

describe('diff: tables', () => {
  it('creates enum types, then tables, then their foreign keys', async () => {
    const { changes } = await diffTexts('', BASE, 'postgres')
    expect(kinds(changes)).toEqual(['createEnum role', 'createTable posts', 'createTable users', 'addForeignKey posts_author_id_fkey (withTable)'])
    expect(summaries(changes)).toEqual(["+ Added enum 'Role'", "+ Added model 'Post'", "+ Added model 'User'"])
    expect((await diffTexts('', BASE, 'sqlite')).changes.map((c) => c.kind)).toEqual(['createTable', 'createTable', 'addForeignKey'])
  })

  it('drops the foreign keys between dropped tables first, then the tables, then enum types', async () => {
    const { changes } = await diffTexts(BASE, '', 'postgres')
    expect(kinds(changes)).toEqual(['dropForeignKey posts_author_id_fkey (withTable)', 'dropTable posts', 'dropTable users', 'dropEnum role'])
    expect(summaries(changes)).toEqual(["- Removed model 'Post'", "- Removed model 'User'", "- Removed enum 'Role'"])
  })

  it('drops a foreign key pointing at a dropped table before dropping it', async () => {
    const to = `model Post {\n id: Int! @id @default(autoincrement)\n title: String!\n authorId: ID!\n}`
    const { changes } = await diffTexts(BASE, to, 'sqlite')
    expect(kinds(changes)).toEqual(['dropForeignKey posts_author_id_fkey', 'dropTable users'])
    expect(summaries(changes)).toEqual(["- Removed foreign key on Post(authorId) referencing User", "- Removed model 'User'"])
  })

  it('renames a table by @@renamed, and the indexes named after it', async () => {
    const to = edit(['model User {', 'model Person {\n  @@renamed(from: "User")'], ['author: User!', 'author: Person!'])
    const { changes, warnings } = await diffTexts(BASE, to, 'postgres')
    expect(warnings).toEqual([])
    expect(kinds(changes)).toEqual(['renameTable users->people', 'renameIndex users_email_key->people_email_key'])
    expect(summaries(changes)).toEqual(["~ Renamed model 'User' to 'Person'"])
    expect(changes.every((c) => c.safety.level === 'safe')).toBe(true)
  })

  it('makes a join table for a new many-to-many relation, with its foreign keys', async () => {
    const to = `${BASE.replace('title: String!', 'title: String!\n  tags: [Tag!]!')}\nmodel Tag {\n  id: Int! @id @default(autoincrement)\n  posts: [Post!]!\n}`
    const { changes } = await diffTexts(BASE, to, 'postgres')
    expect(kinds(changes)).toEqual([
      'createTable posts_to_tags',
      'createTable tags',
      'addForeignKey posts_to_tags_post_id_fkey (withTable)',
      'addForeignKey posts_to_tags_tag_id_fkey (withTable)',
    ])
    expect(summaries(changes)).toEqual(["+ Added join table 'posts_to_tags' for relation PostToTag", "+ Added model 'Tag'"])
  })
})

describe('diff: columns', () => {
  it('adds and drops columns', async () => {
    const { changes } = await diffTexts(BASE, edit(['bio: String?', 'phone: String?']), 'postgres')
    expect(kinds(changes)).toEqual(['dropColumn users.bio', 'addColumn users.phone'])
    expect(summaries(changes)).toEqual(["- Removed field 'bio' from User", "+ Added field 'phone' to User"])
  })

  it('renames a column by @renamed', async () => {
    const { changes } = await diffTexts(BASE, edit(['name: String!', 'fullName: String! @renamed(from: "name")']), 'sqlite')
    expect(kinds(changes)).toEqual(['renameColumn users.name->full_name'])
    expect(summaries(changes)).toEqual(["~ Renamed field 'name' to 'fullName' on User"])
  })

  it('changes type, nullability, default, @updatedAt', async () => {
    const to = edit(
      ['age: Int', 'age: BigInt'],
      ['bio: String?', 'bio: String!'],
      ['@default(USER)', '@default(ADMIN)'],
      ['title: String!', 'title: String!\n  editedAt: DateTime! @default(now)'],
    )
    const from = BASE.replace('title: String!', 'title: String!\n  editedAt: DateTime! @default(now) @updatedAt')
    const { changes } = await diffTexts(from, to, 'postgres')
    expect(kinds(changes)).toEqual([
      'alterColumn posts.edited_at [updatedAt]',
      'alterColumn users.bio [nullable]',
      'alterColumn users.age [type]',
      'alterColumn users.role [default]',
    ])
    expect(summaries(changes)).toEqual([
      "~ Removed @updatedAt from field 'editedAt' on Post",
      "~ Made field 'bio' on User required",
      "~ Changed type of field 'age' on User from Int to BigInt",
      '~ Changed default of field \'role\' on User from "USER" to "ADMIN"',
    ])
  })

  it('reports a change of OKRA type that SQLite stores alike (Int -> BigInt, both INTEGER)', async () => {
    const { changes } = await diffTexts(BASE, edit(['age: Int', 'age: BigInt']), 'sqlite')
    expect(kinds(changes)).toEqual(['alterColumn users.age [type]'])
    expect(changes[0]!.safety).toEqual({ level: 'safe' })
  })

  it('changes the allowed values of a SQLite enum column', async () => {
    const { changes } = await diffTexts(BASE, edit(['enum Role { ADMIN USER }', 'enum Role { ADMIN USER GUEST }']), 'sqlite')
    expect(kinds(changes)).toEqual(['alterColumn users.role [enumValues]'])
    expect(summaries(changes)).toEqual(["~ Changed field 'role' on User: values added 'GUEST'"])
  })

  it('does not report a default written differently by the database', async () => {
    const from = (await diffTexts('', BASE, 'postgres')).to
    const spelled = structuredClone(from)
    const age = spelled.tables.find((t) => t.name === 'users')!.columns.find((c) => c.name === 'age')!
    age.default = { kind: 'value', value: '007' }
    const plain = structuredClone(from)
    plain.tables.find((t) => t.name === 'users')!.columns.find((c) => c.name === 'age')!.default = { kind: 'value', value: 7 }
    expect((await diffOf(spelled, plain)).changes).toEqual([])
  })
})

describe('diff: keys and indexes', () => {
  it('adds and removes indexes and unique constraints', async () => {
    const { changes } = await diffTexts(BASE, edit(['email: String! @unique', 'email: String! @index'], ['name: String!', 'name: String! @unique']), 'postgres')
    expect(kinds(changes)).toEqual(['dropIndex users_email_key', 'createIndex users_email_idx', 'createIndex users_name_key'])
    expect(summaries(changes)).toEqual([
      '- Removed unique constraint on User(email)',
      '+ Added index on User(email)',
      '+ Added unique constraint on User(name)',
    ])
  })

  it('drops and adds a foreign key whose action changed', async () => {
    const { changes } = await diffTexts(BASE, edit(['references: [id])', 'references: [id], onDelete: Cascade)']), 'postgres')
    expect(kinds(changes)).toEqual(['dropForeignKey posts_author_id_fkey', 'addForeignKey posts_author_id_fkey'])
    expect(summaries(changes)).toEqual(['- Removed foreign key on Post(authorId) referencing User', '+ Added foreign key on Post(authorId) referencing User'])
  })

  it('changes a primary key, dropping and adding the foreign keys that depend on it (PostgreSQL)', async () => {
    const to = edit(['id: ID! @default(uuid)', 'id: ID! @default(uuid) @unique'], ['email: String! @unique', 'email: String! @id'])
    const { changes } = await diffTexts(BASE, to, 'postgres')
    expect(kinds(changes)).toEqual([
      'dropForeignKey posts_author_id_fkey (recreate)',
      'dropIndex users_email_key',
      'alterPrimaryKey users (id)->(email)',
      'createIndex users_id_key',
      'addForeignKey posts_author_id_fkey (recreate)',
    ])
    expect(summaries(changes)).toEqual([
      '- Removed unique constraint on User(email)',
      '~ Changed primary key of User from (id) to (email)',
      '+ Added unique constraint on User(id)',
    ])
    expect((await diffTexts(BASE, to, 'sqlite')).changes.map((c) => c.kind)).toEqual(['dropIndex', 'alterPrimaryKey', 'createIndex'])
  })

  it('drops and adds on PostgreSQL the foreign keys using a column whose stored type changes', async () => {
    const to = edit(['id: ID! @default(uuid)', 'id: String! @id'], ['authorId: ID!', 'authorId: String!'])
    const { changes } = await diffTexts(BASE, to, 'postgres')
    expect(kinds(changes)).toEqual([
      'dropForeignKey posts_author_id_fkey (recreate)',
      'alterColumn posts.author_id [type]',
      'alterColumn users.id [type,default]',
      'addForeignKey posts_author_id_fkey (recreate)',
    ])
    expect(summaries(changes)).toEqual([
      "~ Changed type of field 'authorId' on Post from ID to String",
      "~ Changed field 'id' on User: type ID -> String, default uuid -> none",
    ])
    expect((await diffTexts(BASE, to, 'sqlite')).changes.map((c) => c.kind)).toEqual(['alterColumn', 'alterColumn'])
  })
})

describe('diff: PostgreSQL enum types', () => {
  it('adds values before the table changes and removes values after them', async () => {
    const to = edit(['enum Role { ADMIN USER }', 'enum Role { GUEST ADMIN MEMBER }'], ['@default(USER)', '@default(MEMBER)'])
    const { changes } = await diffTexts(BASE, to, 'postgres')
    expect(kinds(changes)).toEqual(['alterEnum role +[GUEST,MEMBER] -[]', 'alterColumn users.role [default]', 'alterEnum role +[] -[USER]'])
    const [add, , remove] = changes
    expect(add).toMatchObject({ values: ['GUEST', 'ADMIN', 'MEMBER', 'USER'], columns: [{ table: 'users', column: 'role' }] })
    expect(remove).toMatchObject({ values: ['GUEST', 'ADMIN', 'MEMBER'], columns: [{ table: 'users', column: 'role', default: { kind: 'value', value: 'MEMBER' } }] })
    expect(summaries(changes)).toEqual([
      "~ Added values 'GUEST', 'MEMBER' to enum Role",
      '~ Changed default of field \'role\' on User from "USER" to "MEMBER"',
      "~ Removed value 'USER' from enum Role",
    ])
  })
})

describe('diff: renames', () => {
  const to = edit(['name: String!', 'fullName: String!'])

  it('drops and adds without a resolver', async () => {
    expect(kinds((await diffTexts(BASE, to, 'sqlite')).changes)).toEqual(['dropColumn users.name', 'addColumn users.full_name'])
  })

  it('asks the resolver about a dropped and an added column of compatible types', async () => {
    const asked: RenameCandidate[] = []
    const { changes } = await diffTexts(BASE, to, 'sqlite', {
      renames: async (candidate) => {
        asked.push(candidate)
        return 'rename' as const
      },
    })
    expect(asked).toEqual([{ kind: 'column', table: 'users', from: 'name', to: 'full_name' }])
    expect(kinds(changes)).toEqual(['renameColumn users.name->full_name'])
  })

  it('takes decisions as strings', async () => {
    expect(kinds((await diffTexts(BASE, to, 'sqlite', { renames: renamesFrom(['users.name->users.full_name']) })).changes)).toEqual([
      'renameColumn users.name->full_name',
    ])
    expect(kinds((await diffTexts(BASE, to, 'sqlite', { renames: renamesFrom(['users.bio->users.full_name']) })).changes)).toEqual([
      'dropColumn users.name',
      'addColumn users.full_name',
    ])
  })

  it('renames tables on the resolver word, and columns within them', async () => {
    const renamed = edit(['model User {', 'model Person {'], ['author: User!', 'author: Person!'], ['name: String!', 'fullName: String!'])
    const { changes } = await diffTexts(BASE, renamed, 'postgres', { renames: renamesFrom(['users->people', 'users.name->people.full_name']) })
    expect(kinds(changes)).toEqual(['renameTable users->people', 'renameColumn people.name->full_name', 'renameIndex users_email_key->people_email_key'])
  })

  it('does not ask about columns of incompatible types', async () => {
    const asked: RenameCandidate[] = []
    const text = edit(['age: Int', 'years: Boolean'])
    await diffTexts(BASE, text, 'postgres', { renames: (c) => (asked.push(c), 'drop-add') })
    expect(asked).toEqual([])
  })

  it('warns about a stale hint and creates the field', async () => {
    const { changes, warnings } = await diffTexts(BASE, edit(['bio: String?', 'bio: String?\n  phone: String? @renamed(from: "mobile")']), 'postgres')
    expect(kinds(changes)).toEqual(['addColumn users.phone'])
    expect(warnings).toEqual([
      {
        kind: 'stale-rename',
        message: `@renamed(from: "mobile") on field User.phone: nothing by that name exists, so 'phone' is created new. The hint can be removed.`,
      },
    ])
  })

  it('with spentHints (diffing against the snapshot), warns about a hint whose work is done', async () => {
    const withPhone = edit(['bio: String?', 'bio: String?\n  phone: String?'])
    const hinted = edit(['bio: String?', 'bio: String?\n  phone: String? @renamed(from: "mobile")'])
    const spent = await diffTexts(withPhone, hinted, 'postgres', { spentHints: true })
    expect(spent.changes).toEqual([])
    expect(spent.warnings).toEqual([
      {
        kind: 'stale-rename',
        message: `@renamed(from: "mobile") on field User.phone: nothing by that name exists any more, and 'phone' already exists under its new name. The hint can be removed.`,
      },
    ])
    // A sync compares with the dev database, where the snapshot may still need the hint: no warning.
    expect((await diffTexts(withPhone, hinted, 'postgres')).warnings).toEqual([])
  })

  it('warns when the hinted name is still in use', async () => {
    // The column of field 'bio' now belongs to 'biography': the hint on 'about' cannot take it.
    const to = edit(['bio: String?', 'biography: String? @map("bio")\n  about: String? @renamed(from: "bio")'])
    const { changes, warnings } = await diffTexts(BASE, to, 'postgres')
    expect(kinds(changes)).toEqual(['addColumn users.about'])
    expect(warnings.map((w) => w.kind)).toEqual(['rename-conflict'])
    expect(warnings[0]!.message).toContain("'bio' is still in use")
  })

  it('says nothing about hints when the database is empty', async () => {
    const { warnings } = await diffTexts('', edit(['name: String!', 'fullName: String! @renamed(from: "name")']), 'sqlite')
    expect(warnings).toEqual([])
  })

  it('finds a hinted model in a schema without labels by its table name', async () => {
    const { from, to: target } = await diffTexts(BASE, edit(['model User {', 'model Member {\n  @@renamed(from: "User")'], ['author: User!', 'author: Member!']), 'sqlite')
    const unlabelled = structuredClone(from)
    for (const t of unlabelled.tables) {
      delete t.model
      for (const c of t.columns) delete c.field
    }
    expect(kinds((await diffOf(unlabelled, target)).changes)).toEqual(['renameTable users->members', 'renameIndex users_email_key->members_email_key'])
  })

  it('rejects a malformed decision', () => {
    expect(() => renamesFrom(['users.name->full_name'])).toThrow("Bad rename decision 'users.name->full_name'")
  })
})

describe('diff: order', () => {
  it('drops, then renames, then adds; foreign keys last; enum values removed at the end', async () => {
    const from = `${BASE}\nmodel Legacy {\n  id: Int! @id\n  ownerId: ID!\n  owner: User! @relation(fields: [ownerId], references: [id])\n}`
    const to = edit(
      ['model User {', 'model Person {\n  @@renamed(from: "User")'],
      ['author: User!', 'author: Person!'],
      ['enum Role { ADMIN USER }', 'enum Role { ADMIN }'],
      ['@default(USER)', '@default(ADMIN)'],
      ['bio: String?', 'nickname: String @unique'],
      ['title: String!', 'title: String!\n  reviewerId: ID?\n  reviewer: Person? @relation(name: "Reviews", fields: [reviewerId], references: [id])'],
      ['posts: [Post!]!', 'posts: [Post!]!\n  reviews: [Post!]! @relation(name: "Reviews")'],
    )
    const { changes } = await diffTexts(from, to.replace('author: Person! @relation(', 'author: Person! @relation(name: "Authored", ').replace('posts: [Post!]!', 'posts: [Post!]! @relation(name: "Authored")'), 'postgres')
    expect(kinds(changes)).toEqual([
      'dropTable legacies',
      'dropColumn users.bio',
      'renameTable users->people',
      'addColumn people.nickname',
      'addColumn posts.reviewer_id',
      'alterColumn people.role [default]',
      'renameIndex users_email_key->people_email_key',
      'createIndex people_nickname_key',
      'addForeignKey posts_reviewer_id_fkey',
      'alterEnum role +[] -[USER]',
    ])
  })
})

describe('diff: many-to-many join tables', () => {
  const TAGS = `model User {\n  id: Int! @id\n  tags: [Tag!]!\n}\nmodel Tag {\n  id: Int! @id\n  users: [User!]!\n}`

  it('follow a renamed model: the join table and its columns are renamed, without asking', async () => {
    const asked: RenameCandidate[] = []
    const to = TAGS.replace('model User {', 'model Member {').replace('users: [User!]!', 'members: [Member!]!')
    const { changes } = await diffTexts(TAGS, to, 'postgres', { renames: (c) => (asked.push(c), c.from === 'users' ? 'rename' : 'drop-add') })
    expect(asked).toEqual([{ kind: 'table', table: 'members', from: 'users', to: 'members' }])
    expect(kinds(changes).filter((k) => k.startsWith('rename'))).toEqual([
      'renameTable users->members',
      'renameTable tags_to_users->members_to_tags',
      'renameColumn members_to_tags.user_id->member_id',
      'renameForeignKey tags_to_users_user_id_fkey->members_to_tags_member_id_fkey',
      'renameForeignKey tags_to_users_tag_id_fkey->members_to_tags_tag_id_fkey',
    ])
    expect(changes.every((c) => c.safety.level === 'safe')).toBe(true)
  })

  it('do not carry the links of one relation into another between the same models', async () => {
    const named = TAGS.replace('tags: [Tag!]!', 'tags: [Tag!]! @relation(name: "Likes")').replace('users: [User!]!', 'users: [User!]! @relation(name: "Likes")')
    const { changes } = await diffTexts(TAGS, named, 'postgres')
    expect(changes.map((c) => c.kind).filter((k) => k.endsWith('Table'))).toEqual(['dropTable', 'createTable'])
  })
})
