/**
 * The one form `@db(type:)` takes: a type spelling and nothing else, because it is written into DDL
 * verbatim. A name (one word, or one of the multi-word names PostgreSQL and SQLite define), an optional
 * `(size)` or `(precision, scale)`, for TIME/TIMESTAMP an optional `WITH[OUT] TIME ZONE`, an optional `[]`.
 * Constraint words (`NOT NULL`, `PRIMARY KEY`, `REFERENCES ...`, `DEFAULT ...`) are not part of a type:
 * they would pass into the column definition and every later sync would fight them.
 */

const WORD = String.raw`[A-Za-z_][A-Za-z0-9_]*`
const ARGS = String.raw`\(\s*\d+\s*(?:,\s*\d+\s*)?\)`
const MULTI_WORD = [
  String.raw`DOUBLE\s+PRECISION`,
  String.raw`NATIONAL\s+CHAR(?:ACTER)?(?:\s+VARYING)?`,
  String.raw`CHAR(?:ACTER)?\s+VARYING`,
  String.raw`BIT\s+VARYING`,
  String.raw`VARYING\s+CHARACTER`,
  String.raw`NATIVE\s+CHARACTER`,
  String.raw`UNSIGNED\s+BIG\s+INT`,
].join('|')
const ZONED = String.raw`TIME(?:STAMP)?(?:\s*${ARGS})?\s+WITH(?:OUT)?\s+TIME\s+ZONE`
const ARRAY = String.raw`\s*\[\s*\]`
const SPELLING = String.raw`(?:${ZONED}|(?:${MULTI_WORD}|${WORD})(?:\s*${ARGS})?)(?:${ARRAY})?`

/** A whole `@db(type:)` value that is a type spelling (also what `db:pull` may write back verbatim). */
export const TYPE_SPELLING = new RegExp(String.raw`^\s*${SPELLING}\s*$`, 'i')
const SPELLING_PREFIX = new RegExp(String.raw`^\s*${SPELLING}\s*`, 'i')

/** The form in words, for hints. */
export const TYPE_SPELLING_FORM =
  'a type name, an optional (size) or (precision, scale), an optional [] (e.g. "VARCHAR(100)", "NUMERIC(12,2)", "TIMESTAMP(3) WITH TIME ZONE", "TEXT[]")'

/**
 * Undefined when `text` is a type spelling; else the offset of the first character that is not part of
 * one, and that rest of the text.
 */
export function typeSpellingError(text: string): { at: number; rest: string } | undefined {
  if (TYPE_SPELLING.test(text)) return undefined
  const prefix = SPELLING_PREFIX.exec(text)
  const at = prefix ? prefix[0].length : text.length - text.trimStart().length
  return { at, rest: text.slice(at) }
}
