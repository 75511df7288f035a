/**
 * The lexer: `source.text` -> tokens. It never throws: a bad character, string or number is reported
 * as a diagnostic and lexing goes on, so the parser always reaches EOF.
 */
import { type Diagnostic, error } from './diagnostics'
import { NameTable } from './name-table'
import type { Source } from './source'
import type { Token, TokenKind } from './tokens'

/** All tokens of a file, ending with EOF (the parser pulls them one by one instead). */
export function tokenize(source: Source): { tokens: Token[]; diagnostics: Diagnostic[] } {
  const lexer = new Lexer(source)
  const tokens: Token[] = []
  let token: Token
  do {
    token = lexer.next()
    tokens.push(token)
  } while (token.kind !== 'EOF')
  return { tokens, diagnostics: lexer.diagnostics }
}

const enum Char {
  Tab = 0x09,
  LineFeed = 0x0a,
  CarriageReturn = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Hash = 0x23,
  Comma = 0x2c,
  Minus = 0x2d,
  Dot = 0x2e,
  Backslash = 0x5c,
  At = 0x40,
  ByteOrderMark = 0xfeff,
}

/** Single-character punctuators by character code. */
const PUNCTUATORS: (TokenKind | undefined)[] = new Array<TokenKind | undefined>(128).fill(undefined)
for (const p of ['{', '}', '(', ')', '[', ']', ':', '!', '?'] as const) PUNCTUATORS[p.charCodeAt(0)] = p

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }

/** Hands out one token at a time (as graphql-js does), so tokens die young instead of living as long as the file. */
export class Lexer {
  readonly diagnostics: Diagnostic[] = []
  private readonly text: string
  /** `text` as UTF-16 code units: reading a character is then an index, not a method call (see charCodes). */
  private readonly codes: Uint16Array
  private pos = 0
  /** Offset where the current line begins. */
  private lineOffset = 0
  /** Text before this offset was lexed already: its errors are not reported twice after `rewindAfter`. */
  private reportedUpTo = 0
  /** Spans of the tokens (and runs of stray characters) that had a lexical error, in text order: start, end, start, end... */
  private readonly faultySpans: number[] = []
  /** The token being read has reported an error. */
  private tokenFaulty = false

  /** `names`: where names get their strings; one table shared by the files of a schema makes each name one string in all of them. */
  constructor(
    private readonly source: Source,
    private readonly names = new NameTable(),
  ) {
    this.text = source.text
    this.codes = charCodes(source.text)
  }

  /**
   * Whether a lexical error touches the gap from `from` to `to` (a token that failed to lex, or one
   * that swallowed the text up to there). The parser stays quiet about a token right after such an
   * error: `na$me: T` or an unclosed string is one mistake, not two.
   */
  hasErrorBetween(from: number, to: number): boolean {
    // The spans come in text order and do not overlap: find the first one ending at or after `from`.
    const spans = this.faultySpans
    let low = 0
    let high = spans.length / 2
    while (low < high) {
      const middle = (low + high) >>> 1
      if (spans[2 * middle + 1] < from) low = middle + 1
      else high = middle
    }
    return 2 * low < spans.length && spans[2 * low] <= to
  }

  /** Goes back to just after `token`, which was lexed before; `next()` then returns the tokens after it again. */
  rewindAfter(token: Token): void {
    this.reportedUpTo = Math.max(this.reportedUpTo, this.pos)
    this.pos = token.end
    this.lineOffset = token.start - token.column + 1
  }

  next(): Token {
    let lineStart = this.pos === 0
    for (;;) {
      lineStart = this.skipIgnored() || lineStart
      const start = this.pos
      if (start >= this.text.length) return this.token('EOF', start, start, '', lineStart)
      const c = this.codes[start]
      const punctuator = PUNCTUATORS[c]
      if (punctuator !== undefined) return this.token(punctuator, start, start + 1, '', lineStart)
      if (c === Char.At) {
        const double = this.codes[start + 1] === Char.At
        return this.token(double ? '@@' : '@', start, start + (double ? 2 : 1), '', lineStart)
      }
      if (isNameStart(c)) return this.readName(start, lineStart)
      if (c === Char.Quote) {
        return this.text.startsWith('"""', start) ? this.readBlockString(start, lineStart) : this.readString(start, lineStart)
      }
      if (this.startsSpread(start)) return this.token('...', start, start + 3, '', lineStart)
      if (isDigit(c) || (c === Char.Minus && isDigit(this.codes[start + 1]))) return this.readNumber(start, lineStart)
      this.skipUnexpected(start)
    }
  }

  private token(kind: TokenKind, start: number, end: number, value: string, lineStart: boolean): Token {
    this.pos = end
    if (this.tokenFaulty) this.markFaulty(start, end)
    return { kind, start, end, value, lineStart, column: start - this.lineOffset + 1 }
  }

  private report(start: number, end: number, message: string, hint?: string): void {
    if (start < this.reportedUpTo) return
    this.diagnostics.push(error({ source: this.source, start, end }, message, hint))
    this.tokenFaulty = true
  }

  private markFaulty(start: number, end: number): void {
    this.faultySpans.push(start, end)
    this.tokenFaulty = false
  }

  /** White space, commas and comments. Returns whether a line break was crossed. */
  private skipIgnored(): boolean {
    const text = this.text
    const codes = this.codes
    let pos = this.pos
    let crossedLine = false
    while (pos < text.length) {
      const c = codes[pos]
      if (c === Char.LineFeed || c === Char.CarriageReturn) {
        crossedLine = true
        this.lineOffset = ++pos
      } else if (c === Char.Space || c === Char.Tab || c === Char.Comma || c === Char.ByteOrderMark) {
        pos++
      } else if (c === Char.Hash) {
        while (pos < text.length && !isLineBreak(codes[pos])) pos++
      } else {
        break
      }
    }
    this.pos = pos
    return crossedLine
  }

  private startsSpread(at: number): boolean {
    return this.codes[at] === Char.Dot && this.codes[at + 1] === Char.Dot && this.codes[at + 2] === Char.Dot
  }

  /** A run of characters that start no token becomes one diagnostic, not one per character. */
  private skipUnexpected(start: number): void {
    const text = this.text
    let end = start
    while (end < text.length && !this.startsTokenOrIgnored(end)) end += codePointLength(text, end)
    this.pos = end
    const run = Array.from(text.slice(start, end))
    const message =
      run.length === 1
        ? `Unexpected character ${showCharacter(run[0])}`
        : `Unexpected characters '${run.slice(0, 12).map((ch) => (isVisible(ch) ? ch : showCharacter(ch))).join('')}${run.length > 12 ? '...' : ''}'`
    this.report(start, end, message, unexpectedCharacterHint(run[0]))
    if (this.tokenFaulty) this.markFaulty(start, end)
  }

  private startsTokenOrIgnored(at: number): boolean {
    const c = this.codes[at]
    if (c === Char.Dot) return this.startsSpread(at)
    if (c === Char.Minus) return isDigit(this.codes[at + 1])
    return (
      isNameStart(c) || isDigit(c) || c === Char.Quote || c === Char.At || c === Char.Hash || c === Char.Comma ||
      c === Char.Space || c === Char.Tab || c === Char.ByteOrderMark || isLineBreak(c) || PUNCTUATORS[c] !== undefined
    )
  }

  /** Name := [_A-Za-z][_0-9A-Za-z]* */
  private readName(start: number, lineStart: boolean): Token {
    const codes = this.codes
    // The name's hash for the name table (hashOf in name-table.ts), computed while scanning rather than in a second pass.
    let hash = codes[start]
    let end = start + 1
    const length = codes.length
    while (end < length && NAME_PART[codes[end]] === 1) hash = (hash * 31 + codes[end++]) | 0
    return this.token('Name', start, end, this.names.name(this.text, start, end, hash), lineStart)
  }

  /**
   * Number := '-'? digits ('.' digits)? ([eE] [+-]? digits)?
   * A name character or a dot right after it (`12abc`, `1.`, `1e`) makes the whole word one bad number.
   */
  private readNumber(start: number, lineStart: boolean): Token {
    const text = this.text
    const codes = this.codes
    let end = this.skipDigits(codes[start] === Char.Minus ? start + 1 : start)
    if (codes[end] === Char.Dot && isDigit(codes[end + 1])) end = this.skipDigits(end + 1)
    const e = codes[end]
    if (e === 0x65 || e === 0x45) {
      const sign = codes[end + 1]
      const digitsAt = sign === 0x2b || sign === Char.Minus ? end + 2 : end + 1
      if (isDigit(codes[digitsAt])) end = this.skipDigits(digitsAt)
    }
    if (isNameContinue(codes[end]) || (codes[end] === Char.Dot && !this.startsSpread(end))) {
      while (isNameContinue(codes[end]) || codes[end] === Char.Dot) end++
      this.report(
        start,
        end,
        `Invalid number '${text.slice(start, end)}'`,
        'A number is written like 42, -1.5 or 1e3; a name cannot start with a digit.',
      )
    }
    return this.token('Number', start, end, text.slice(start, end), lineStart)
  }

  private skipDigits(at: number): number {
    while (isDigit(this.codes[at])) at++
    return at
  }

  /** String := '"' (character | escape)* '"' on one line; escapes as in JSON. */
  private readString(start: number, lineStart: boolean): Token {
    const text = this.text
    const codes = this.codes
    let value = ''
    let chunkStart = start + 1
    let at = start + 1
    for (;;) {
      const c = codes[at]
      if (at >= text.length || isLineBreak(c)) {
        this.report(start, at, 'Unterminated string', 'Close the string with \'"\' on the same line, or use a block string """...""" for several lines.')
        return this.token('String', start, at, value + text.slice(chunkStart, at), lineStart)
      }
      if (c === Char.Quote) return this.token('String', start, at + 1, value + text.slice(chunkStart, at), lineStart)
      if (c === Char.Backslash) {
        value += text.slice(chunkStart, at)
        at = this.readEscape(at, (cooked) => (value += cooked))
        chunkStart = at
      } else if (c < Char.Space && c !== Char.Tab) {
        value += text.slice(chunkStart, at)
        this.report(at, at + 1, `Invalid character ${showCharacter(text[at])} in string`, 'Write control characters as escapes, such as \\n or \\u0007.')
        chunkStart = ++at
      } else {
        at++
      }
    }
  }

  /** `\"` `\\` `\/` `\b` `\f` `\n` `\r` `\t` `\uXXXX`. Returns the offset after the escape. */
  private readEscape(at: number, append: (cooked: string) => void): number {
    const text = this.text
    const codes = this.codes
    const letter = text[at + 1]
    if (letter === undefined || isLineBreak(codes[at + 1])) {
      this.report(at, at + 1, "Invalid escape sequence '\\' at the end of the line", 'Write a backslash as \\\\.')
      return at + 1
    }
    const simple = ESCAPES[letter]
    if (simple !== undefined) {
      append(simple)
      return at + 2
    }
    if (letter === 'u') {
      const hex = text.slice(at + 2, at + 6)
      if (/^[0-9A-Fa-f]{4}$/.test(hex)) {
        append(String.fromCharCode(parseInt(hex, 16)))
        return at + 6
      }
      const shown = text.slice(at, at + 6).split(/[\r\n"]/)[0]
      this.report(at, at + shown.length, `Invalid Unicode escape sequence '${shown}'`, 'A Unicode escape is \\u followed by four hex digits, such as \\u00e9.')
      return at + 2
    }
    const end = at + 1 + codePointLength(text, at + 1)
    this.report(at, end, `Invalid escape sequence '${text.slice(at, end)}'`, 'Valid escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX.')
    return end
  }

  /** BlockString := '"""' (character | '\"""')* '"""', dedented like GraphQL block strings. */
  private readBlockString(start: number, lineStart: boolean): Token {
    const text = this.text
    const codes = this.codes
    let raw = ''
    let chunkStart = start + 3
    let at = start + 3
    while (at < text.length) {
      const c = codes[at]
      if (c === Char.Quote && codes[at + 1] === Char.Quote && codes[at + 2] === Char.Quote) {
        return this.token('BlockString', start, at + 3, dedentBlockString(raw + text.slice(chunkStart, at)), lineStart)
      }
      if (isLineBreak(c)) this.lineOffset = at + 1
      if (c === Char.Backslash && text.startsWith('"""', at + 1)) {
        raw += text.slice(chunkStart, at) + '"""'
        at += 4
        chunkStart = at
      } else {
        at++
      }
    }
    this.report(start, start + 3, 'Unterminated block string', 'Close the block string with """.')
    return this.token('BlockString', start, text.length, dedentBlockString(raw + text.slice(chunkStart)), lineStart)
  }
}

/**
 * The value of a block string, as GraphQL computes it: the common indentation of all lines but the
 * first is removed, then blank lines at the start and the end are dropped.
 */
export function dedentBlockString(raw: string): string {
  if (!/[\n\r]/.test(raw)) return leadingWhiteSpace(raw) === raw.length ? '' : raw
  const lines = raw.split(/\r\n|[\n\r]/)
  let commonIndent = Infinity
  let firstNonBlank = -1
  let lastNonBlank = -1
  for (let i = 0; i < lines.length; i++) {
    const indent = leadingWhiteSpace(lines[i])
    if (indent === lines[i].length) continue
    if (firstNonBlank < 0) firstNonBlank = i
    lastNonBlank = i
    if (i > 0 && indent < commonIndent) commonIndent = indent
  }
  if (firstNonBlank < 0) return ''
  return lines
    .map((line, i) => (i === 0 || commonIndent === Infinity ? line : line.slice(commonIndent)))
    .slice(firstNonBlank, lastNonBlank + 1)
    .join('\n')
}

function leadingWhiteSpace(line: string): number {
  let i = 0
  while (i < line.length && (line.charCodeAt(i) === Char.Space || line.charCodeAt(i) === Char.Tab)) i++
  return i
}

function isLineBreak(c: number): boolean {
  return c === Char.LineFeed || c === Char.CarriageReturn
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

/** 1 for the characters of a name, [_0-9A-Za-z], by character code: a table, since names are most of a schema's text. */
const NAME_PART = new Uint8Array(128)
for (let c = 0; c < 128; c++) if (isNameStart(c) || isDigit(c)) NAME_PART[c] = 1

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f
}

function isNameContinue(c: number): boolean {
  return NAME_PART[c] === 1
}

/**
 * The UTF-16 code units of `text`, copied natively. In a cold process (the JIT not warmed up yet, as in
 * every `okra` command) an index into this array costs a fraction of a `charCodeAt` call, and the lexer
 * reads each character about twice.
 */
function charCodes(text: string): Uint16Array {
  const bytes = Buffer.from(text, 'utf16le')
  if (BIG_ENDIAN) bytes.swap16()
  return new Uint16Array(bytes.buffer, bytes.byteOffset, text.length)
}

const BIG_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0

function codePointLength(text: string, at: number): number {
  const c = text.charCodeAt(at)
  const next = text.charCodeAt(at + 1)
  return c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1
}

/** `'$'`, or `U+0007` for a character that would not show (control, lone surrogate). */
function showCharacter(ch: string): string {
  const code = ch.codePointAt(0) ?? 0
  return isVisible(ch) ? `'${ch}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
}

function isVisible(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0
  return !(code < 0x20 || (code >= 0x7f && code <= 0xa0) || (code >= 0xd800 && code <= 0xdfff) || code === 0xfffd)
}

function unexpectedCharacterHint(ch: string): string {
  switch (ch) {
    case ';':
      return 'No semicolons are needed: separate members with line breaks or spaces.'
    case '=':
      return 'A default value is written as a directive: @default(value).'
    case "'":
      return 'Strings use double quotes: "text".'
    case '.':
      return "A spread is written with three dots: '...Model'."
    case '-':
      return "A negative number is written with no space after '-': -1."
    default:
      return "Remove it: names use letters, digits and '_', and '#' starts a comment."
  }
}
