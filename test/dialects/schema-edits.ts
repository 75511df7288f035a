/** The schemas both dialect suites render changes of (BASE) and run on real databases (BLOG), and small textual edits of BASE. */
export const BASE = `
enum Role { ADMIN USER }
model User {
  id: ID! @default(uuid)
  email: String! @unique
  name: String!
  bio: String?
  age: Int
  role: Role! @default(USER)
  updatedAt: DateTime! @default(now) @updatedAt
  posts: [Post!]!
}
model Post {
  id: Int! @id @default(autoincrement)
  title: String! @index
  authorId: ID!
  author: User! @relation(fields: [authorId], references: [id], onDelete: Cascade)
}`

export function edit(...edits: [string, string][]): string {
  return edits.reduce((text, [a, b]) => {
    if (!text.includes(a)) throw new Error(`not in schema: ${a}`)
    return text.replace(a, b)
  }, BASE)
}

export const BLOG = `
enum Role { ADMIN USER }
model User {
  id: Int! @id @default(autoincrement)
  email: String! @unique
  name: String?
  role: Role! @default(USER)
  createdAt: DateTime! @default(now)
  updatedAt: DateTime! @default(now) @updatedAt
  posts: [Post!]!
}
model Post {
  id: ID! @default(uuid)
  title: String!
  authorId: Int!
  author: User! @relation(fields: [authorId], references: [id], onDelete: Cascade)
}`

