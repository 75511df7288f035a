/**
 * `seed()`: runs `seeds/*.sql` (in the project root) in name order, each file in its own transaction: a
 * failing file is rolled back whole, the files before it stay applied, and the error names the file and
 * the line of the failing statement. A file holding a line `-- okra:no-transaction` runs statement by
 * statement with its own transaction control, as a migration marked so does.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { loadConfig } from '../config/load'
import type { LoadConfigOptions, ResolvedConfig } from '../config/types'
import { maskUrl } from '../config/url'
import { DriverError, type Driver } from '../dialects/index'
import { OkraError } from '../errors'
import { joinStatements, splitStatements } from '../sql/sql-text'
import { statementsForTransaction } from '../sql/transaction-control'
import { isNoTransaction } from './plan'

export const SEEDS_DIR = 'seeds'

export interface SeedOptions extends LoadConfigOptions {
  /** A config already loaded. */
  loadedConfig?: ResolvedConfig
  /** An open driver to use (left open); default: opened from the config and closed at the end. */
  driver?: Driver
}

export interface SeedResult {
  url: string
  /** The files run, relative to the root (`seeds/01-users.sql`), in order, with their time. */
  files: { file: string; durationMs: number }[]
}

/** The seed files, relative to the root, in name order (plain code-unit order, as `ls` in the C locale). */
export function seedFiles(root: string): string[] {
  let names: string[]
  try {
    names = readdirSync(join(root, SEEDS_DIR))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return names
    .filter((name) => name.toLowerCase().endsWith('.sql'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${SEEDS_DIR}/${name}`)
}

export async function seed(options: SeedOptions = {}): Promise<SeedResult> {
  const config = options.loadedConfig ?? (await loadConfig(options))
  const files = seedFiles(config.root)
  if (files.length === 0) return { url: maskUrl(config.database.url), files: [] }
  const driver = options.driver ?? (await (await import('../dialects/index')).openDriver(config.database.url, { root: config.root }))
  const done: SeedResult['files'] = []
  try {
    for (const file of files) {
      const text = readFileSync(join(config.root, file), 'utf8').replace(/^\uFEFF/, '')
      const started = performance.now()
      const ownTransactions = isNoTransaction(text)
      const script = ownTransactions ? text : joinStatements(statementsForTransaction(splitStatements(text, driver.dialect.syntax), file))
      try {
        if (ownTransactions) await driver.exec(script)
        else await driver.transaction((tx) => tx.exec(script))
      } catch (error) {
        throw seedFailure(file, error, done, ownTransactions)
      }
      done.push({ file, durationMs: performance.now() - started })
    }
    return { url: driver.displayUrl, files: done }
  } finally {
    if (!options.driver) await driver.close()
  }
}

function seedFailure(file: string, error: unknown, done: SeedResult['files'], ownTransactions: boolean): unknown {
  if (!(error instanceof DriverError)) return error
  const where = error.line === undefined ? file : `${file}:${error.line}`
  const before = done.length ? `The files before it stay applied (${done.map((d) => d.file).join(', ')}); ` : ''
  const own = ownTransactions
    ? `${file} ran outside OKRA's transaction (-- okra:no-transaction): what it committed before that statement stays applied, nothing after it ran.`
    : `nothing of ${file} was applied (it ran in one transaction).`
  return new OkraError(`${where}: ${error.message}`, `${before}${own} Fix it and run db:seed again.`)
}
