import { describe, it, expect } from 'vitest'
import { compile, field, hints, model, problems } from './helpers'

describe('primary keys', () => {
  it('is @id, else @@id, else the field named id', () => {
    const schema = compile(`
model A { id: ID! code: String! @id }
model B { id: ID! x: Int! y: Int! @@id([x, y]) }
model C { id: ID! }
model D { key: String! @id }`)
    expect(model(schema, 'A').primaryKey).toEqual(['code'])
    expect(model(schema, 'B').primaryKey).toEqual(['x', 'y'])
    expect(model(schema, 'C').primaryKey).toEqual(['id'])
    expect(model(schema, 'D').primaryKey).toEqual(['key'])
  })

  it('reports a model without one that is not a mixin, with a hint', () => {
    expect(problems('model Note {\n  title: String\n}')).toEqual(["1:7 Model 'Note' has no primary key"])
    expect(hints('model Note {\n  title: String\n}')[0]).toContain("Add 'id: ID! @default(uuid)', mark a field with @id, or add @@id([a, b])")
  })

  it('requires key fields to be required scalars or enums, not JSON', () => {
    expect(problems('model A { id: ID }')).toEqual(["1:11 Primary key field 'id' of model 'A' must be required"])
    expect(problems('model A { j: JSON! @id }')).toEqual(["1:20 Primary key field 'j' of model 'A' cannot be JSON"])
    expect(problems('model A { a: Int! b: Int @@id([a, b]) }')).toEqual(["1:35 Primary key field 'b' of model 'A' must be required"])
    expect(problems('model A { a: Int! @@id([a, nope]) }')).toEqual(["1:28 Unknown field 'nope' in @@id of model 'A'"])
    const relationKey = 'model A { id: ID! }\nmodel B { aId: ID! a: A! @relation(fields: [aId], references: [id]) @@id([a]) }'
    expect(problems(relationKey)).toEqual(["2:75 Field 'a' in @@id of model 'B' is a relation"])
  })

  it('refuses two @id fields, and @id with @@id', () => {
    expect(problems('model A { a: Int! @id b: Int! @id }')).toEqual(["1:31 Model 'A' has more than one @id field"])
    expect(problems('model A { a: Int! @id b: Int! @@id([a, b]) }')).toEqual(["1:31 Model 'A' has both @id and @@id"])
  })

  it('enum primary keys are fine', () => {
    expect(model(compile('enum K { A B }\nmodel A { kind: K! @id }'), 'A').primaryKey).toEqual(['kind'])
  })
})

describe('mixins and spreads', () => {
  const mixins = `
model Timestamps { createdAt: DateTime! @default(now) updatedAt: DateTime! @updatedAt }
model Audit { createdBy: String ...Timestamps @@index([createdBy]) }
model User { id: ID! ...Audit name: String! }`

  it('copies the fields of a mixin at the spread position, recursively', () => {
    const schema = compile(mixins)
    expect(model(schema, 'User').fields.map((f) => f.name)).toEqual(['id', 'createdBy', 'createdAt', 'updatedAt', 'name'])
    expect(field(schema, 'User', 'createdAt')).toEqual({ kind: 'scalar', name: 'createdAt', required: true, type: 'DateTime', column: 'created_at', default: { kind: 'now' } })
  })

  it('gives mixins no table and brings their @@index along', () => {
    const schema = compile(mixins)
    expect(schema.models.map((m) => m.name)).toEqual(['User'])
    expect(model(schema, 'User').indexes).toEqual([{ name: 'users_created_by_idx', fields: ['createdBy'] }])
  })

  it('reports duplicate fields brought by a spread, at the spread', () => {
    expect(problems('model M { a: Int }\nmodel U { id: ID! a: Int ...M }')).toEqual([
      "2:29 Duplicate field 'a' in model 'U', brought by ...M (first defined at schema.okra.gql:2:19)",
    ])
    expect(problems('model M { a: Int }\nmodel U { id: ID! ...M a: Int }')).toEqual([
      "2:24 Duplicate field 'a' in model 'U' (first defined at schema.okra.gql:1:11)",
    ])
    expect(problems('model M { a: Int }\nmodel U { id: ID! ...M ...M }')).toHaveLength(1)
  })

  it('reports a duplicate inside a mixin once, not once per model spreading it', () => {
    expect(problems('model M { a: Int a: Int }\nmodel U { id: ID! ...M }\nmodel V { id: ID! ...M }')).toEqual([
      "1:18 Duplicate field 'a' in model 'M' (first defined at schema.okra.gql:1:11)",
    ])
  })

  it('refuses spreading a table, an enum, a scalar or an unknown model', () => {
    expect(problems('model T { id: ID! }\nmodel U { id: ID! ...T }')).toEqual(["2:22 Cannot spread 'T': it has a primary key, so it is a table, not a mixin"])
    expect(problems('enum E { A }\nmodel U { id: ID! ...E }')).toEqual(["2:22 Cannot spread 'E': it is an enum"])
    expect(problems('model U { id: ID! ...String }')).toEqual(["1:22 Cannot spread 'String': it is a scalar type"])
    // Audit, now spread nowhere, has no primary key: reported too.
    expect(problems('model Audit { a: Int }\nmodel U { id: ID! ...Audti }')).toEqual(["1:7 Model 'Audit' has no primary key", "2:22 Unknown model 'Audti' in spread"])
    expect(hints('model Audit { a: Int }\nmodel U { id: ID! ...Audti }')[1]).toBe("Did you mean 'Audit'?")
  })

  it('reports a cycle of spreads once', () => {
    expect(problems('model A { ...B }\nmodel B { ...C }\nmodel C { ...A }\nmodel U { id: ID! ...A }')).toEqual(['3:14 Circular spread: A -> B -> C -> A'])
    expect(problems('model A { x: Int ...A }\nmodel U { id: ID! ...A }')).toEqual(['1:21 Circular spread: A -> A'])
  })

  it('refuses @@map and @@renamed on a mixin', () => {
    expect(problems('model M { a: Int @@map("m") }\nmodel U { id: ID! ...M }')).toEqual(["1:18 '@@map' cannot be used on mixin 'M': a mixin has no table"])
  })

  it('refuses a relation to a mixin', () => {
    expect(problems('model M { a: Int }\nmodel U { id: ID! m: M ...M }')).toEqual([
      "2:22 'M' is a mixin (a model without a primary key) and cannot be the type of field 'm'",
    ])
  })
})

describe('database names', () => {
  it('names tables as snake_case plurals and columns as snake_case, unless mapped', () => {
    const schema = compile(`
model OrderItem { id: ID! createdAt: DateTime userID: ID htmlBody: String @map("body_html") }
model Person { id: ID! @@map("humans") }
model Category { id: ID! }
model Address { id: ID! }
model Status { id: ID! }`)
    expect(schema.models.map((m) => `${m.name}=${m.table}`)).toEqual([
      'Address=addresses',
      'Category=categories',
      'OrderItem=order_items',
      'Person=humans',
      'Status=statuses',
    ])
    expect(model(schema, 'OrderItem').fields.map((f) => (f.kind === 'relation' ? '' : f.column))).toEqual(['id', 'created_at', 'user_id', 'body_html'])
    expect(compile('enum OrderStatus { A }\nmodel A { id: ID! }').enums[0].dbName).toBe('order_status')
  })

  it('refuses two models on one table and two fields on one column', () => {
    expect(problems('model User { id: ID! }\nmodel Account { id: ID! @@map("users") }')).toEqual([
      "2:31 Table name 'users' of model 'Account' is already used by model 'User'",
    ])
    expect(problems('model U { id: ID! userId: ID userID: ID }')).toEqual(["1:30 Fields 'userId' and 'userID' of model 'U' both map to column 'user_id'"])
    expect(problems('model U { id: ID! a: ID @map("b") b: ID }')).toEqual(["1:35 Fields 'a' and 'b' of model 'U' both map to column 'b'"])
  })

  it('refuses an enum type name that is also a table name', () => {
    expect(problems('enum Users { A }\nmodel User { id: ID! }')).toEqual([
      "1:6 Enum 'Users' would create the database type 'users', which is already used by model 'User'",
    ])
  })

  it('reserves _okra_ tables and limits names to 63 bytes', () => {
    expect(problems('model M { id: ID! @@map("_okra_x") }')).toEqual([
      "1:25 Table name '_okra_x' of model 'M' is reserved: names starting with _okra_ are OKRA's own tables",
    ])
    const long = 'A'.repeat(70)
    expect(problems(`model ${long} { id: ID! }`)).toEqual([`1:7 Table name '${long.toLowerCase()}s' of model '${long}' is longer than 63 bytes`])
    expect(problems(`model M { id: ID! ${'x'.repeat(64)}: Int }`)).toEqual([`1:19 Column name '${'x'.repeat(64)}' of field '${'x'.repeat(64)}' is longer than 63 bytes`])
  })
})

describe('indexes and uniques', () => {
  it('collects @index, @unique, @@index, @@unique and top-level ones, named and sorted by name', () => {
    const schema = compile(`
@unique(model: "Event", fields: ["source", "externalId"])
model Event {
  id: ID!
  kind: String! @index
  source: String!
  externalId: String!
  slug: String! @unique
  at: DateTime!
  @@index([kind, at])
  @@unique([kind, slug])
}
@index(model: "Event", fields: ["at"])`)
    const event = model(schema, 'Event')
    expect(event.indexes).toEqual([
      { name: 'events_at_idx', fields: ['at'] },
      { name: 'events_kind_at_idx', fields: ['kind', 'at'] },
      { name: 'events_kind_idx', fields: ['kind'] },
    ])
    expect(event.uniques).toEqual([
      { name: 'events_kind_slug_key', fields: ['kind', 'slug'] },
      { name: 'events_slug_key', fields: ['slug'] },
      { name: 'events_source_external_id_key', fields: ['source', 'externalId'] },
    ])
  })

  it('merges identical indexes and drops one identical to the primary key', () => {
    const schema = compile('model A { id: ID! @unique a: Int @index b: Int @@index([a]) @@index([a, b]) @@index([a, b]) @@unique([id]) }')
    expect(model(schema, 'A').indexes.map((i) => i.name)).toEqual(['as_a_b_idx', 'as_a_idx'])
    expect(model(schema, 'A').uniques).toEqual([])
  })

  it('uses column names in index names and shortens long ones', () => {
    const schema = compile(`model A { id: ID! someVeryLongFieldNameNumberOne: Int someVeryLongFieldNameNumberTwo: Int
  @@index([someVeryLongFieldNameNumberOne, someVeryLongFieldNameNumberTwo]) }`)
    const [index] = model(schema, 'A').indexes
    expect(index.name).toMatch(/^as_some_very_long_field_name_number_one_some_very_[0-9a-f]{8}_idx$/)
    expect(index.name.length).toBeLessThanOrEqual(63)
  })

  it('checks index fields: known, scalar, once, not JSON in a unique', () => {
    expect(problems('model A { id: ID! name: String @@index([nmae]) }')).toEqual(["1:41 Unknown field 'nmae' in @@index of model 'A'"])
    expect(problems('model A { id: ID! a: Int @@index([a, a]) }')).toEqual(["1:38 Field 'a' appears twice in @@index of model 'A'"])
    expect(problems('model A { id: ID! @@index([]) }')).toEqual(["1:27 @@index on model 'A' needs at least one field"])
    expect(problems('model A { id: ID! j: JSON @@unique([j]) }')).toEqual(["1:37 @@unique cannot include JSON field 'j'"])
    expect(problems('model A { id: ID! j: JSON @@index([j]) }')).toEqual([])
  })

  it('checks top-level indexes: the model must exist and have a table', () => {
    expect(problems('model User { id: ID! }\n@index(model: "Usr", fields: ["id"])')).toEqual(["2:15 Unknown model 'Usr' in @index"])
    expect(problems('model M { a: Int }\nmodel U { id: ID! ...M }\n@index(model: "M", fields: ["a"])')).toEqual([
      "3:15 Model 'M' in @index is a mixin and has no table",
    ])
    expect(problems('enum E { A }\nmodel U { id: ID! }\n@unique(model: "E", fields: ["a"])')).toEqual(["3:16 'E' in @unique is an enum, not a model"])
    expect(problems('model U { id: ID! }\n@unique(model: "U", fields: ["x"])')).toEqual(["2:30 Unknown field 'x' in @unique of model 'U'"])
    expect(problems('model U { id: ID! }\n@unique(fields: ["id"])')).toEqual(["2:1 Missing argument 'model' on '@unique'"])
  })
})

describe('rename hints', () => {
  it('keeps @renamed and @@renamed, newest (first written) first', () => {
    const schema = compile('model Client { id: ID! fullName: String @renamed(from: "name") @@renamed(from: "Customer") @@renamed(from: "Buyer") }')
    expect(model(schema, 'Client').renamedFrom).toEqual(['Customer', 'Buyer'])
    expect(field(schema, 'Client', 'fullName').renamedFrom).toEqual(['name'])
    expect(model(schema, 'Client')).not.toHaveProperty('description')
  })

  it('refuses a rename from something that exists now, or from itself', () => {
    expect(problems('model U { id: ID! email: String mail: String @renamed(from: "email") }')).toEqual([
      "1:61 Field 'email' still exists in model 'U', so 'mail' cannot be renamed from it",
    ])
    expect(problems('model U { id: ID! @@renamed(from: "V") }\nmodel V { id: ID! }')).toEqual([
      "1:35 Model 'V' still exists, so 'U' cannot be renamed from it",
    ])
    expect(problems('model U { id: ID! a: Int @renamed(from: "a") }')).toEqual(["1:41 'a' cannot be renamed from itself"])
    expect(problems('model U { id: ID! a: Int @renamed(from: "b") @renamed(from: "b") }')).toEqual(["1:61 Duplicate rename hint from 'b'"])
  })
})
