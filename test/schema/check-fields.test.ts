import { describe, it, expect } from 'vitest'
import { check } from '../../src/schema/check'
import { compile, field, hints, model, problems } from './helpers'

describe('types', () => {
  it('resolves scalars, enums and models, across files', () => {
    const schema = compile(
      'model User { id: ID! name: String role: Role! posts: [Post!]! }',
      'enum Role { ADMIN USER }\nmodel Post { id: ID! authorId: ID! author: User! @relation(fields: [authorId], references: [id]) }',
    )
    expect(field(schema, 'User', 'name')).toEqual({ kind: 'scalar', name: 'name', required: false, type: 'String', column: 'name' })
    expect(field(schema, 'User', 'role')).toEqual({ kind: 'enum', name: 'role', required: true, type: 'Role', column: 'role' })
    expect(field(schema, 'User', 'posts')).toMatchObject({ kind: 'relation', type: 'Post', list: true, required: true })
  })

  it('treats T? and bare T as optional and T! as required', () => {
    const schema = compile('model A { id: ID! a: Int? b: Int c: Int! }')
    expect(model(schema, 'A').fields.map((f) => f.required)).toEqual([true, false, false, true])
  })

  it('reports an unknown type with the closest known name (scalar, enum or model)', () => {
    expect(problems('model User {\n  id: ID!\n  name: Strin!\n}')).toEqual(["3:9 Unknown type 'Strin'"])
    expect(hints('model User {\n  id: ID!\n  name: Strin!\n}')).toEqual(["Did you mean 'String'?"])
    expect(hints('enum Status { A }\nmodel User { id: ID! s: Stats! }')).toEqual(["Did you mean 'Status'?"])
    expect(hints('model Account { id: ID! }\nmodel User { id: ID! a: Acount }')).toEqual(["Did you mean 'Account'?"])
    expect(hints('model User { id: ID! x: Zzzzzzzz }')[0]).toMatch(/^Use a scalar \(ID, String/)
  })

  it('refuses lists of scalars and enums', () => {
    expect(problems('enum R { A }\nmodel U { id: ID! tags: [String!]! roles: [R] }')).toEqual([
      "2:25 Lists of scalars and enums are not supported: '[String]'",
      "2:43 Lists of scalars and enums are not supported: '[R]'",
    ])
  })

  it('refuses a model or enum named like a scalar', () => {
    expect(problems('model String { id: ID! }')).toEqual(["1:7 'String' is a built-in scalar type and cannot be the name of a model"])
  })

  it('reports duplicate models and enums with where the first one is', () => {
    expect(problems('model A { id: ID! }\nenum A { X }')).toEqual(["2:6 Duplicate enum 'A' (first defined as a model at schema.okra.gql:1:7)"])
    expect(problems('enum E { X }', 'enum E { Y }')).toEqual(["schema2.okra.gql 1:6 Duplicate enum 'E' (first defined at schema1.okra.gql:1:6)"])
  })

  it('reports duplicate and missing enum values', () => {
    expect(problems('enum E { A B A }\nenum F { }')).toEqual([
      "1:14 Duplicate value 'A' in enum 'E' (first defined at schema.okra.gql:1:10)",
      "2:6 Enum 'F' has no values",
    ])
  })

  it('keeps descriptions of models, fields, enums and enum values', () => {
    const schema = compile('"A user."\nmodel U {\n  "The key."\n  id: ID!\n}\n"""Roles."""\nenum R {\n  "Boss."\n  A\n  B\n}')
    expect(model(schema, 'U').description).toBe('A user.')
    expect(field(schema, 'U', 'id').description).toBe('The key.')
    expect(schema.enums[0]).toEqual({ name: 'R', dbName: 'r', description: 'Roles.', values: [{ name: 'A', description: 'Boss.' }, { name: 'B' }] })
  })

  it('sorts models and enums by name and keeps fields in declaration order', () => {
    const schema = compile('enum Z { A }\nenum B { A }\nmodel Post { id: ID! z: Int a: Int }\nmodel Author { id: ID! }')
    expect(schema.models.map((m) => m.name)).toEqual(['Author', 'Post'])
    expect(schema.enums.map((e) => e.name)).toEqual(['B', 'Z'])
    expect(model(schema, 'Post').fields.map((f) => f.name)).toEqual(['id', 'z', 'a'])
  })
})

describe('field directives', () => {
  it('reads @unique, @index, @updatedAt, @db, @map and @renamed', () => {
    const schema = compile(`model User {
  id: ID!
  email: String! @unique @db(type: "VARCHAR(320)")
  name: String! @index @map("display_name") @renamed(from: "fullName") @renamed(from: "title")
  updatedAt: DateTime! @updatedAt
}`)
    expect(field(schema, 'User', 'email')).toMatchObject({ dbType: 'VARCHAR(320)', column: 'email' })
    expect(field(schema, 'User', 'name')).toMatchObject({ column: 'display_name', renamedFrom: ['fullName', 'title'] })
    expect(field(schema, 'User', 'updatedAt')).toMatchObject({ updatedAt: true })
    expect(model(schema, 'User').uniques).toEqual([{ name: 'users_email_key', fields: ['email'] }])
    expect(model(schema, 'User').indexes).toEqual([{ name: 'users_display_name_idx', fields: ['name'] }])
  })

  it('reports an unknown directive with the closest one at that place', () => {
    expect(problems('model U {\n  id: ID!\n  email: String! @uniq\n}')).toEqual(["3:18 Unknown directive '@uniq' on field 'email'"])
    expect(hints('model U {\n  id: ID!\n  email: String! @uniq\n}')).toEqual(["Did you mean '@unique'?"])
    expect(problems('model U {\n  id: ID!\n  @@indx([id])\n}')).toEqual(["3:3 Unknown directive '@@indx' on model 'U'"])
    expect(hints('model U { id: ID! @@default(uuid) }')).toEqual(["Did you mean '@default'? It is written on a field."])
  })

  it('reports a directive written in the wrong place', () => {
    expect(problems('model U { id: ID! }\n@map("x")')).toEqual(["2:1 Directive '@map' cannot be used at the top level"])
    expect(problems('model U { id: ID! @okra(namespace: "a") }')).toEqual(["1:19 Directive '@okra' cannot be used on field 'id'"])
    expect(hints('model U { id: ID! a: Int\n  @index([a]) }')).toEqual(['Write it as @index. For several fields write @@index([a, b]) in the model body.'])
  })

  it('reports unknown, repeated, missing and mistyped arguments', () => {
    expect(problems('model U { id: ID! a: Int @map(nam: "x") }')).toEqual(["1:31 Unknown argument 'nam' on '@map'"])
    expect(hints('model U { id: ID! a: Int @map(nam: "x") }')).toEqual(["Did you mean 'name'?"])
    expect(problems('model U { id: ID! a: Int @unique(x: 1) }')).toEqual(["1:34 Unknown argument 'x' on '@unique'"])
    expect(problems('model U { id: ID! a: Int @map("x", name: "y") }')).toEqual(["1:36 Duplicate argument 'name' on '@map'"])
    expect(problems('model U { id: ID! a: Int @renamed }')).toEqual(["1:26 Missing argument 'from' on '@renamed'"])
    expect(problems('model U { id: ID! a: Int @db(type: 3) }')).toEqual(["1:36 Argument 'type' of '@db' must be a string"])
    expect(problems('model U { id: ID! @@index(a) }')).toEqual(["1:27 Argument 'fields' of '@@index' must be a list of field names"])
    expect(problems('@okra("x")\nmodel U { id: ID! }')).toEqual(["1:7 '@okra' takes named arguments only"])
  })

  it('reports the same directive twice', () => {
    expect(problems('model U { id: ID! a: Int @index @index }')).toEqual(["1:33 Duplicate directive '@index' on field 'a'"])
    expect(problems('model U { id: ID! @@map("a") @@map("b") }')).toEqual(["1:30 Duplicate directive '@@map' on model 'U'"])
  })

  it('allows column directives on scalar fields only, and @relation on relation fields only', () => {
    expect(problems('model A { id: ID! b: B @unique @map("x") }\nmodel B { id: ID! }')).toEqual([
      "1:19 Relation field 'b' of model 'A' needs @relation(fields:, references:)",
      "1:24 '@unique' cannot be used on relation field 'b'",
      "1:32 '@map' cannot be used on relation field 'b'",
    ])
    expect(problems('model A { id: ID! bId: ID @relation(fields: [bId], references: [id]) }')).toEqual([
      "1:27 @relation can only be used on a field whose type is a model, but 'bId' is ID",
    ])
  })

  it('refuses @unique on JSON, @updatedAt on non-DateTime and an unsafe @db type', () => {
    expect(problems('model A { id: ID! j: JSON @unique }')).toEqual(["1:27 @unique cannot be used on JSON field 'j'"])
    expect(problems('model A { id: ID! t: String @updatedAt }')).toEqual(["1:29 @updatedAt cannot be used on field 't' of type String"])
    expect(problems('model A { id: ID! t: String @db(type: "TEXT) --") }')).toEqual(["1:44 Invalid database type 'TEXT) --' in @db: ') --' is not part of a type"])
  })

  it('accepts @db types with a size or precision and rejects anything else', () => {
    for (const ok of ['TEXT', 'VARCHAR(100)', 'NUMERIC(12,2)', 'NUMERIC( 12 , 2 )', 'DOUBLE PRECISION', 'timestamp_tz']) {
      expect(problems(`model A { id: ID! t: String @db(type: "${ok}") }`)).toEqual([])
    }
    for (const bad of ['', '1TEXT', 'VARCHAR(10', 'TEXT; DROP', 'VARCHAR(a)', 'NUMERIC(1,2,3)', 'TEXT"']) {
      expect(problems(`model A { id: ID! t: String @db(type: ${JSON.stringify(bad)}) }`)).toHaveLength(1)
    }
  })

  it('takes only a type spelling in @db(type:): name, optional (args), optional []', () => {
    const ok = [
      'TEXT', 'text', 'INTEGER[]', 'VARCHAR(100)[]', 'NUMERIC(12, 2)', 'DOUBLE PRECISION', 'character varying(255)', 'BIT VARYING(8)',
      'TIMESTAMP(3) WITH TIME ZONE', 'timestamp without time zone', 'TIME(6) WITH TIME ZONE', 'UNSIGNED BIG INT', 'NATIVE CHARACTER(70)', '_int4',
    ]
    for (const spelled of ok) expect(problems(`model A { id: ID! t: String @db(type: "${spelled}") }`), spelled).toEqual([])
    // The caret sits on the first character that is not part of a type (column of the opening quote + 1 + offset).
    const at = (spelled: string) => problems(`model A { id: ID! t: String @db(type: "${spelled}") }`)
    expect(at('TEXT NOT NULL')).toEqual(["1:45 Invalid database type 'TEXT NOT NULL' in @db: 'NOT NULL' is not part of a type"])
    expect(at('INTEGER REFERENCES users')).toEqual(["1:48 Invalid database type 'INTEGER REFERENCES users' in @db: 'REFERENCES users' is not part of a type"])
    expect(at('INTEGER PRIMARY KEY')).toEqual(["1:48 Invalid database type 'INTEGER PRIMARY KEY' in @db: 'PRIMARY KEY' is not part of a type"])
    expect(at('TEXT DEFAULT 1')).toEqual(["1:45 Invalid database type 'TEXT DEFAULT 1' in @db: 'DEFAULT 1' is not part of a type"])
    expect(at('TEXT COLLATE "C"'.replace(/"/g, ''))).toEqual(["1:45 Invalid database type 'TEXT COLLATE C' in @db: 'COLLATE C' is not part of a type"])
    expect(at('INTEGER UNIQUE')).toEqual(["1:48 Invalid database type 'INTEGER UNIQUE' in @db: 'UNIQUE' is not part of a type"])
    expect(at('TEXT[] CHECK (1)')).toEqual(["1:47 Invalid database type 'TEXT[] CHECK (1)' in @db: 'CHECK (1)' is not part of a type"])
    expect(at('DATE WITH TIME ZONE')).toEqual(["1:45 Invalid database type 'DATE WITH TIME ZONE' in @db: 'WITH TIME ZONE' is not part of a type"])
    expect(at('1TEXT')).toEqual(["1:40 Invalid database type '1TEXT' in @db: it does not start with a type name"])
  })

  it('says the allowed form of @db(type:) in the hint', () => {
    const [hint] = hints('model A { id: ID! t: String @db(type: "TEXT NOT NULL") }')
    expect(hint).toContain('a type name, an optional (size) or (precision, scale), an optional []')
    expect(hint).toContain('String!')
  })

  it('refuses @map / @@map names that are not plain identifiers', () => {
    expect(problems('model A { id: ID! t: String @map("a b") }')).toEqual(["1:34 Invalid column name 'a b' in @map"])
    expect(problems('model A { id: ID! @@map("x-y") }')).toEqual(["1:25 Invalid table name 'x-y' in @@map"])
  })
})

describe('the @okra header', () => {
  it('sets namespace and version', () => {
    const schema = compile('@okra(namespace: "shop", version: "v3")\nmodel A { id: ID! }')
    expect(schema.namespace).toBe('shop')
    expect(schema.version).toBe('v3')
    expect(compile('model A { id: ID! }')).not.toHaveProperty('namespace')
  })

  it('is allowed once in the whole schema', () => {
    expect(problems('@okra(namespace: "a")\nmodel A { id: ID! }', '@okra(version: "v1")')).toEqual([
      "schema2.okra.gql 1:1 Duplicate @okra header (first at schema1.okra.gql:1:1)",
    ])
  })
})

describe('check()', () => {
  it('returns a schema with no diagnostics for an empty document list', () => {
    expect(check([])).toEqual({ schema: { format: 1, enums: [], models: [], joinTables: [] }, diagnostics: [] })
  })

  it('reports every error of every file, sorted by file then offset', () => {
    const found = problems('model B { id: ID! x: Nope y: Nada }', 'model A { id: ID! z: Zilch }')
    expect(found).toEqual([
      "schema1.okra.gql 1:22 Unknown type 'Nope'",
      "schema1.okra.gql 1:30 Unknown type 'Nada'",
      "schema2.okra.gql 1:22 Unknown type 'Zilch'",
    ])
  })
})
