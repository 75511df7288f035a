import { describe, expect, it } from 'vitest'
import type { EnumNode, ModelNode } from '../../src/language/ast'
import { formatDiagnostic } from '../../src/language/diagnostics'
import { parse } from '../../src/language/parser'
import { lineColumn } from '../../src/language/source'

function parseText(text: string) {
  return parse({ path: 'models.okra.gql', text })
}

/** `line:column message` of every diagnostic, in order. */
function errors(text: string): string[] {
  return parseText(text).diagnostics.map((d) => {
    expect(d.severity).toBe('error')
    const { line, column } = lineColumn(text, d.location.start)
    return `${line}:${column} ${d.message}`
  })
}

/** Names of the definitions that made it into the tree, with their members: `User{id,email}`. */
function definitions(text: string): string[] {
  return parseText(text).document.definitions.map((d) => {
    if (d.kind === 'TopDirective') return `@${d.directive.name.value}`
    if (d.kind === 'Enum') return `${d.name.value}[${d.values.map((v) => v.name.value).join(',')}]`
    return `${d.name.value}{${d.members.map((m) => m.name.value).join(',')}}`
  })
}

describe('syntax errors: the message, line and column of each fault', () => {
  it.each([
    ['a missing colon', 'model User {\n  email! String\n}', "2:8 Expected ':' after field name 'email', found '!'"],
    ['a character outside the language', 'model User {\n  id: ID!\n  $x: Int\n}', "3:3 Unexpected character '$'"],
    ['an unterminated string', 'model User {\n  bio: String @db(type: "TEXT)\n}', '2:25 Unterminated string'],
    ['a missing type', 'model User {\n  email: }', "2:10 Expected a type name after ':', found '}'"],
    ['a type missing before the next field', 'model User {\n  email:\n  name: String\n}', "3:3 Expected a type name after ':', found 'name'"],
    ['a model never closed (reported where it opens)', 'model User {\n  id: ID!\n', "1:7 Expected '}' to close model 'User', found end of file"],
    ['a misspelled keyword', 'modle User {\n  id: ID!\n}', "1:1 Expected 'model', 'enum' or a directive, found 'modle'"],
    ['a model without a name', 'model {\n  id: ID!\n}', "1:7 Expected a model name after 'model', found '{'"],
    ['a model without a body', 'model User\n  id: ID!\n}', "2:3 Expected '{' after model name 'User', found 'id'"],
    ['a list type not closed', 'model User {\n  posts: [Post!!]\n}', "2:16 Expected ']' to close the list type '[Post!', found '!'"],
    ['a list type with no item type', 'model User {\n  tags: []\n}', "2:10 Expected a type name after '[', found ']'"],
    ['a directive without a name', 'model User {\n  id: ID @(uuid)\n}', "2:11 Expected a directive name after '@', found '('"],
    ['a model directive without a name', 'model User {\n  id: ID\n  @@(a)\n}', "3:5 Expected a directive name after '@@', found '('"],
    ['empty parentheses', 'model User {\n  email: String @unique()\n}', "2:25 Expected an argument after '(', found ')'"],
    ['an argument without a value', 'model User {\n  posts: [Post] @relation(name: )\n}', "2:33 Expected a value after 'name:', found ')'"],
    ['arguments not closed', 'model User {\n  posts: [Post] @relation(name: "x" }', "2:37 Expected ')' to close the arguments of '@relation', found '}'"],
    ['a list value not closed', 'model User {\n  id: ID\n  @@index([a, b)\n}', "3:16 Expected ']' to close the list, found ')'"],
    ['a spread without a name', 'model User {\n  ...\n}', "3:1 Expected a model name after '...', found '}'"],
    ['a doubled !', 'model User {\n  id: ID!!\n}', "2:10 Expected a field or '}' in model 'User', found '!'"],
    ['a field directive where a member starts', 'model User {\n  @id\n}', "2:3 Expected a field or '}' in model 'User', found '@'"],
    ['a description before a spread', 'model User {\n  "doc"\n  ...Audit\n}', "3:3 Expected a field name after the description, found '...'"],
    ['a bad enum value', 'enum Role {\n  ADMIN!\n}', "2:8 Expected an enum value or '}' in enum 'Role', found '!'"],
    ['an enum never closed (reported where it opens)', 'enum Role {\n  ADMIN\n', "1:6 Expected '}' to close enum 'Role', found end of file"],
    ['an enum without a name', 'enum {\n  A\n}', "1:6 Expected an enum name after 'enum', found '{'"],
    ['a description before a directive', '"A user."\n@okra(namespace: "x")', "2:1 Expected 'model' or 'enum' after a description, found '@'"],
    ['a model directive at the top level', '@@index([a])', "1:1 Expected 'model', 'enum' or a directive, found '@@'"],
    ['an unknown escape', 'model User {\n  name: String @default("a\\qb")\n}', "2:27 Invalid escape sequence '\\q'"],
    ['a name glued to a number', 'model User {\n  age: Int @default(12abc)\n}', "2:21 Invalid number '12abc'"],
    ['an unterminated block string', 'model User {\n  """never closed\n}', '2:3 Unterminated block string'],
    ['lists nested too deep', `model U {\n  x: Int @d(${'['.repeat(40)}${']'.repeat(40)})\n}`, '2:45 Lists are nested more than 32 deep'],
  ])('%s', (_fault, text, expected) => {
    expect(errors(text)).toEqual([expected])
  })
})

describe('syntax errors: printed as users see them', () => {
  it('points a caret at the offending token, and gives a hint', () => {
    const [d] = parseText('model User {\n  email! String\n}').diagnostics
    expect(formatDiagnostic(d)).toBe(
      [
        "models.okra.gql:2:8: error: Expected ':' after field name 'email', found '!'",
        '  2 |   email! String',
        '    |        ^',
        "  hint: Write the field as 'email: Type'.",
      ].join('\n'),
    )
  })

  it('suggests the keyword a misspelled word was meant to be, underlining the whole word', () => {
    const [d] = parseText('model A { id: ID }\n\nmodle User {\n  id: ID!\n}').diagnostics
    expect(formatDiagnostic(d)).toBe(
      [
        "models.okra.gql:3:1: error: Expected 'model', 'enum' or a directive, found 'modle'",
        '  3 | modle User {',
        '    | ^^^^^',
        "  hint: Did you mean 'model'?",
      ].join('\n'),
    )
    expect(parseText('enm Role { A }').diagnostics[0].hint).toBe("Did you mean 'enum'?")
    expect(parseText('Model User { id: ID }').diagnostics[0].hint).toBe("Did you mean 'model'?")
    expect(parseText('type User { id: ID }').diagnostics[0].hint).toContain("'model' where GraphQL uses 'type'")
    expect(parseText('banana User { id: ID }').diagnostics[0].hint).not.toContain('Did you mean')
  })

  it('puts a hint on every syntax error', () => {
    const { diagnostics } = parseText('modle A {}\nmodel B { x! }\nenum C { ! }\nmodel D { y: [Z }\n@')
    expect(diagnostics.length).toBeGreaterThanOrEqual(4)
    for (const d of diagnostics) expect(d.hint).toMatch(/\w/)
  })

  it('reports the end of file at the very end of the text', () => {
    const text = 'model User {\n  id: '
    const d = parseText(text).diagnostics.find((x) => x.message.startsWith('Expected a type name'))!
    expect([d.location.start, d.location.end]).toEqual([text.length, text.length])
    expect(formatDiagnostic(d)).toContain("models.okra.gql:2:7: error: Expected a type name after ':', found end of file")
  })

  it('a model left open at the end of a long file is reported at its name, not at the last line', () => {
    const text = 'model Post {\n  id: ID!\n}\n\nmodel User {\n  id: ID!\n' + '  # notes\n'.repeat(40)
    const diagnostics = parseText(text).diagnostics
    expect(diagnostics).toHaveLength(1)
    expect(formatDiagnostic(diagnostics[0]!)).toContain("models.okra.gql:5:7: error: Expected '}' to close model 'User', found end of file\n  5 | model User {\n    |       ^^^^")
  })
})

describe('recovery: every fault is reported and the rest is still parsed', () => {
  it('reports two faults in one model, and keeps its valid fields', () => {
    const text = 'model User {\n  id: ID! @id\n  email! String\n  name: String\n  age: Int @default()\n  bio: String?\n}'
    expect(errors(text)).toEqual([
      "3:8 Expected ':' after field name 'email', found '!'",
      "5:21 Expected an argument after '(', found ')'",
    ])
    expect(definitions(text)).toEqual(['User{id,name,bio}'])
  })

  it('reports faults in two models and keeps the valid definitions around them', () => {
    const text = [
      'enum Role { ADMIN USER }',
      'model User {',
      '  id: ID!',
      '  role: Role! @default(USER',
      '  email: String!',
      '}',
      'model Tag { id: ID! }',
      'model Post {',
      '  id: ID!',
      '  title String',
      '}',
      '@index(model: "Post", fields: ["id"])',
    ].join('\n')
    expect(errors(text)).toEqual([
      "5:3 Expected ')' to close the arguments of '@default', found 'email'",
      "10:9 Expected ':' after field name 'title', found 'String'",
    ])
    expect(definitions(text)).toEqual(['Role[ADMIN,USER]', 'User{id,email}', 'Tag{id}', 'Post{id}', '@index'])
  })

  it('skips a misspelled definition whole, body included, and parses the next one', () => {
    const text = 'modle User {\n  id: ID! @id\n  @@index([id])\n}\nmodel Post { id: ID! }'
    expect(errors(text)).toEqual(["1:1 Expected 'model', 'enum' or a directive, found 'modle'"])
    expect(definitions(text)).toEqual(['Post{id}'])
  })

  it("ends a model whose '}' is missing at the next definition", () => {
    const text = 'model User {\n  id: ID!\n\n"""Posts."""\nmodel Post {\n  id: ID!\n}\nenum Role { A }'
    expect(errors(text)).toEqual(["4:1 Expected '}' to close model 'User', found block string"])
    expect(definitions(text)).toEqual(['User{id}', 'Post{id}', 'Role[A]'])
    const post = parseText(text).document.definitions[1] as ModelNode
    expect(post.description?.value).toBe('Posts.')
  })

  it("reads the body of a model whose '{' is missing", () => {
    const text = 'model User\n  id: ID!\n  name: String\n}\nenum Role\n  A B\n}'
    expect(errors(text)).toEqual(["2:3 Expected '{' after model name 'User', found 'id'", "6:3 Expected '{' after enum name 'Role', found 'A'"])
    expect(definitions(text)).toEqual(['User{id,name}', 'Role[A,B]'])
  })

  it("ends a model whose '}' is missing at a top-level directive", () => {
    // (After a field, a '@' on the next line is one more directive of that field, as the grammar says.)
    const text = 'model User {\n  id: ID!\n  ...Audit\n\n@index(model: "User", fields: ["id"])'
    expect(errors(text)).toEqual(["5:1 Expected '}' to close model 'User', found '@'"])
    expect(definitions(text)).toEqual(['User{id,Audit}', '@index'])
  })

  it("does not take a broken directive's model: argument for a model", () => {
    const text = '@index((model: "User", fields: ["id"])\n@unique(model: "User", fields: ["id"])\nmodel User { id: ID! }'
    expect(errors(text)).toEqual(["1:8 Expected ')' to close the arguments of '@index', found '('"])
    expect(definitions(text)).toEqual(['@unique', 'User{id}'])
  })

  it('goes on after a bad enum value with the next one', () => {
    const text = 'enum Role { ADMIN ! USER 3 GUEST }'
    expect(errors(text)).toEqual([
      "1:19 Expected an enum value or '}' in enum 'Role', found '!'",
      "1:26 Expected an enum value or '}' in enum 'Role', found '3'",
    ])
    expect((parseText(text).document.definitions[0] as EnumNode).values.map((v) => v.name.value)).toEqual(['ADMIN', 'USER', 'GUEST'])
  })

  it('reports a lexical error once, not again as the syntax error it causes', () => {
    expect(errors('model User {\n  na$me: String\n  id: ID\n}')).toEqual(["2:5 Unexpected character '$'"])
    expect(definitions('model User {\n  na$me: String\n  id: ID\n}')).toEqual(['User{id}'])
  })

  it('never throws, whatever the input', () => {
    for (const text of ['{', '}}}}', '@', '@@', '(', ')', '"', '"""', '...', 'model', 'model A', 'model A {', 'enum E { "', '@x(', '@x([', '\u0000\uFFFF\uD800']) {
      const { diagnostics } = parseText(text)
      expect(diagnostics.length).toBeGreaterThan(0)
    }
    expect(parseText('@x(' + '['.repeat(100_000)).diagnostics.map((d) => d.message)).toContain('Lists are nested more than 32 deep')
  })
})
