/**
 * Hand-built canonical schemas for the codegen tests, so the generators are tested on their own
 * (compiler.test.ts runs them on what compileSchema makes of the fixtures).
 */
import type { Field, Model, Schema } from '../../src/schema/types'

const key = (table: string, ...fields: string[]) => ({ name: `${table}_${fields.join('_')}_key`, fields })
const scalar = (name: string, type: Extract<Field, { kind: 'scalar' }>['type'], required: boolean, extra: object = {}): Field => ({
  kind: 'scalar',
  name,
  type,
  required,
  column: name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
  ...extra,
})

function model(name: string, table: string, fields: Field[], extra: Partial<Model> = {}): Model {
  return { name, table, fields, primaryKey: ['id'], indexes: [], uniques: [], foreignKeys: [], ...extra }
}

/** The schema language guide's example (docs/schema-language.md), completed with the Post model its `posts` field points at (test/fixtures/valid/guide-example.okra.gql). */
export const guideExample: Schema = {
  format: 1,
  namespace: 'myapp',
  version: 'v1',
  enums: [{ name: 'Role', dbName: 'role', values: [{ name: 'ADMIN' }, { name: 'USER' }, { name: 'GUEST' }] }],
  models: [
    model(
      'Post',
      'posts',
      [
        scalar('id', 'ID', true, { default: { kind: 'uuid' } }),
        scalar('title', 'String', true),
        scalar('authorId', 'ID', true),
        { kind: 'relation', name: 'author', type: 'User', required: true, list: false, relationName: 'UserPosts', opposite: 'posts', fields: ['authorId'], references: ['id'], onDelete: 'Cascade' },
        scalar('createdAt', 'DateTime', true, { default: { kind: 'now' } }),
      ],
      {
        description: 'A post written by a user.',
        foreignKeys: [{ name: 'posts_author_id_fkey', relationField: 'author', fields: ['authorId'], referencedModel: 'User', references: ['id'], onDelete: 'Cascade', onUpdate: 'Cascade' }],
      },
    ),
    model(
      'User',
      'users',
      [
        scalar('id', 'ID', true, { default: { kind: 'uuid' } }),
        scalar('email', 'String', true),
        scalar('name', 'String', true),
        { kind: 'enum', name: 'role', type: 'Role', required: true, column: 'role', default: { kind: 'value', value: 'USER' } },
        scalar('bio', 'String', false, { dbType: 'TEXT' }),
        scalar('createdAt', 'DateTime', true, { default: { kind: 'now' } }),
        scalar('updatedAt', 'DateTime', true, { updatedAt: true }),
        { kind: 'relation', name: 'posts', type: 'Post', required: true, list: true, relationName: 'UserPosts', opposite: 'author' },
        scalar('createdBy', 'String', false),
        scalar('updatedBy', 'String', false),
      ],
      {
        description: 'A person who can sign in.',
        indexes: [
          { name: 'users_email_role_idx', fields: ['email', 'role'] },
          { name: 'users_name_created_at_idx', fields: ['name', 'createdAt'] },
        ],
        uniques: [key('users', 'email')],
      },
    ),
  ],
  joinTables: [],
}

/**
 * Names every target must treat with care: keywords of TypeScript, Go and Python, initialisms, names that
 * collide once converted, descriptions with quotes, comment terminators, backslashes and blank lines,
 * every scalar type, optional enums and a self-relation.
 */
export const edgeCases: Schema = {
  format: 1,
  enums: [
    {
      name: 'Kind',
      dbName: 'kind',
      description: 'Says "what" it is.\nEnds with a quote: "',
      values: [
        { name: 'import', description: 'The `import` keyword; */ closes a comment; """ a docstring.' },
        { name: 'None' },
        { name: 'class' },
        { name: 'CLASS' },
        { name: 'title' },
        { name: 'name' },
        { name: '_private' },
        { name: 'SUPER_ADMIN' },
      ],
    },
  ],
  models: [
    model(
      'Node',
      'nodes',
      [
        scalar('id', 'ID', true, { description: 'Line one.\n\n  Indented line.\nBackslash \\ and a tab\there.' }),
        scalar('class', 'String', true),
        scalar('type', 'String', false),
        scalar('userId', 'ID', true),
        scalar('userID', 'ID', false),
        scalar('avatarUrl', 'String', false),
        scalar('apiKey', 'String', false),
        scalar('htmlBody', 'String', false),
        scalar('ipAddress', 'String', false),
        scalar('userIds', 'JSON', false),
        scalar('payload', 'JSON', true),
        scalar('count', 'Int', true),
        scalar('big', 'BigInt', false),
        scalar('ratio', 'Float', false),
        scalar('price', 'Decimal', true),
        scalar('active', 'Boolean', true),
        scalar('data', 'Bytes', false),
        scalar('str', 'String', false),
        scalar('Kind', 'String', false),
        { kind: 'enum', name: 'kind', type: 'Kind', required: false, column: 'kind' },
        scalar('parentId', 'ID', false),
        { kind: 'relation', name: 'parent', type: 'Node', required: false, list: false, relationName: 'NodeTree', opposite: 'children', fields: ['parentId'], references: ['id'] },
        { kind: 'relation', name: 'children', type: 'Node', required: false, list: true, relationName: 'NodeTree', opposite: 'parent' },
      ],
      {
        description: 'A node.\n\nNotes\n\nA heading-like line above; */ and """ and a trailing backslash \\',
        foreignKeys: [{ name: 'nodes_parent_id_fkey', relationField: 'parent', fields: ['parentId'], referencedModel: 'Node', references: ['id'], onDelete: 'SetNull', onUpdate: 'Cascade' }],
      },
    ),
    model('class', 'classes', [scalar('id', 'ID', true), { kind: 'enum', name: 'import', type: 'Kind', required: true, column: 'import' }], {
      description: '[spec]: https://example.com/spec',
    }),
  ],
  joinTables: [],
}

/** Descriptions that go/doc/comment would reformat if written naively (lists, code, headings, link definitions), and characters compilers reject. */
const trickyDescriptions = [
  '- a list item\n- another\n1. numbered\n  indented code\n\ttabbed code',
  'First paragraph.\n\nLone Heading\n\nLast paragraph.',
  "Intro.\n\nIt's Mr.Smith (v2), ok\n\nOutro.",
  'Intro.\n\nNot a heading.\n\nOutro.',
  '# A heading\n\n#NoSpace\n\n#',
  '[one]: https://example.com/one\n[two]: http://example.com/two',
  'Text.\n\n[ref]: https://example.com/ref\n\nMore text.',
  '[first]: https://example.com/first\n\nThen text [first].',
  '[ref]:\thttps://example.com/x   \n',
  'Trailing spaces   \n\n\n\nafter blank lines\u00a0',
  'Line\r\nbreaks\rof\u2028every\u2029kind',
  'Controls \u0000\u0001\u001b\u007f and a BOM \ufeff, emoji 🚀, CJK 日本語',
  '*/ closes JSDoc, """ closes a docstring, \\ escapes, ` and \' and "',
  '//go:generate looks like a directive',
  '\n\n   \n',
]

export const docComments: Schema = {
  format: 1,
  enums: [
    {
      name: 'Tricky',
      dbName: 'tricky',
      description: trickyDescriptions[0],
      values: trickyDescriptions.map((description, i) => ({ name: `V${i}`, description })),
    },
  ],
  models: trickyDescriptions.map((description, i) =>
    model(`Doc${String(i).padStart(2, '0')}`, `doc${i}s`, [
      scalar('id', 'ID', true, { description }),
      scalar('aVeryLongFieldName', 'String', false),
      scalar('x', 'Int', true, { description: i % 2 === 0 ? description : undefined }),
      { kind: 'enum', name: 'tricky', type: 'Tricky', required: false, column: 'tricky', description },
    ], { description }),
  ),
  joinTables: [],
}

/** Words reserved somewhere among the targets (keywords, built-in types, names the generated code imports), as model, enum, field and value names. */
const reservedWords = [
  'class', 'type', 'keyof', 'readonly', 'string', 'any', 'object', 'await', 'let', 'package', 'interface',
  'func', 'chan', 'map', 'range', 'select', 'struct', 'var', 'go',
  'None', 'True', 'def', 'lambda', 'str', 'int', 'list', 'Optional', 'Any', 'Enum', 'dataclass', 'annotations', 'self',
]

export const reservedNames: Schema = {
  format: 1,
  enums: [{ name: 'import', dbName: 'import', values: reservedWords.map((name) => ({ name })) }],
  models: reservedWords.map((name) =>
    model(name, name, [
      scalar('id', 'ID', true),
      ...reservedWords.map((field, i): Field => (i % 3 === 0 ? { kind: 'enum', name: field, type: 'import', required: i % 2 === 0, column: field } : scalar(field, 'String', i % 2 === 0))),
      { kind: 'relation', name: 'next', type: reservedWords[(reservedWords.indexOf(name) + 1) % reservedWords.length], required: false, list: true, relationName: `next_${name}` },
    ]),
  ),
  joinTables: [],
}
