/**
 * `init()`: the files a new project starts from. Never overwrites anything: what already exists is
 * reported as skipped, and only the missing lines are added to `.gitignore` (and `.env`).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { CONFIG_FILE, DEFAULTS } from '../config/load'
import type { Provider, RawConfig } from '../config/types'
import { maskUrl, providerOfUrl } from '../config/url'
import { dialectOf } from '../dialects/index'
import { UsageError } from '../errors'
import { DEFAULT_DTS, OKRA_DIR } from './paths'

export interface InitOptions {
  /** The project root; created when missing. Default `process.cwd()`. */
  cwd?: string
  /** The database: default `sqlite`, or the provider of `url`. */
  provider?: Provider
  /**
   * The development database's URL. A SQLite URL goes into okra.config.json; a PostgreSQL one (it may hold
   * a password) into `.env` as DATABASE_URL, which the config reads as `${DATABASE_URL}`.
   * Default: `sqlite://./dev.db`, or `${DATABASE_URL}` for PostgreSQL.
   */
  url?: string
}

export interface InitResult {
  root: string
  provider: Provider
  /** Paths relative to the root; directories end with `/`. */
  created: string[]
  /** Files changed in place (lines added to `.gitignore` or `.env`). */
  updated: string[]
  /** Already there, left as they were. */
  skipped: string[]
  /** The lines added to `.gitignore` (none when all were there). */
  ignored: string[]
  /** What `.env` got, password masked (`DATABASE_URL=postgres://app:***@db/app`), when it got anything. */
  env?: string
}

export const SCHEMA_FILE = 'models.okra.gql'
export const MIGRATIONS_DIR = 'migrations/'
const ENV_VARIABLE = 'DATABASE_URL'
const GITIGNORE_HEADER = '# OKRA: the dev database, local state and generated files (okra init)'

/** The provider and URL asked for, checked against each other. */
function database(options: InitOptions): { provider: Provider; url: string; envUrl?: string } {
  const fromUrl = options.url === undefined ? undefined : providerOfUrl(options.url)
  if (options.url !== undefined && fromUrl === undefined) {
    throw new UsageError(`--url must be a sqlite://, file: or postgres:// URL, got '${maskUrl(options.url)}'`)
  }
  const provider = options.provider ?? fromUrl ?? DEFAULTS.provider
  if (fromUrl !== undefined && fromUrl !== provider) {
    throw new UsageError(`--url is a ${fromUrl} URL but --provider is ${provider}`, 'Give a URL of the provider, or leave --provider out.')
  }
  if (dialectOf(provider).newProject.urlInConfig) return { provider, url: options.url ?? DEFAULTS.url }
  return { provider, url: '${' + ENV_VARIABLE + '}', ...(options.url !== undefined ? { envUrl: options.url } : {}) }
}

function configOf(provider: Provider, url: string): RawConfig {
  const testUrl = dialectOf(provider).newProject.testUrl
  return {
    database: {
      provider,
      url,
      schemas: [DEFAULTS.schemaFile],
      migrations: {
        dir: DEFAULTS.migrationsDir,
        generateSQL: DEFAULTS.generateSQL,
        development: { autoSync: DEFAULTS.autoSync, syncDebounce: DEFAULTS.syncDebounce },
      },
      environments: { local: { provider, url, autoSync: true }, ...(testUrl ? { test: { provider, url: testUrl, autoSync: false } } : {}) },
    },
    generate: { typescript: { out: DEFAULTS.typescriptOut } },
  }
}

/**
 * What git must not see: the SQLite database and its -wal / -shm files (when inside the project), OKRA's
 * local state (`.okra/`: backups, build cache), what the dev database was synced to, the generated
 * declaration of `virtual:okra/models`, and `.env` when the database URL goes there.
 */
function ignoredPaths(root: string, provider: Provider, url: string, urlInEnv: boolean): string[] {
  const lines = dialectOf(provider).newProject.localFiles(url, root)
  lines.push(`${OKRA_DIR}/`, `${MIGRATIONS_DIR}current/`, DEFAULT_DTS)
  if (urlInEnv) lines.push('.env')
  return lines
}

/** `/migrations/current`, `migrations/current/` and `migrations/current` ignore the same thing here. */
function sameEntry(line: string): string {
  return line.trim().replace(/^\//, '').replace(/\/$/, '')
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
  const { provider, url, envUrl } = database(options)
  mkdirSync(root, { recursive: true })
  const result: InitResult = { root, provider, created: [], updated: [], skipped: [], ignored: [] }

  for (const [file, content] of [
    [CONFIG_FILE, JSON.stringify(configOf(provider, url), null, 2) + '\n'],
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

  if (envUrl !== undefined) {
    const added = addLines(root, '.env', [`${ENV_VARIABLE}=${envUrl}`], (line) => line.split('=')[0]!.trim(), result)
    if (added.length) result.env = maskUrl(added[0]!)
  }
  result.ignored = addLines(root, '.gitignore', ignoredPaths(root, provider, url, envUrl !== undefined), sameEntry, result, GITIGNORE_HEADER)
  return result
}

/**
 * Appends to `file` the lines it lacks (compared by `key`), creating it when missing; records the file as
 * created, updated or skipped. Returns the lines added.
 */
function addLines(root: string, file: string, lines: string[], key: (line: string) => string, result: InitResult, header?: string): string[] {
  const path = join(root, file)
  const text = existsSync(path) ? readFileSync(path, 'utf8') : undefined
  const present = new Set((text ?? '').split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trim().startsWith('#')).map(key))
  const missing = lines.filter((line) => !present.has(key(line)))
  const block = [...(header ? [header] : []), ...missing].join('\n') + '\n'
  if (text === undefined) {
    writeFileSync(path, block)
    result.created.push(file)
  } else if (missing.length === 0) {
    result.skipped.push(file)
  } else {
    appendFileSync(path, (text === '' || text.endsWith('\n') ? '' : '\n') + block)
    result.updated.push(file)
  }
  return missing
}
