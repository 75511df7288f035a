/**
 * Identifiers and literals in SQL text: the one place OKRA quotes anything. Identifiers are always
 * double-quoted with embedded quotes doubled (so reserved words, `;`, `--`, quotes and unicode are just
 * names), literals single-quoted with embedded quotes doubled. What differs between databases (a limit
 * on a name's length, how a backslash reads, which type spellings are built in) comes in `QuoteRules`;
 * each dialect makes its `Quoting` with `quoting(rules)`.
 */
import { OkraError } from '../errors'
import { byteLength } from '../schema/naming'
import { SAFE_DB_TYPE } from '../schema/rules/fields'

export interface QuoteRules {
  /** A longer name is refused (PostgreSQL would silently cut it). */
  identifierLimit?: IdentifierLimit
  /** A literal holding a backslash is written `E'...'` with the backslash doubled (PostgreSQL). */
  backslashEscapeStrings: boolean
  /** Type spellings written as they are. */
  builtInTypes: RegExp
}

export interface Quoting {
  identifier(name: string): string
  /** `"a", "b"`. */
  list(names: readonly string[]): string
  literal(text: string): string
  /** A column type (see quoteType). */
  type(type: string): string
}

export function quoting(rules: QuoteRules): Quoting {
  const identifier = (name: string) => quoteIdentifier(name, rules.identifierLimit)
  return {
    identifier,
    list: (names) => names.map(identifier).join(', '),
    literal: (text) => quoteLiteral(text, rules.backslashEscapeStrings),
    type: (type) => quoteType(type, rules.builtInTypes, identifier),
  }
}

/** The longest name a database keeps whole. */
export interface IdentifierLimit {
  bytes: number
  database: string
}

/** `"name"`; with a `limit`, a longer name is refused with the fix. */
export function quoteIdentifier(name: string, limit?: IdentifierLimit): string {
  if (name.length === 0) throw new OkraError('An empty name cannot be used as a table, column or type name')
  if (name.includes('\0')) throw new OkraError(`The name ${JSON.stringify(name)} contains a NUL character, which no database accepts`)
  if (limit !== undefined && byteLength(name) > limit.bytes) {
    throw new OkraError(
      `The name "${name}" is ${byteLength(name)} bytes long; ${limit.database} allows at most ${limit.bytes}`,
      'Give it a shorter database name with @map("...") on the field or @@map("...") on the model.',
    )
  }
  return `"${name.replace(/"/g, '""')}"`
}

/**
 * `'text'`. With `backslashEscapeStrings`, a text holding a backslash becomes `E'...'` with the backslash
 * doubled, which reads the same whatever PostgreSQL's `standard_conforming_strings` says.
 */
export function quoteLiteral(text: string, backslashEscapeStrings = false): string {
  if (text.includes('\0')) throw new OkraError(`The value ${JSON.stringify(text)} contains a NUL character, which cannot be written in SQL text`)
  const quoted = text.replace(/'/g, "''")
  if (backslashEscapeStrings && text.includes('\\')) return `E'${quoted.replace(/\\/g, '\\\\')}'`
  return `'${quoted}'`
}

/** The spelling of a native type that may be written verbatim (the one `@db(type:)` accepts). */
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
function quoteType(type: string, builtIn: RegExp, identifier: (name: string) => string): string {
  const array = /((?:\[\])*)$/.exec(type)![1]
  const base = type.slice(0, type.length - array.length)
  if (builtIn.test(base)) return type
  if (PLAIN_NAME.test(base) || !VERBATIM_TYPE.test(base)) return identifier(base) + array
  return type
}
