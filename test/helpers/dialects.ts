/** The dialects' type rules and a differ that knows them, for tests that compare physical schemas. */
import { type DiffOptions, diff } from '../../src/diff/diff'
import { dialectOf } from '../../src/dialects/index'
import type { DbSchema, Provider, TypeRules } from '../../src/schema/physical-types'

export function typesOf(provider: Provider): TypeRules {
  return dialectOf(provider).types
}

/** `diff(from, to)` with the types of `to`'s database. */
export function diffOf(from: DbSchema, to: DbSchema, options: Omit<DiffOptions, 'types'> = {}) {
  return diff(from, to, { types: typesOf(to.provider), ...options })
}
