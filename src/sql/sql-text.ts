/**
 * Just enough of SQL's lexical grammar to split a script into statements, so that a failure names its
 * statement and line, and to read back what introspection needs from `CREATE TABLE` / `CREATE TRIGGER`
 * text. Quotes, comments, dollar quotes and trigger bodies are respected. What differs between databases
 * (quote characters, placeholders, dollar and escape strings, blob literals) comes in a `SqlSyntax` that
 * each dialect defines.
 */

export interface SqlSyntax {
  /** Opening quote -> closing quote; `'` opens a string, any other an identifier. */
  quotes: Readonly<Record<string, string>>
  /** A placeholder (`?1`, `$1`, `:name`), as a sticky regular expression. */
  params: RegExp
  /** `$tag$ ... $tag$` strings and `E'...'` strings with backslash escapes (PostgreSQL). */
  dollarAndEscapeStrings: boolean
  /** `X'0102'` blob literals (SQLite). */
  blobLiterals: boolean
  /** Block comments nest (PostgreSQL); in SQLite the first closing star-slash ends one. */
  nestedComments: boolean
}

export type TokenKind = 'word' | 'ident' | 'string' | 'number' | 'blob' | 'param' | 'punct'

export interface Token {
  kind: TokenKind
  /** The source text of the token. */
  text: string
  /** Unquoted and unescaped: the name of an identifier or word, the content of a string, the hex of a blob. */
  value: string
  start: number
  end: number
}

const WORD = /[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/y
const NUMBER = /(?:0[xX][0-9a-fA-F]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/y
const DOLLAR_TAG = /\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/y

export function tokenize(sql: string, syntax: SqlSyntax): Token[] {
  const tokens: Token[] = []
  const quotes = syntax.quotes
  let i = 0
  const push = (kind: TokenKind, end: number, value: string) => {
    tokens.push({ kind, text: sql.slice(i, end), value, start: i, end })
    i = end
  }
  while (i < sql.length) {
    const c = sql[i]!
    const next = sql[i + 1]
    if (/\s/.test(c)) {
      i++
    } else if (c === '-' && next === '-') {
      const nl = sql.indexOf('\n', i)
      i = nl < 0 ? sql.length : nl + 1
    } else if (c === '/' && next === '*') {
      i = blockCommentEnd(sql, i, syntax.nestedComments)
    } else if ((c === 'x' || c === 'X') && next === "'" && syntax.blobLiterals) {
      const end = quotedEnd(sql, i + 1, "'")
      push('blob', end, sql.slice(i + 2, end - 1))
    } else if ((c === 'e' || c === 'E') && next === "'" && syntax.dollarAndEscapeStrings) {
      const end = backslashQuotedEnd(sql, i + 2)
      push('string', end, sql.slice(i + 2, end - 1))
    } else if (c === '$' && syntax.dollarAndEscapeStrings && matchAt(DOLLAR_TAG, sql, i) !== undefined) {
      const tag = matchAt(DOLLAR_TAG, sql, i)!
      const close = sql.indexOf(tag, i + tag.length)
      const end = close < 0 ? sql.length : close + tag.length
      push('string', end, sql.slice(i + tag.length, close < 0 ? end : close))
    } else if (c in quotes) {
      const close = quotes[c]!
      const end = quotedEnd(sql, i, close)
      const inner = sql.slice(i + 1, end - 1)
      push(c === "'" ? 'string' : 'ident', end, close === ']' ? inner : inner.split(close + close).join(close))
    } else {
      const [kind, text] = wordAt(sql, i, syntax)
      push(kind, i + text.length, text)
    }
  }
  return tokens
}

function wordAt(sql: string, at: number, syntax: SqlSyntax): [TokenKind, string] {
  const word = matchAt(WORD, sql, at)
  if (word !== undefined) return ['word', word]
  const number = matchAt(NUMBER, sql, at)
  if (number !== undefined) return ['number', number]
  const param = matchAt(syntax.params, sql, at)
  if (param !== undefined) return ['param', param]
  return ['punct', sql[at]!]
}

function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at
  return pattern.exec(text)?.[0]
}

/** Index just past a block comment opened at `open` (the end of text when unterminated). */
function blockCommentEnd(sql: string, open: number, nested: boolean): number {
  let depth = 0
  let i = open
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*' && (nested || depth === 0)) {
      depth++
      i += 2
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      i += 2
      if (--depth === 0) return i
    } else {
      i++
    }
  }
  return sql.length
}

/** Index just past the closing quote (a doubled quote is an escaped one); the end of text when unterminated. */
function quotedEnd(sql: string, open: number, close: string): number {
  let i = open + 1
  while (i < sql.length) {
    if (sql[i] !== close) i++
    else if (close !== ']' && sql[i + 1] === close) i += 2
    else return i + 1
  }
  return sql.length
}

/** The end of a PostgreSQL E'...' string, where a backslash escapes the next character. */
function backslashQuotedEnd(sql: string, from: number): number {
  let i = from
  while (i < sql.length) {
    if (sql[i] === '\\') i += 2
    else if (sql[i] === "'" && sql[i + 1] === "'") i += 2
    else if (sql[i] === "'") return i + 1
    else i++
  }
  return sql.length
}

export function isWord(token: Token | undefined, ...words: string[]): boolean {
  return token?.kind === 'word' && words.includes(token.value.toUpperCase())
}

export interface LocatedStatement {
  text: string
  /** 1-based line of the statement's first token in the script. */
  line: number
}

/**
 * The statements of a script, without empty ones. Bodies whose statements end in `;` stay whole: a SQLite
 * CREATE TRIGGER's BEGIN ... END and a PostgreSQL function's BEGIN ATOMIC ... END (CASE ... END inside either).
 */
export function splitStatements(sql: string, syntax: SqlSyntax): LocatedStatement[] {
  const tokens = tokenize(sql, syntax)
  const statements: LocatedStatement[] = []
  let first = 0
  let inBody = false
  let caseDepth = 0
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    if (isWord(t, 'CASE')) caseDepth++
    else if (isWord(t, 'END') && caseDepth > 0) caseDepth--
    else if (isWord(t, 'END') && inBody) inBody = false
    else if (isWord(t, 'BEGIN') && (isWord(tokens[i + 1], 'ATOMIC') || isCreateTrigger(tokens, first))) inBody = true
    else if (t.text === ';' && t.kind === 'punct' && !inBody) {
      if (i > first) statements.push(statementOf(sql, tokens[first]!, tokens[i - 1]!))
      first = i + 1
      caseDepth = 0
    }
  }
  if (first < tokens.length) statements.push(statementOf(sql, tokens[first]!, tokens[tokens.length - 1]!))
  return statements
}

function statementOf(sql: string, first: Token, last: Token): LocatedStatement {
  return { text: sql.slice(first.start, last.end), line: lineAt(sql, first.start) }
}

function isCreateTrigger(tokens: Token[], first: number): boolean {
  if (!isWord(tokens[first], 'CREATE')) return false
  const next = isWord(tokens[first + 1], 'TEMP', 'TEMPORARY') ? first + 2 : first + 1
  return isWord(tokens[next], 'TRIGGER')
}

/**
 * Statements joined into one script in which each starts on its own line of the original (blank lines pad
 * the gaps), so that a failure's line number is the line in the file they came from.
 */
export function joinStatements(statements: readonly LocatedStatement[]): string {
  let text = ''
  let line = 1
  for (const s of statements) {
    if (s.line > line) text += '\n'.repeat(s.line - line)
    else if (text) text += ' '
    text += s.text + ';'
    line = Math.max(line, s.line) + (s.text.match(/\n/g)?.length ?? 0)
  }
  return text
}

/** 1-based line of `offset` in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

