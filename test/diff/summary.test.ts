import { describe, expect, it } from 'vitest'
import { labelRenames } from '../../src/diff/labels'
import { summaries } from '../../src/diff/summary'
import type { DbSchema } from '../../src/schema/physical-types'
import { diffTexts, physicalOf } from './helpers'
import { diffOf } from '../helpers/dialects'

const BASE = `
enum Role { ADMIN USER }
model User {
  id: Int! @id @default(autoincrement)
  email: String!
  fax: String?
  bio: String?
  role: Role! @default(USER)
  stamp: DateTime!
  tags: [Tag!]!
}
model Tag {
  id: Int! @id
  users: [User!]!
}`

/** What introspection gives: no model, field or enum labels. */
function unlabelled(db: DbSchema): DbSchema {
  const copy = structuredClone(db)
  for (const t of copy.tables) {
    delete t.model
    delete t.joinTable
    for (const c of t.columns) {
      delete c.field
      delete c.logicalType
    }
  }
  for (const e of copy.enums) delete e.label
  return copy
}

describe('summaries', () => {
  it('says each change in one line, in the words of the schema', async () => {
    const to = BASE.replace('id: Int! @id @default(autoincrement)', 'id: Int! @id')
      .replace('fax: String?', '')
      .replace('bio: String?', 'bio: String? @default("none")')
      .replace('stamp: DateTime!', 'stamp: DateTime! @updatedAt\n  phone: String @unique')
      .replace('tags: [Tag!]!', '')
      .replace('users: [User!]!', '')
      .replace('enum Role { ADMIN USER }', 'enum Role { ADMIN USER }\nenum Plan { FREE PRO }')
    const { changes } = await diffTexts(BASE, to, 'postgres')
    expect(summaries(changes)).toEqual([
      "+ Added enum 'Plan'",
      "- Removed join table 'tags_to_users' of relation TagToUser",
      "- Removed field 'fax' from User",
      "+ Added field 'phone' to User",
      "~ Changed field 'id' on User: no longer autoincrement",
      '~ Set default of field \'bio\' on User to "none"',
      "~ Made field 'stamp' on User @updatedAt",
      '+ Added unique constraint on User(phone)',
    ])
  })

  it('names tables and columns when the old side was read from a database', async () => {
    const from = unlabelled(physicalOf(BASE, 'postgres'))
    const to = physicalOf(BASE.replace('fax: String?', '').replace('bio: String?', 'bio: String!').replace('enum Role { ADMIN USER }', 'enum Role { ADMIN }').replace('@default(USER)', '@default(ADMIN)'), 'postgres')
    const { changes } = await diffOf(from, to)
    expect(summaries(changes)).toEqual([
      "- Removed field 'fax' from User",
      "~ Made field 'bio' on User required",
      '~ Changed default of field \'role\' on User from "USER" to "ADMIN"',
      "~ Removed value 'USER' from enum Role",
    ])
    const { changes: gone } = await diffOf(from, physicalOf('model Other {\n  id: Int! @id\n}', 'postgres'))
    expect(summaries(gone)).toEqual(["- Removed model 'tags'", "- Removed model 'tags_to_users'", "- Removed model 'users'", "+ Added model 'Other'", "- Removed enum 'role'"])
  })

  it('gives implied changes no line of their own; a join table follows its renamed model', async () => {
    const to = BASE.replace('model User {', 'model Member {\n  @@renamed(from: "User")').replace('tags: [Tag!]!', 'tags: [Tag!]!\n  @@index([email])').replace('users: [User!]!', 'users: [Member!]!')
    const { changes } = await diffTexts(BASE, to, 'postgres')
    expect(changes.map((c) => c.kind)).toContain('renameTable')
    expect(summaries(changes)).toEqual([
      "~ Renamed model 'User' to 'Member'",
      "~ Renamed join table 'tags_to_users' to 'members_to_tags' (relation MemberToTag)",
      '+ Added index on Member(email)',
    ])
  })

  it('says what the column or table becomes when only @db(type:), @map or @@map changes', async () => {
    const to = BASE.replace('bio: String?', 'bio: String? @db(type: "TEXT")')
      .replace('fax: String?', 'fax: String? @map("fax_number")')
      .replace('model Tag {', 'model Tag {\n  @@map("labels")')
    const [a, b] = [physicalOf(BASE, 'postgres'), physicalOf(to, 'postgres')]
    const { changes } = await diffOf(a, b, { renames: labelRenames(a, b) })
    expect(summaries(changes)).toEqual([
      "~ Renamed table of model 'Tag' from 'tags' to 'labels'",
      "~ Renamed join table 'tags_to_users' to 'labels_to_users' (relation TagToUser)",
      "~ Renamed column of field 'fax' on User from 'fax' to 'fax_number'",
      "~ Changed type of field 'bio' on User from VARCHAR to TEXT",
    ])
  })

  it('says an OKRA type change in OKRA types, also where the database stores both alike', async () => {
    const { changes } = await diffTexts(BASE, BASE.replace('id: Int! @id\n', 'id: BigInt! @id\n'), 'sqlite')
    expect(summaries(changes)).toContain("~ Changed type of field 'id' on Tag from Int to BigInt")
  })

  it('an @updatedAt column made by an older OKRA gains the insert default of now: a safe change said as such', async () => {
    const old = physicalOf(BASE.replace('stamp: DateTime!', 'stamp: DateTime! @updatedAt'), 'postgres')
    const stamp = old.tables.find((t) => t.name === 'users')!.columns.find((c) => c.name === 'stamp')!
    stamp.default = null
    const { changes } = await diffOf(old, physicalOf(BASE.replace('stamp: DateTime!', 'stamp: DateTime! @updatedAt'), 'postgres'))
    expect(summaries(changes)).toEqual(["~ Set default of field 'stamp' on User to now"])
    expect(changes[0]!.safety).toEqual({ level: 'safe' })
  })
})
