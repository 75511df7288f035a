/**
 * The tokens of `*.okra.gql`. Commas, white space and `#` comments are not tokens (as in GraphQL).
 */

export type Punctuator = '{' | '}' | '(' | ')' | '[' | ']' | ':' | '!' | '?' | '@' | '@@' | '...'

export type TokenKind = Punctuator | 'Name' | 'Number' | 'String' | 'BlockString' | 'EOF'

export interface Token {
  readonly kind: TokenKind
  /** Offsets into `source.text`, `end` exclusive. */
  readonly start: number
  readonly end: number
  /** Name: the name. Number: the text as written. String, BlockString: the value after escapes and dedent. Else ''. */
  readonly value: string
  /**
   * A line break separates this token from the previous one (the first token counts as such).
   * Recovery uses it: a member that starts a line is where parsing resumes after an error.
   */
  readonly lineStart: boolean
  /** 1-based column of `start` (used by recovery to see where an unclosed argument list ran into the next member). */
  readonly column: number
}

/** How a token is named in a message: `'!'`, `'modle'`, `'42'`, `string "abc"`, `end of file`. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'EOF':
      return 'end of file'
    case 'String':
      return `string ${JSON.stringify(shorten(token.value))}`
    case 'BlockString':
      return 'block string'
    case 'Name':
    case 'Number':
      return `'${shorten(token.value)}'`
    default:
      return `'${token.kind}'`
  }
}

function shorten(text: string): string {
  return text.length > 24 ? text.slice(0, 21) + '...' : text
}
