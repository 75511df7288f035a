/**
 * A small dev project for the plugin tests (SQLite, fast debounce), a logger that keeps its lines,
 * waiting for a context event, and the check every sync test ends with: the database, read back,
 * differs from the schema in nothing.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import { openDriver } from '../../src/dialects/index'
import { loadProject } from '../../src/project/load'
import { toPhysical } from '../../src/schema/physical'
import type { ContextEvents, OkraContext } from '../../src/plugin/context'
import type { OkraLogger } from '../../src/plugin/options'
import { writeFiles } from '../helpers/tmp'
import { diffOf, typesOf } from '../helpers/dialects'

export const USER_SCHEMA = `enum Role {
  ADMIN
  MEMBER
}

model User {
  id: ID! @default(uuid)
  email: String! @unique
  role: Role! @default(MEMBER)
}
`

export function withField(schema: string, line: string): string {
  return schema.replace('  email: String! @unique\n', `  email: String! @unique\n  ${line}\n`)
}

/** A project in `root` with a SQLite dev database and TypeScript output. */
export function writeDevProject(root: string, schema = USER_SCHEMA, database: Record<string, unknown> = {}): void {
  writeFiles(root, {
    'models.okra.gql': schema,
    'okra.config.json': JSON.stringify({
      database: { provider: 'sqlite', url: 'sqlite://./dev.db', schemas: ['./models.okra.gql'], ...database },
      generate: { typescript: { out: './src/generated/models.ts' } },
    }),
  })
}

export interface CapturedLogger extends OkraLogger {
  lines: string[]
}

export function captureLogger(): CapturedLogger {
  const lines: string[] = []
  return { lines, info: (line) => void lines.push(line), warn: (line) => void lines.push(line), error: (line) => void lines.push(line) }
}

/** The next time `event` fires (with a timeout naming what was awaited). */
export function nextEvent<E extends keyof ContextEvents>(ctx: OkraContext, event: E, timeoutMs = 10_000): Promise<ContextEvents[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off()
      reject(new Error(`no '${event}' event within ${timeoutMs} ms`))
    }, timeoutMs)
    const off = ctx.on(event, (...args) => {
      clearTimeout(timer)
      off()
      resolve(args)
    })
  })
}

/** Polls until `check` returns something truthy. */
export async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const started = Date.now()
  for (;;) {
    const value = check()
    if (value) return value
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** The columns of a SQLite table, read straight from the file. */
export async function sqliteColumns(root: string, table: string): Promise<string[]> {
  const { default: Database } = await import('better-sqlite3')
  const db = new Database(join(root, 'dev.db'), { readonly: true, fileMustExist: true })
  try {
    return (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name)
  } finally {
    db.close()
  }
}

/** After a sync: the database, introspected, must match the schema exactly. */
export async function expectDatabaseMatchesSchema(root: string): Promise<void> {
  const project = await loadProject({ cwd: root, processEnv: {} })
  if (!project.schema) throw new Error('the project schema has errors')
  const driver = await openDriver(project.config.database.url, { root })
  try {
    const live = await driver.introspect()
    const { changes } = await diffOf(live, toPhysical(project.schema, typesOf('sqlite')))
    expect(changes.map((c) => c.kind)).toEqual([])
  } finally {
    await driver.close()
  }
}

export function read(root: string, path: string): string {
  return readFileSync(join(root, path), 'utf8')
}
