/**
 * Identifiers and literals in SQL text. Every name and every value OKRA writes into SQL goes through
 * here: identifiers are always double-quoted with embedded quotes doubled (so reserved words, `;`, `--`,
 * quotes and unicode are just names), literals single-quoted with embedded quotes doubled.
 */
import { OkraError } from '../errors'
import { MAX_IDENTIFIER_BYTES, byteLength } from '../schema/naming'
import type { Provider } from '../schema/physical-types'
import { SAFE_DB_TYPE } from '../schema/rules/fields'

/** `"name"`. PostgreSQL silently truncates a name longer than 63 bytes, so OKRA refuses one instead. */
export function quoteIdentifier(name: string, provider: Provider): string {
  if (name.length === 0) throw new OkraError('An empty name cannot be used as a table, column or type name')
  if (name.includes('\0')) throw new OkraError(`The name ${JSON.stringify(name)} contains a NUL character, which no database accepts`)
  if (provider === 'postgres' && byteLength(name) > MAX_IDENTIFIER_BYTES) {
    throw new OkraError(
      `The name "${name}" is ${byteLength(name)} bytes long; PostgreSQL allows at most ${MAX_IDENTIFIER_BYTES}`,
      'Give it a shorter database name with @map("...") on the field or @@map("...") on the model.',
    )
  }
  return `"${name.replace(/"/g, '""')}"`
}

/**
 * `'text'`. PostgreSQL: a text holding a backslash becomes `E'...'` with the backslash doubled, which
 * reads the same whatever `standard_conforming_strings` says.
 */
export function quoteLiteral(text: string, provider: Provider): string {
  if (text.includes('\0')) throw new OkraError(`The value ${JSON.stringify(text)} contains a NUL character, which cannot be written in SQL text`)
  const quoted = text.replace(/'/g, "''")
  if (provider === 'postgres' && text.includes('\\')) return `E'${quoted.replace(/\\/g, '\\\\')}'`
  return `'${quoted}'`
}

/** `"a", "b"`. */
export function quoteList(names: readonly string[], provider: Provider): string {
  return names.map((n) => quoteIdentifier(n, provider)).join(', ')
}

/** The spelling of a native type that may be written verbatim (the one `@db(type:)` accepts): words, and one `(n)` or `(p, s)` modifier. */
export const VERBATIM_TYPE = SAFE_DB_TYPE
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * A column type as SQL. Types come from OKRA's mapping, from `@db(type:)` (checked against the same
 * pattern) or from a `schema.json` that may have been edited by hand, so nothing is trusted:
 * `builtIn` spellings stand as they are; a plain name (an enum or extension type) and anything that is
 * not a safe type spelling is quoted as an identifier, so it can never become SQL of its own; a safe
 * spelling with spaces or a modifier (`DOUBLE PRECISION`, `NUMERIC(10, 2)`) stands verbatim.
 * A trailing `[]` (PostgreSQL arrays) is kept after the quoted or verbatim type.
 */
export function quoteType(type: string, provider: Provider, builtIn: RegExp): string {
  const array = /((?:\[\])*)$/.exec(type)![1]
  const base = type.slice(0, type.length - array.length)
  if (builtIn.test(base)) return type
  if (PLAIN_NAME.test(base) || !VERBATIM_TYPE.test(base)) return quoteIdentifier(base, provider) + array
  return type
}
