/**
 * `map:` gives an index, unique constraint or foreign key its database name (as Prisma's `map:`), so a
 * schema can describe a database whose names do not follow OKRA's (what `okra db:pull` writes).
 */
import { describe, expect, it } from 'vitest'
import { compileSchema } from '../../src/schema/compile'
import { schemaOf } from '../diff/helpers'

const SCHEMA = `model User {
  id: Int! @id
  email: String! @unique(map: "uq_user_email")
  name: String! @index(map: "ix_user_name")
  teamId: Int!
  team: Team! @relation(fields: [teamId], references: [id], map: "fk_user_team")
  @@index([teamId, name], map: "ix_user_team_name")
  @@unique([name, teamId], map: "uq_user_name_team")
}
model Team {
  id: Int! @id
  code: String!
  region: String!
}
@unique(model: "Team", fields: ["code", "region"], map: "uq_team_code_region")
@index(model: "Team", fields: ["region"], map: "ix_team_region")
`

function errors(text: string): string[] {
  return compileSchema([{ path: 'm.okra.gql', text }]).diagnostics.map((d) => d.message)
}

describe('map: on indexes, unique constraints and relations', () => {
  it('names them in the schema; without it the generated names stay', () => {
    const schema = schemaOf(SCHEMA)
    const user = schema.models.find((m) => m.name === 'User')!
    const team = schema.models.find((m) => m.name === 'Team')!
    expect(user.uniques.map((u) => u.name)).toEqual(['uq_user_email', 'uq_user_name_team'])
    expect(user.indexes.map((i) => i.name)).toEqual(['ix_user_name', 'ix_user_team_name'])
    expect(user.foreignKeys.map((k) => k.name)).toEqual(['fk_user_team'])
    expect(team.uniques.map((u) => u.name)).toEqual(['uq_team_code_region'])
    expect(team.indexes.map((i) => i.name)).toEqual(['ix_team_region'])
    const plain = schemaOf(SCHEMA.replace(/, map: "[a-z_]+"|\(map: "[a-z_]+"\)/g, ''))
    expect(plain.models.find((m) => m.name === 'User')!.uniques.map((u) => u.name)).toEqual(['users_email_key', 'users_name_team_id_key'])
  })

  it('refuses a name the database could not take, and two indexes of one name', () => {
    expect(errors('model U {\n  id: Int! @id\n  a: String! @unique(map: "bad name")\n}')).toEqual([
      "Invalid database name 'bad name' in map: of '@unique'",
    ])
    expect(errors(`model U {\n  id: Int! @id\n  a: String! @index(map: "${'x'.repeat(64)}")\n}`)[0]).toMatch(/^Invalid database name/)
    expect(errors('model U {\n  id: Int! @id\n  a: String! @index(map: "same")\n  b: String! @index(map: "same")\n}')).toEqual([
      "Index name 'same' of model 'U' is already used by model 'U'",
    ])
  })
})
