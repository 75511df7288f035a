/**
 * Projects for the sync suites: a temporary folder with okra.config.json pointing at a SQLite file or a
 * PostgreSQL database, a schema file that tests rewrite step by step, and the drizzle-kit habit after
 * every sync: introspect the database, diff it against the schema, expect nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, onTestFinished } from 'vitest'
import { type SyncOptions, type SyncResult, sync } from '../../src/sync/sync'
import { summaries } from '../../src/diff/index'
import { type Driver, openDriver } from '../../src/dialects/index'
import { loadProject } from '../../src/project/load'
import { toPhysical } from '../../src/schema/physical'
import { diffOf, typesOf } from '../helpers/dialects'

export interface SyncProject {
  root: string
  url: string
  /** Replaces models.okra.gql. */
  write(schema: string): void
  /** sync() of this project with the given options (no terminal, no logging unless given). */
  sync(options?: Omit<SyncOptions, 'cwd'>): Promise<SyncResult>
  /** A driver on the project's database, closed when the test ends (or the file's tests end, for `keep`). */
  open(): Promise<Driver>
  /** Introspects the database and diffs it against the current schema file: the summaries (expected: none). */
  drift(driver?: Driver): Promise<string[]>
}

/** A project folder; `url` defaults to a SQLite file inside it. `cleanup: 'test'` removes it when the test ends. */
export function syncProject(options: { url?: string; schema?: string; env?: string; environments?: Record<string, unknown>; cleanup?: 'test' | 'manual' } = {}): SyncProject & { remove(): void } {
  const root = mkdtempSync(join(tmpdir(), 'okra-sync-'))
  const url = options.url ?? `sqlite://${join(root, 'dev.db')}`
  const provider = url.startsWith('postgres') ? 'postgres' : 'sqlite'
  const database: Record<string, unknown> = { provider, url, schemas: ['./models.okra.gql'] }
  if (options.environments) database.environments = options.environments
  writeFileSync(join(root, 'okra.config.json'), JSON.stringify({ database }, null, 2))
  if (options.schema !== undefined) writeFileSync(join(root, 'models.okra.gql'), options.schema)
  const drivers: Driver[] = []
  const remove = () => rmSync(root, { recursive: true, force: true })
  if ((options.cleanup ?? 'test') === 'test') {
    onTestFinished(async () => {
      for (const d of drivers.splice(0)) await d.close()
      remove()
    })
  }
  const project: SyncProject & { remove(): void } = {
    root,
    url,
    remove,
    write: (schema) => writeFileSync(join(root, 'models.okra.gql'), schema),
    sync: (opts = {}) => sync({ cwd: root, processEnv: {}, ...(options.env ? { env: options.env } : {}), ...opts }),
    async open() {
      const driver = await openDriver(url, { root })
      drivers.push(driver)
      return driver
    },
    async drift(given) {
      const driver = given ?? (await openDriver(url, { root }))
      try {
        const loaded = await loadProject({ cwd: root, processEnv: {} })
        if (!loaded.schema) throw new Error('the schema does not compile')
        const { changes } = await diffOf(await driver.introspect(), toPhysical(loaded.schema, typesOf(driver.provider)))
        return changes.map((c) => summaries([{ ...c, implied: undefined }])[0] ?? c.kind)
      } finally {
        if (!given) await driver.close()
      }
    },
  }
  return project
}

/** Syncs and then checks the drizzle-kit way: the database introspects to exactly the schema. */
export async function syncAndCheck(project: SyncProject, options?: Omit<SyncOptions, 'cwd'>, driver?: Driver): Promise<SyncResult> {
  const result = await project.sync(options)
  expect(await project.drift(driver)).toEqual([])
  return result
}

export async function count(driver: Driver, table: string, where = ''): Promise<number> {
  const [row] = await driver.query<{ n: number | string }>(`SELECT COUNT(*) AS "n" FROM "${table.replace(/"/g, '""')}"${where ? ` WHERE ${where}` : ''}`)
  return Number(row!.n)
}
