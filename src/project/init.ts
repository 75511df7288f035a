/**
 * `init()`: the files a new project starts from. Never overwrites anything: what already exists is
 * reported as skipped.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { CONFIG_FILE, DEFAULTS } from '../config/load'
import type { RawConfig } from '../config/types'

export interface InitOptions {
  /** The project root; created when missing. Default `process.cwd()`. */
  cwd?: string
}

export interface InitResult {
  root: string
  /** Paths relative to the root; directories end with `/`. */
  created: string[]
  /** Files changed in place (the `.gitignore` line appended). */
  updated: string[]
  /** Already there, left as they were. */
  skipped: string[]
}

export const SCHEMA_FILE = 'models.okra.gql'
export const MIGRATIONS_DIR = 'migrations/'
export const GITIGNORE_LINE = 'migrations/current/'

const CONFIG: RawConfig = {
  database: {
    provider: DEFAULTS.provider,
    url: DEFAULTS.url,
    schemas: [DEFAULTS.schemaFile],
    migrations: {
      dir: DEFAULTS.migrationsDir,
      generateSQL: DEFAULTS.generateSQL,
      development: { autoSync: DEFAULTS.autoSync, syncDebounce: DEFAULTS.syncDebounce },
    },
    environments: {
      local: { provider: 'sqlite', url: DEFAULTS.url, autoSync: true },
      test: { provider: 'sqlite', url: 'sqlite://:memory:', autoSync: false },
    },
  },
  generate: { typescript: { out: DEFAULTS.typescriptOut } },
}

const SCHEMA = `# Your data model. OKRA generates types from it and keeps the database in step.
#
#   model Name { ... }        a table (the model needs a primary key: a field named id, or @id)
#   field: Type!              required;  field: Type?  optional
#   String Int BigInt Float Decimal Boolean DateTime JSON Bytes ID, or an enum
#   @default(uuid | now | autoincrement | <value>)   filled in by the database
#   @unique  @updatedAt  @map("column")  @@index([a, b])  @@unique([a, b])
#   author: User! @relation(fields: [authorId], references: [id])   the side holding the key
#   posts: [Post!]!           the other side of that relation (a list)
#
# Check it with \`okra db:validate\`, write the types with \`okra models:generate\`.

"""Someone who can sign in."""
model User {
  id: ID! @default(uuid)
  email: String! @unique
  name: String?
  role: Role! @default(MEMBER)
  posts: [Post!]!
  createdAt: DateTime! @default(now)
}

"""A post written by a user."""
model Post {
  id: ID! @default(uuid)
  title: String!
  published: Boolean! @default(false)
  author: User! @relation(fields: [authorId], references: [id])
  authorId: ID!
  createdAt: DateTime! @default(now)
  updatedAt: DateTime! @updatedAt
}

enum Role {
  ADMIN
  MEMBER
}
`

export async function init(options: InitOptions = {}): Promise<InitResult> {
  const root = resolve(options.cwd ?? process.cwd())
  mkdirSync(root, { recursive: true })
  const result: InitResult = { root, created: [], updated: [], skipped: [] }

  for (const [file, content] of [
    [CONFIG_FILE, JSON.stringify(CONFIG, null, 2) + '\n'],
    [SCHEMA_FILE, SCHEMA],
  ]) {
    // 'wx' creates the file only if it does not exist: no window in which another file could be overwritten.
    try {
      writeFileSync(join(root, file), content, { flag: 'wx' })
      result.created.push(file)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      result.skipped.push(file)
    }
  }

  if (existsSync(join(root, MIGRATIONS_DIR))) result.skipped.push(MIGRATIONS_DIR)
  else {
    mkdirSync(join(root, MIGRATIONS_DIR))
    result.created.push(MIGRATIONS_DIR)
  }

  const gitignore = join(root, '.gitignore')
  if (!existsSync(gitignore)) {
    writeFileSync(gitignore, GITIGNORE_LINE + '\n')
    result.created.push('.gitignore')
  } else {
    const text = readFileSync(gitignore, 'utf8')
    const present = text.split(/\r?\n/).some((line) => ['migrations/current/', 'migrations/current', '/migrations/current/', '/migrations/current'].includes(line.trim()))
    if (present) result.skipped.push('.gitignore')
    else {
      appendFileSync(gitignore, (text === '' || text.endsWith('\n') ? '' : '\n') + GITIGNORE_LINE + '\n')
      result.updated.push('.gitignore')
    }
  }
  return result
}
