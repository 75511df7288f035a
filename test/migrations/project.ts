/**
 * A throw-away OKRA project for the migration suites: a config pointing at a database, a schema file the
 * test rewrites step by step, snapshots taken at chosen times, and the database's structure read back.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type SnapshotResult, snapshot } from '../../src/migrations/snapshot'
import { openDriver } from '../../src/dialects/index'
import type { Driver } from '../../src/dialects/index'
import { MIGRATION_ID } from '../../src/migrations/folders'
import type { DbSchema } from '../../src/schema/physical-types'
import { makeTempDir, writeFiles } from '../helpers/tmp'

export interface TestProject {
  root: string
  url: string
  /** Replaces models.okra.gql. */
  schema(text: string): void
  /** Takes a snapshot (as --force), one second after the previous one unless `now` is given. */
  snapshot(name?: string, options?: { now?: Date }): Promise<SnapshotResult>
  /** The migration folder names, in order. */
  migrations(): string[]
  read(path: string): string
  write(path: string, text: string): void
  /** Opens the project's database (closed when the test ends if given to `using`). */
  open(): Promise<Driver>
  /** The project's database as introspected. */
  introspect(): Promise<DbSchema>
}

let clock = Date.UTC(2024, 0, 20, 14, 30, 0)

export function makeProject(options: { url?: string; config?: Record<string, unknown>; schema?: string } = {}): TestProject {
  const root = makeTempDir('okra-migrations-')
  const url = options.url ?? `sqlite://${join(root, 'dev.db')}`
  const config = options.config ?? { database: { provider: url.startsWith('postgres') ? 'postgres' : 'sqlite', url, schemas: ['./models.okra.gql'] } }
  writeFiles(root, { 'okra.config.json': JSON.stringify(config, null, 2), 'models.okra.gql': options.schema ?? '' })
  const project: TestProject = {
    root,
    url,
    schema: (text) => writeFileSync(join(root, 'models.okra.gql'), text),
    async snapshot(name, opts = {}) {
      clock += 1000
      return snapshot({ cwd: root, name, notSynced: 'force', now: opts.now ?? new Date(clock) })
    },
    migrations: () =>
      readdirSync(join(root, 'migrations'))
        .filter((n) => MIGRATION_ID.test(n))
        .sort(),
    read: (path) => readFileSync(join(root, path), 'utf8'),
    write: (path, text) => writeFiles(root, { [path]: text }),
    open: () => openDriver(url, { root }),
    async introspect() {
      const driver = await project.open()
      try {
        return await driver.introspect()
      } finally {
        await driver.close()
      }
    },
  }
  return project
}

/** A DbSchema with what only toPhysical fills removed, for comparing databases with each other. */
export function structure(db: DbSchema): unknown {
  return JSON.parse(JSON.stringify(db, (key, value) => (['model', 'field', 'logicalType', 'label', 'renamedFrom', 'joinTable'].includes(key) ? undefined : value)))
}

/** The schema steps the life-cycle suites walk through: each is snapshotted as one migration. */
export const STEPS: { name: string; schema: string }[] = [
  {
    name: 'init',
    schema: `
      enum Role { ADMIN USER }
      model User {
        id: Int! @id @default(autoincrement)
        email: String! @unique
        name: String
        role: Role! @default(USER)
        createdAt: DateTime! @default(now)
      }`,
  },
  {
    name: 'add_posts',
    schema: `
      enum Role { ADMIN USER }
      model User {
        id: Int! @id @default(autoincrement)
        email: String! @unique
        name: String
        role: Role! @default(USER)
        createdAt: DateTime! @default(now)
        posts: [Post!]!
      }
      model Post {
        id: Int! @id @default(autoincrement)
        title: String!
        body: String
        authorId: Int!
        author: User! @relation(fields: [authorId], references: [id], onDelete: Cascade)
        @@index([title])
      }`,
  },
  {
    name: 'rename_and_enum',
    schema: `
      enum Role { ADMIN USER GUEST }
      model User {
        id: Int! @id @default(autoincrement)
        email: String! @unique
        fullName: String @renamed(from: "name")
        role: Role! @default(USER)
        createdAt: DateTime! @default(now)
        updatedAt: DateTime! @updatedAt
        posts: [Post!]!
      }
      model Post {
        id: Int! @id @default(autoincrement)
        title: String!
        body: String
        authorId: Int!
        author: User! @relation(fields: [authorId], references: [id], onDelete: Cascade)
        @@index([title])
      }`,
  },
  {
    name: 'drop_body_add_tags',
    schema: `
      enum Role { ADMIN USER GUEST }
      model User {
        id: Int! @id @default(autoincrement)
        email: String! @unique
        fullName: String
        role: Role! @default(USER)
        createdAt: DateTime! @default(now)
        updatedAt: DateTime! @updatedAt
        posts: [Post!]!
      }
      model Post {
        id: Int! @id @default(autoincrement)
        title: String!
        authorId: Int!
        author: User! @relation(fields: [authorId], references: [id], onDelete: Cascade)
        tags: [Tag!]!
        @@index([title])
      }
      model Tag {
        id: Int! @id @default(autoincrement)
        label: String! @unique
        posts: [Post!]!
      }`,
  },
  {
    name: 'model_rename',
    schema: `
      enum Role { ADMIN USER GUEST }
      model Account {
        @@renamed(from: "User")
        id: Int! @id @default(autoincrement)
        email: String! @unique
        fullName: String
        role: Role! @default(USER)
        createdAt: DateTime! @default(now)
        updatedAt: DateTime! @updatedAt
        posts: [Post!]!
      }
      model Post {
        id: Int! @id @default(autoincrement)
        title: String!
        authorId: Int!
        author: Account! @relation(fields: [authorId], references: [id], onDelete: Cascade)
        tags: [Tag!]!
        @@index([title])
      }
      model Tag {
        id: Int! @id @default(autoincrement)
        label: String! @unique
        posts: [Post!]!
      }`,
  },
]
