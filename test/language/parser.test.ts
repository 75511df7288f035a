import { describe, expect, it } from 'vitest'
import type { DirectiveNode, EnumNode, FieldNode, ModelNode, TopDirectiveNode, ValueNode } from '../../src/language/ast'
import type { Location } from '../../src/language/source'
import { parse } from '../../src/language/parser'

function parseOk(text: string) {
  const result = parse({ path: 'test.okra.gql', text })
  expect(result.diagnostics.map((d) => d.message)).toEqual([])
  return result.document
}

function onlyModel(text: string): ModelNode {
  const [model] = parseOk(text).definitions
  expect(model.kind).toBe('Model')
  return model as ModelNode
}

function field(text: string): FieldNode {
  return onlyModel(`model M { ${text} }`).members[0] as FieldNode
}

/** The default's value of `x: T @d(<value>)`. */
function argumentValue(value: string): ValueNode {
  return field(`x: T @d(${value})`).directives[0].arguments[0].value
}

function slice(text: string, loc: Location): string {
  return text.slice(loc.start, loc.end)
}

const GUIDE_EXAMPLE = `@okra(namespace: "myapp", version: "v1")      # optional header

"""A person who can sign in."""               # descriptions become doc comments in generated code
model User {
  id: ID! @default(uuid)
  email: String! @unique
  name: String!
  role: Role! @default(USER)
  bio: String? @db(type: "TEXT")
  createdAt: DateTime! @default(now)
  updatedAt: DateTime! @updatedAt
  posts: [Post!]! @relation(name: "UserPosts")
  ...Audit                                   # copies the fields of Audit
  @@index([name, createdAt])
}

model Audit { createdBy: String?  updatedBy: String? }   # no primary key: a mixin, gets no table

enum Role { ADMIN USER GUEST }

@index(model: "User", fields: ["email", "role"])
`

describe('parse: the example of the schema language guide', () => {
  const document = parseOk(GUIDE_EXAMPLE)

  it('has the header, two models, the enum and the top-level index, in order', () => {
    expect(document.kind).toBe('Document')
    expect(document.source.path).toBe('test.okra.gql')
    expect(document.definitions.map((d) => d.kind)).toEqual(['TopDirective', 'Model', 'Model', 'Enum', 'TopDirective'])
  })

  it('reads the @okra header with named string arguments', () => {
    const header = document.definitions[0] as TopDirectiveNode
    expect(header.directive).toMatchObject({
      kind: 'Directive',
      name: { value: 'okra' },
      modelLevel: false,
      arguments: [
        { kind: 'Argument', name: { value: 'namespace' }, value: { kind: 'String', value: 'myapp', block: false } },
        { kind: 'Argument', name: { value: 'version' }, value: { kind: 'String', value: 'v1', block: false } },
      ],
    })
  })

  it('reads model User: description, fields with types and directives, the spread, @@index', () => {
    const user = document.definitions[1] as ModelNode
    expect(user.description).toMatchObject({ kind: 'Description', value: 'A person who can sign in.' })
    expect(user.name.value).toBe('User')
    expect(user.members.map((m) => `${m.kind}:${m.name.value}`)).toEqual([
      'Field:id', 'Field:email', 'Field:name', 'Field:role', 'Field:bio', 'Field:createdAt', 'Field:updatedAt', 'Field:posts', 'Spread:Audit',
    ])
    expect(user.members[0]).toMatchObject({
      type: { name: { value: 'ID' }, list: false, required: true, itemRequired: true },
      directives: [{ name: { value: 'default' }, arguments: [{ name: null, value: { kind: 'Identifier', value: 'uuid' } }] }],
    })
    expect(user.members[1]).toMatchObject({ directives: [{ name: { value: 'unique' }, arguments: [] }] })
    expect(user.members[4]).toMatchObject({
      type: { name: { value: 'String' }, required: false },
      directives: [{ name: { value: 'db' }, arguments: [{ name: { value: 'type' }, value: { kind: 'String', value: 'TEXT' } }] }],
    })
    expect(user.members[7]).toMatchObject({
      type: { name: { value: 'Post' }, list: true, itemRequired: true, required: true },
      directives: [{ name: { value: 'relation' }, arguments: [{ name: { value: 'name' }, value: { value: 'UserPosts' } }] }],
    })
    expect(user.directives).toMatchObject([
      {
        name: { value: 'index' },
        modelLevel: true,
        arguments: [{ name: null, value: { kind: 'List', values: [{ kind: 'Identifier', value: 'name' }, { kind: 'Identifier', value: 'createdAt' }] } }],
      },
    ])
  })

  it('reads a model written on one line, members with no commas between them', () => {
    const audit = document.definitions[2] as ModelNode
    expect(audit.description).toBeNull()
    expect(audit.members).toMatchObject([
      { kind: 'Field', name: { value: 'createdBy' }, type: { name: { value: 'String' }, required: false } },
      { kind: 'Field', name: { value: 'updatedBy' }, type: { name: { value: 'String' }, required: false } },
    ])
  })

  it('reads the enum and the top-level @index', () => {
    expect((document.definitions[3] as EnumNode).values.map((v) => v.name.value)).toEqual(['ADMIN', 'USER', 'GUEST'])
    expect((document.definitions[4] as TopDirectiveNode).directive.arguments).toMatchObject([
      { name: { value: 'model' }, value: { kind: 'String', value: 'User' } },
      { name: { value: 'fields' }, value: { kind: 'List', values: [{ value: 'email' }, { value: 'role' }] } },
    ])
  })
})

describe('parse: types', () => {
  it.each([
    ['String', { list: false, itemRequired: false, required: false }],
    ['String!', { list: false, itemRequired: true, required: true }],
    ['String?', { list: false, itemRequired: false, required: false }],
    ['[Post]', { list: true, itemRequired: false, required: false }],
    ['[Post!]', { list: true, itemRequired: true, required: false }],
    ['[Post]!', { list: true, itemRequired: false, required: true }],
    ['[Post!]!', { list: true, itemRequired: true, required: true }],
    ['[Post!]?', { list: true, itemRequired: true, required: false }],
  ])('%s', (type, flags) => {
    const node = field(`x: ${type}`).type
    expect(node).toMatchObject({ kind: 'Type', ...flags })
    expect(node.name.value).toBe(type.replace(/[[\]!?]/g, ''))
  })

  it('allows white space and line breaks inside a type', () => {
    expect(field('x: [ Post ! ] !').type).toMatchObject({ list: true, itemRequired: true, required: true })
    expect(field('x:\n  String!').type).toMatchObject({ name: { value: 'String' }, required: true })
  })
})

describe('parse: field names', () => {
  it('takes any name as a field name, keywords included', () => {
    const model = onlyModel('model M {\n model: String\n enum: Int\n type: Role\n true: Boolean\n null: JSON\n}')
    expect(model.members.map((m) => m.name.value)).toEqual(['model', 'enum', 'type', 'true', 'null'])
  })

  it('reads a model or enum named like a keyword', () => {
    const document = parseOk('model model { enum: enum }\nenum enum { model }')
    expect(document.definitions.map((d) => (d.kind === 'TopDirective' ? '' : `${d.kind}:${d.name.value}`))).toEqual(['Model:model', 'Enum:enum'])
  })
})

describe('parse: values', () => {
  it.each([
    ['uuid', { kind: 'Identifier', value: 'uuid' }],
    ['USER', { kind: 'Identifier', value: 'USER' }],
    ['"col"', { kind: 'String', value: 'col', block: false }],
    ['"""long\n  text"""', { kind: 'String', value: 'long\ntext', block: true }],
    ['42', { kind: 'Number', value: '42' }],
    ['-1.5', { kind: 'Number', value: '-1.5' }],
    ['1e3', { kind: 'Number', value: '1e3' }],
    ['12345678901234567890', { kind: 'Number', value: '12345678901234567890' }],
    ['true', { kind: 'Boolean', value: true }],
    ['false', { kind: 'Boolean', value: false }],
    ['null', { kind: 'Null' }],
    ['[]', { kind: 'List', values: [] }],
    ['[a, "b" 1 [c]]', { kind: 'List', values: [{ value: 'a' }, { value: 'b' }, { value: '1' }, { kind: 'List', values: [{ value: 'c' }] }] }],
  ])('%s', (text, expected) => {
    expect(argumentValue(text)).toMatchObject(expected)
  })

  it('reads several arguments, named and positional, commas or not', () => {
    const directive = field('x: T @relation(name: "A", fields: [aId] references: [id], onDelete: Cascade)').directives[0]
    expect(directive.arguments.map((a) => [a.name?.value ?? null, a.value.kind])).toEqual([
      ['name', 'String'], ['fields', 'List'], ['references', 'List'], ['onDelete', 'Identifier'],
    ])
    expect(field('x: T @d(a, "b")').directives[0].arguments.map((a) => a.name)).toEqual([null, null])
  })

  it('reads arguments spread over several lines', () => {
    const directive = field('posts: [Post!]! @relation(\n    name: "UserPosts",\n    fields: [a,\n      b],\n  )').directives[0]
    expect(directive.arguments.map((a) => a.name?.value)).toEqual(['name', 'fields'])
  })
})

describe('parse: directives', () => {
  it('reads several field directives in order, with and without arguments', () => {
    const directives = field('email: String! @unique @map("mail") @renamed(from: "eMail")').directives
    expect(directives.map((d) => [d.name.value, d.modelLevel, d.arguments.length])).toEqual([
      ['unique', false, 0], ['map', false, 1], ['renamed', false, 1],
    ])
  })

  it('reads every model directive of the schema language', () => {
    const model = onlyModel('model M {\n a: Int\n @@id([a, b])\n @@index([a])\n @@unique([a, b])\n @@map("ms")\n @@renamed(from: "Old")\n}')
    expect(model.directives.map((d: DirectiveNode) => [d.name.value, d.modelLevel])).toEqual([
      ['id', true], ['index', true], ['unique', true], ['map', true], ['renamed', true],
    ])
    expect(model.members).toHaveLength(1)
  })

  it('reads top-level @okra, @index and @unique', () => {
    const document = parseOk('@okra(namespace: "a")\n@index(model: "User", fields: ["email"])\n@unique(model: "User", fields: ["a", "b"])\n@flag')
    expect(document.definitions.map((d) => (d as TopDirectiveNode).directive.name.value)).toEqual(['okra', 'index', 'unique', 'flag'])
    expect(document.definitions.every((d) => d.kind === 'TopDirective' && !d.directive.modelLevel)).toBe(true)
  })
})

describe('parse: spreads and members', () => {
  it('keeps fields and spreads in source order', () => {
    const model = onlyModel('model M { a: Int ...Audit b: Int ...Other @@map("m") c: Int }')
    expect(model.members.map((m) => `${m.kind}:${m.name.value}`)).toEqual(['Field:a', 'Spread:Audit', 'Field:b', 'Spread:Other', 'Field:c'])
    expect(model.directives).toHaveLength(1)
  })

  it('reads an empty model and an empty enum', () => {
    const document = parseOk('model Empty {}\nenum None {}')
    expect(document.definitions).toMatchObject([{ kind: 'Model', members: [], directives: [] }, { kind: 'Enum', values: [] }])
  })
})

describe('parse: enums and descriptions', () => {
  it('reads descriptions on enums and enum values, in both forms', () => {
    const text = '"Who can read."\nenum Visibility {\n  "Everyone."\n  PUBLIC\n  """\n  Members.\n  """\n  INTERNAL, PRIVATE\n}'
    const [visibility] = parseOk(text).definitions as EnumNode[]
    expect(visibility.description?.value).toBe('Who can read.')
    expect(visibility.values.map((v) => [v.name.value, v.description?.value ?? null])).toEqual([
      ['PUBLIC', 'Everyone.'], ['INTERNAL', 'Members.'], ['PRIVATE', null],
    ])
  })

  it('reads descriptions on fields, dedenting block descriptions', () => {
    const model = onlyModel('model A {\n  "The key."\n  id: ID!\n  """\n  The title,\n    indented.\n  """\n  title: String\n}')
    expect(model.members.map((m) => (m as FieldNode).description?.value)).toEqual(['The key.', 'The title,\n  indented.'])
  })

  it('reads an empty document, and one of comments only', () => {
    expect(parseOk('').definitions).toEqual([])
    expect(parseOk('# nothing\n   # here\n').definitions).toEqual([])
  })
})

describe('parse: locations', () => {
  const text = '"""Doc."""\nmodel User {\n  "Key." id: ID! @default(uuid)\n  tags: [Tag!]? @map("t")\n  ...Audit\n  @@index([a])\n}\nenum Role { A "b" B }\n@okra(v: 1)'
  const [user, role, okra] = parseOk(text).definitions as [ModelNode, EnumNode, TopDirectiveNode]
  const id = user.members[0] as FieldNode
  const tags = user.members[1] as FieldNode

  it('spans a model from its description to its closing brace', () => {
    expect(slice(text, user.loc)).toBe(text.slice(0, text.indexOf('}') + 1))
    expect(slice(text, user.name.loc)).toBe('User')
    expect(slice(text, user.description!.loc)).toBe('"""Doc."""')
  })

  it('spans a field from its description to its last directive', () => {
    expect(slice(text, id.loc)).toBe('"Key." id: ID! @default(uuid)')
    expect(slice(text, id.type.loc)).toBe('ID!')
    expect(slice(text, id.directives[0].loc)).toBe('@default(uuid)')
    expect(slice(text, id.directives[0].arguments[0].loc)).toBe('uuid')
    expect(slice(text, tags.type.loc)).toBe('[Tag!]?')
    expect(slice(text, tags.type.name.loc)).toBe('Tag')
    expect(slice(text, tags.loc)).toBe('tags: [Tag!]? @map("t")')
  })

  it('spans spreads, model directives, lists, enums, enum values and top-level directives', () => {
    expect(slice(text, user.members[2].loc)).toBe('...Audit')
    expect(slice(text, user.directives[0].loc)).toBe('@@index([a])')
    expect(slice(text, user.directives[0].arguments[0].value.loc)).toBe('[a]')
    expect(slice(text, role.loc)).toBe('enum Role { A "b" B }')
    expect(role.values.map((v) => slice(text, v.loc))).toEqual(['A', '"b" B'])
    expect(slice(text, okra.loc)).toBe('@okra(v: 1)')
    expect(slice(text, okra.directive.arguments[0].loc)).toBe('v: 1')
    expect(okra.loc.source.text).toBe(text)
  })
})
