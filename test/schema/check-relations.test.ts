import { describe, it, expect } from 'vitest'
import { compile, field, hints, model, problems } from './helpers'

const user = 'model User { id: ID! @default(uuid) posts: [Post!]! }'

describe('one-to-many', () => {
  const schema = compile(`${user}
model Post {
  id: ID! @default(uuid)
  authorId: ID!
  author: User! @relation(fields: [authorId], references: [id])
  editorId: ID
  editor: User @relation(name: "Edits", fields: [editorId], references: [id])
}`)

  it('records the key side, the back side and their opposites', () => {
    expect(field(schema, 'Post', 'author')).toEqual({
      kind: 'relation',
      name: 'author',
      required: true,
      type: 'User',
      list: false,
      relationName: 'PostToUser',
      opposite: 'posts',
      fields: ['authorId'],
      references: ['id'],
      onDelete: 'Restrict',
      onUpdate: 'Cascade',
    })
    expect(field(schema, 'User', 'posts')).toEqual({
      kind: 'relation',
      name: 'posts',
      required: true,
      type: 'Post',
      list: true,
      relationName: 'PostToUser',
      opposite: 'author',
    })
  })

  it('lets the key side stand alone, and defaults onDelete to SetNull for an optional key', () => {
    expect(field(schema, 'Post', 'editor')).toMatchObject({ relationName: 'Edits', onDelete: 'SetNull', onUpdate: 'Cascade' })
    expect(field(schema, 'Post', 'editor')).not.toHaveProperty('opposite')
  })

  it('adds one foreign key per key side, named after its columns', () => {
    expect(model(schema, 'Post').foreignKeys).toEqual([
      { name: 'posts_author_id_fkey', relationField: 'author', fields: ['authorId'], referencedModel: 'User', references: ['id'], onDelete: 'Restrict', onUpdate: 'Cascade' },
      { name: 'posts_editor_id_fkey', relationField: 'editor', fields: ['editorId'], referencedModel: 'User', references: ['id'], onDelete: 'SetNull', onUpdate: 'Cascade' },
    ])
  })

  it('keeps given referential actions, and checks they are possible', () => {
    const ok = compile(`model R { id: Int! @id }
model S { id: ID! rId: Int! @default(1) r: R! @relation(fields: [rId], references: [id], onDelete: SetDefault, onUpdate: NoAction) }`)
    expect(model(ok, 'S').foreignKeys[0]).toMatchObject({ onDelete: 'SetDefault', onUpdate: 'NoAction' })
    expect(problems(`${user}\nmodel Post { id: ID! aId: ID! a: User! @relation(fields: [aId], references: [id], onUpdate: SetNull) }`)).toEqual([
      "2:93 onUpdate: SetNull needs optional key fields, but 'aId' is required",
    ])
    expect(problems(`${user}\nmodel Post { id: ID! aId: ID! a: User! @relation(fields: [aId], references: [id], onDelete: SetDefault) }`)).toEqual([
      "2:93 onDelete: SetDefault needs a default on key field 'aId'",
    ])
    expect(problems(`model User { id: ID! posts: [Post!]! @relation(onDelete: Cascade) }
model Post { id: ID! aId: ID! a: User! @relation(fields: [aId], references: [id]) }`)).toEqual([
      '1:58 onDelete can only be set on the side of a relation that holds the key',
    ])
  })

  it('references a unique set as well as the primary key', () => {
    const schema = compile(`model User { id: ID! email: String! @unique tenant: String! handle: String! @@unique([tenant, handle]) }
model Post { id: ID! email: String! t: String! h: String!
  byEmail: User! @relation(name: "E", fields: [email], references: [email])
  byHandle: User! @relation(name: "H", fields: [h, t], references: [handle, tenant]) }
@unique(model: "User", fields: ["tenant", "email"])
model Note { id: ID! t: String! e: String! u: User! @relation(fields: [t, e], references: [tenant, email]) }`)
    expect(model(schema, 'Post').foreignKeys.map((k) => k.references)).toEqual([['email'], ['handle', 'tenant']])
    expect(model(schema, 'Note').foreignKeys[0].references).toEqual(['tenant', 'email'])
  })
})

describe('the key fields', () => {
  const relation = (fields: string, references: string, extra = 'authorId: ID!') =>
    problems(`${user}\nmodel Post { id: ID! ${extra} author: User! @relation(fields: ${fields}, references: ${references}) }`)

  it('pair up with references one to one', () => {
    expect(relation('[authorId]', '[id, email]')).toEqual(["2:92 @relation of 'author' has 1 field in 'fields' but 2 in 'references'"])
    expect(relation('[]', '[]')).toEqual(["2:68 @relation of 'author' has an empty 'fields' list"])
    expect(problems(`${user}\nmodel Post { id: ID! authorId: ID! author: User! @relation(fields: [authorId]) }`)).toEqual([
      "2:50 @relation of 'author' has 'fields' but no 'references'",
    ])
  })

  it('exist on their models as scalar or enum fields, each once', () => {
    expect(relation('[authorID]', '[id]')).toEqual(["2:69 Unknown field 'authorID' in @relation(fields:) of 'author': model 'Post' has no such field"])
    expect(relation('[authorId]', '[uid]')).toEqual(["2:93 Unknown field 'uid' in @relation(references:) of 'author': model 'User' has no such field"])
    expect(relation('[authorId]', '[posts]')).toEqual(["2:93 Field 'posts' in @relation(references:) of 'author' is a relation field"])
    expect(relation('[authorId, authorId]', '[id, id]').map((p) => p.replace(/^\S+ /, ''))).toEqual([
      "Field 'authorId' appears twice in @relation(fields:) of 'author'",
      "Field 'id' appears twice in @relation(references:) of 'author'",
    ])
    expect(hints(`${user}\nmodel Post { id: ID! author: User! @relation(fields: [writerId], references: [id]) }`)).toEqual([
      'Declare it on Post: writerId: ID!.',
    ])
  })

  it('must reference the primary key or a unique set', () => {
    expect(problems(`model User { id: ID! email: String! }\nmodel Post { id: ID! e: String! u: User! @relation(fields: [e], references: [email]) }`)).toEqual([
      "2:77 @relation of 'u' references [email] of model 'User', which is neither its primary key nor unique",
    ])
  })

  it('have the types of the fields they reference', () => {
    expect(relation('[authorId]', '[id]', 'authorId: String!')).toEqual([
      "2:73 Type mismatch in @relation of 'author': 'authorId' is String but 'User.id' is ID",
    ])
    expect(problems(`enum K { A }\nenum L { A }\nmodel T { k: K! @id }\nmodel U { id: ID! l: L! t: T! @relation(fields: [l], references: [k]) }`)).toEqual([
      "4:50 Type mismatch in @relation of 't': 'l' is L but 'T.k' is K",
    ])
  })

  it('are required when the relation is, optional or not when it is optional', () => {
    expect(relation('[authorId]', '[id]', 'authorId: ID')).toEqual([
      "2:43 Relation 'author' of model 'Post' is required but its key field 'authorId' is optional",
    ])
    const schema = compile(`${user}\nmodel Post { id: ID! authorId: ID! author: User @relation(fields: [authorId], references: [id]) }`)
    expect(model(schema, 'Post').foreignKeys[0].onDelete).toBe('Restrict')
  })
})

describe('relations without a key side', () => {
  it('a list with no opposite holding the key is an error with the exact fix as hint', () => {
    const schema = 'model User {\n  id: ID!\n  posts: [Post!]!\n}\nmodel Post { id: ID! }'
    expect(problems(schema)).toEqual(["3:3 Relation list 'posts' of model 'User' has no opposite field on 'Post' holding the key"])
    expect(hints(schema)).toEqual(['Add the key side to Post: user: User! @relation(fields: [userId], references: [id]), with userId: ID!.'])
  })

  it('a singular field with no key is an error with the exact @relation to write', () => {
    const schema = `${user}\nmodel Post { id: ID! author: User! }`
    expect(problems(schema)).toEqual(["2:22 Relation field 'author' of model 'Post' needs @relation(fields:, references:)"])
    expect(hints(schema)).toEqual([
      'Hold the key on this side: author: User! @relation(fields: [authorId], references: [id]), with authorId: ID! declared on Post.',
    ])
    const named = 'model A { id: Int! @id b: B? @relation(name: "AB") }\nmodel B { id: ID! a: A? @relation(name: "AB") }'
    expect(hints(named)).toEqual([
      'Hold the key on this side: b: B? @relation(name: "AB", fields: [bId], references: [id]), with bId: ID? declared on A.',
    ])
  })

  it('says to name the other side when only the key side has a name', () => {
    const schema = `${user}\nmodel Post { id: ID! aId: ID! author: User! @relation(name: "Wrote", fields: [aId], references: [id]) }`
    expect(problems(schema)).toEqual(["1:37 Relation list 'posts' of model 'User' has no opposite field on 'Post' holding the key"])
    expect(hints(schema)).toEqual(['Post.author holds the key with @relation(name: "Wrote"): give this field the same name.'])
  })

  it('a list cannot hold the key, and only one side may', () => {
    expect(problems('model A { id: ID! bId: ID! bs: [B!]! @relation(fields: [bId], references: [id]) }\nmodel B { id: ID! a: A? }')).toEqual([
      "1:56 Relation list 'bs' of model 'A' cannot hold the key",
    ])
    expect(problems(`model A { id: ID! bId: ID? @unique b: B? @relation(fields: [bId], references: [id]) }
model B { id: ID! aId: ID? @unique a: A? @relation(fields: [aId], references: [id]) }`)).toEqual([
      "2:42 Both sides of relation 'AToB' hold a key: A.b and B.a both have fields/references",
    ])
  })
})

describe('one-to-one', () => {
  it('makes the key unique and the back side optional', () => {
    const schema = compile(`model User { id: ID! profile: Profile? }
model Profile { id: ID! userId: ID! user: User! @relation(fields: [userId], references: [id], onDelete: Cascade) }`)
    expect(model(schema, 'Profile').uniques).toEqual([{ name: 'profiles_user_id_key', fields: ['userId'] }])
    expect(field(schema, 'User', 'profile')).toEqual({ kind: 'relation', name: 'profile', required: false, type: 'Profile', list: false, relationName: 'ProfileToUser', opposite: 'user' })
  })

  it('does not add a unique that already exists', () => {
    const schema = compile(`model User { id: ID! profile: Profile? }
model Profile { id: ID! userId: ID! @unique user: User! @relation(fields: [userId], references: [id]) }`)
    expect(model(schema, 'Profile').uniques).toEqual([{ name: 'profiles_user_id_key', fields: ['userId'] }])
    const keyIsPrimary = compile('model User { id: ID! profile: Profile? }\nmodel Profile { userId: ID! @id user: User! @relation(fields: [userId], references: [id]) }')
    expect(model(keyIsPrimary, 'Profile').uniques).toEqual([])
  })

  it('refuses a required back side', () => {
    expect(problems('model User { id: ID! profile: Profile! }\nmodel Profile { id: ID! userId: ID! user: User! @relation(fields: [userId], references: [id]) }')).toEqual([
      "1:31 The back side of a one-to-one relation must be optional: 'profile' of model 'User'",
    ])
  })
})

describe('many-to-many', () => {
  it('gets an implicit join table, named after the tables, columns sorted by model', () => {
    const schema = compile('model Tag { id: Int! @id posts: [Post!]! }\nmodel Post { id: ID! tags: [Tag!]! }')
    expect(schema.joinTables).toEqual([
      {
        relationName: 'PostToTag',
        table: 'posts_to_tags',
        columns: [
          { column: 'post_id', model: 'Post', references: 'id', type: 'ID' },
          { column: 'tag_id', model: 'Tag', references: 'id', type: 'Int' },
        ],
      },
    ])
    expect(field(schema, 'Tag', 'posts')).toEqual({ kind: 'relation', name: 'posts', required: true, type: 'Post', list: true, relationName: 'PostToTag', opposite: 'tags' })
  })

  it('a named one is called after the name; a self one has a_id (declared first) and b_id', () => {
    const schema = compile(`model OrderItem { id: ID! tags: [Tag!]! @relation(name: "ItemLabels") }
model Tag { id: ID! items: [OrderItem!]! @relation(name: "ItemLabels") }
model Person { id: ID! following: [Person!]! @relation(name: "Follows") followers: [Person!]! @relation(name: "Follows") }`)
    expect(schema.joinTables.map((j) => [j.table, j.columns.map((c) => `${c.column}->${c.model}.${c.references}`)])).toEqual([
      ['follows', ['a_id->Person.id', 'b_id->Person.id']],
      ['item_labels', ['order_item_id->OrderItem.id', 'tag_id->Tag.id']],
    ])
    expect(field(schema, 'Person', 'following')).toMatchObject({ relationName: 'Follows', opposite: 'followers' })
    expect(field(schema, 'Person', 'followers')).toMatchObject({ relationName: 'Follows', opposite: 'following' })
  })

  it('needs a single-field primary key on both models', () => {
    expect(problems('model Tag { id: ID! ps: [P!]! }\nmodel P { a: ID! b: ID! tags: [Tag!]! @@id([a, b]) }')).toEqual([
      "1:21 Many-to-many relation 'PToTag' needs a single-field scalar primary key on 'P'",
    ])
  })

  it('a join table must not take the table of a model', () => {
    expect(problems('model A { id: ID! bs: [B!]! @relation(name: "Users") }\nmodel B { id: ID! as: [A!]! @relation(name: "Users") }\nmodel User { id: ID! }')).toEqual([
      "1:19 Table name 'users' of the join table of relation 'Users' is already used by model 'User'",
    ])
  })
})

describe('self-relations and names', () => {
  it('pairs two unnamed fields of a model with itself', () => {
    const schema = compile('model Node { id: ID! parentId: ID parent: Node @relation(fields: [parentId], references: [id]) children: [Node!]! }')
    expect(field(schema, 'Node', 'parent')).toMatchObject({ relationName: 'NodeToNode', opposite: 'children', onDelete: 'SetNull' })
    expect(field(schema, 'Node', 'children')).toMatchObject({ relationName: 'NodeToNode', opposite: 'parent' })
  })

  it('reports more than two unnamed self-relation fields as ambiguous', () => {
    expect(problems('model N { id: ID! pId: ID p: N @relation(fields: [pId], references: [id]) kids: [N!]! others: [N!]! }')).toEqual([
      "1:75 Ambiguous relation between N and itself: fields 'p', 'kids' and 'others' of N all point to N",
    ])
  })

  it('reports two unnamed key-holding self-relations as ambiguous, not as two sides holding a key', () => {
    expect(problems('model E { id: ID! mId: ID m: E @relation(fields: [mId], references: [id]) bId: ID b: E @relation(fields: [bId], references: [id]) }')).toEqual([
      "1:83 Ambiguous relation between E and itself: fields 'm' and 'b' of E both point to E",
    ])
  })

  it('reports two unnamed relations between the same models as ambiguous, once', () => {
    const schema = `model User {
  id: ID!
  written: [Post!]!
  edited: [Post!]!
}
model Post { id: ID! aId: ID! a: User! @relation(fields: [aId], references: [id]) eId: ID! e: User! @relation(fields: [eId], references: [id]) }`
    expect(problems(schema)).toEqual(["4:3 Ambiguous relation between User and Post: fields 'written' and 'edited' of User both point to Post"])
    expect(hints(schema)).toEqual(['Tell the relations apart with @relation(name: "...") on both sides of each one.'])
  })

  it('tells relations apart by name', () => {
    const schema = compile(`model User { id: ID! written: [Post!]! @relation(name: "Author") edited: [Post!]! @relation(name: "Editor") }
model Post { id: ID! aId: ID! a: User! @relation(name: "Author", fields: [aId], references: [id]) eId: ID e: User @relation(name: "Editor", fields: [eId], references: [id]) }`)
    expect(field(schema, 'User', 'written')).toMatchObject({ relationName: 'Author', opposite: 'a' })
    expect(field(schema, 'User', 'edited')).toMatchObject({ relationName: 'Editor', opposite: 'e' })
  })

  it('refuses a name used by more than two fields or by fields of different relations', () => {
    expect(problems('model A { id: ID! b: [B!]! @relation(name: "X") c: [C!]! @relation(name: "X") }\nmodel B { id: ID! }\nmodel C { id: ID! }')).toEqual([
      "1:74 Relation 'X' joins fields that are not two sides of one relation: A.b points to B, A.c points to C",
    ])
    expect(problems('model A { id: ID! b: [B!]! @relation(name: "X") c: [B!]! @relation(name: "X") }\nmodel B { id: ID! aId: ID! a: A! @relation(name: "X", fields: [aId], references: [id]) }')).toEqual([
      "2:50 Relation name 'X' is used by more than two fields: A.b, A.c, B.a",
    ])
  })

  it('refuses a given name that is the generated name of another relation', () => {
    expect(
      problems(`model A { id: ID! bId: ID! b: B! @relation(fields: [bId], references: [id]) b2Id: ID! b2: B! @relation(name: "AToB", fields: [b2Id], references: [id]) }
model B { id: ID! }`),
    ).toEqual(["1:110 Relation name 'AToB' is also the generated name of the unnamed relation between A and B"])
  })
})

describe('cycles of required relations', () => {
  it('reports a two-model cycle once, starting from the model whose relation field comes first, at that field', () => {
    const a = `model User {\n  id: ID!\n  postId: ID!\n  post: Post! @relation(name: "Pin", fields: [postId], references: [id])\n}`
    const b = `model Post {\n  id: ID!\n  userId: ID!\n  user: User! @relation(fields: [userId], references: [id])\n}`
    expect(problems(a, b)).toEqual(['schema1.okra.gql 4:3 Circular dependency detected between User and Post'])
    expect(problems(b, a)).toEqual(['schema1.okra.gql 4:3 Circular dependency detected between Post and User'])
    expect(hints(a, b)[0]).toBe('Make one side optional (e.g. User.post and its key fields) so that one row can be inserted before the other.')
  })

  it('names longer cycles in cycle order', () => {
    const schema = `model C { id: ID! aId: ID! a: A! @relation(fields: [aId], references: [id]) }
model A { id: ID! bId: ID! b: B! @relation(fields: [bId], references: [id]) }
model B { id: ID! cId: ID! c: C! @relation(fields: [cId], references: [id]) }`
    expect(problems(schema)).toEqual(['1:28 Circular dependency detected between C, A and B'])
  })

  it('reports a required self-relation', () => {
    expect(problems('model Node { id: ID! pId: ID! p: Node! @relation(fields: [pId], references: [id]) }')).toEqual([
      '1:31 Circular dependency detected between Node and itself',
    ])
  })

  it('is broken by one optional key', () => {
    expect(
      problems(`model User { id: ID! postId: ID post: Post @relation(name: "Pin", fields: [postId], references: [id]) }
model Post { id: ID! userId: ID! user: User! @relation(fields: [userId], references: [id]) }`),
    ).toEqual([])
  })

  it('reports separate cycles separately', () => {
    const pair = (x: string, y: string) => `model ${x} { id: ID! yId: ID! y: ${y}! @relation(name: "${x}${y}", fields: [yId], references: [id]) }`
    expect(problems([pair('A', 'B'), pair('B', 'A'), pair('C', 'D'), pair('D', 'C')].join('\n'))).toEqual([
      '1:28 Circular dependency detected between A and B',
      '3:28 Circular dependency detected between C and D',
    ])
  })
})

describe('relation fields in mixins', () => {
  it('are copied into each model spreading the mixin', () => {
    const schema = compile(`model Owned { ownerId: ID! owner: User! @relation(fields: [ownerId], references: [id]) }
model User { id: ID! }
model Doc { id: ID! ...Owned }`)
    expect(model(schema, 'Doc').foreignKeys).toEqual([
      { name: 'docs_owner_id_fkey', relationField: 'owner', fields: ['ownerId'], referencedModel: 'User', references: ['id'], onDelete: 'Restrict', onUpdate: 'Cascade' },
    ])
  })
})
