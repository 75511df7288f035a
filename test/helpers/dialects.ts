/**
 * The dialects' type rules and a differ that knows them, for tests that compare physical schemas; and one
 * SQL statement run on a project's database through a connection of its own.
 */
import { type DiffOptions, diff } from '../../src/diff/diff'
import { dialectOf, openDriver } from '../../src/dialects/index'
import type { DbSchema, Provider, TypeRules } from '../../src/schema/physical-types'

export function typesOf(provider: Provider): TypeRules {
  return dialectOf(provider).types
}

/** `diff(from, to)` with the types of `to`'s database. */
export function diffOf(from: DbSchema, to: DbSchema, options: Omit<DiffOptions, 'types'> = {}) {
  return diff(from, to, { types: typesOf(to.provider), ...options })
}

/** Runs `text` on the database at `url` (relative SQLite paths from `root`) and closes the connection. */
export async function sql<T = Record<string, unknown>>(root: string, url: string, text: string): Promise<T[]> {
  const driver = await openDriver(url, { root })
  try {
    return await driver.query<T>(text)
  } finally {
    await driver.close()
  }
}
