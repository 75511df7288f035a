import { describe, expect, it } from 'vitest'
import { lineColumn } from '../../src/language/source'
import { Lexer, dedentBlockString, tokenize } from '../../src/language/lexer'
import { describeToken } from '../../src/language/tokens'

function lex(text: string) {
  return tokenize({ path: 'test.okra.gql', text })
}

/** `kind` or `kind:value` for every token but EOF. */
function kinds(text: string): string[] {
  return lex(text)
    .tokens.filter((t) => t.kind !== 'EOF')
    .map((t) => (t.value === '' && t.kind !== 'String' ? t.kind : `${t.kind}:${t.value}`))
}

/** `line:column message` of every lexical error. */
function errors(text: string): string[] {
  return lex(text).diagnostics.map((d) => {
    const { line, column } = lineColumn(text, d.location.start)
    return `${line}:${column} ${d.message}`
  })
}

describe('lexer: punctuators and names', () => {
  it('reads every punctuator', () => {
    expect(kinds('{ } ( ) [ ] : ! ? @ @@ ...')).toEqual(['{', '}', '(', ')', '[', ']', ':', '!', '?', '@', '@@', '...'])
  })

  it('reads names with underscores and digits, and splits names from punctuators', () => {
    expect(kinds('_a9 User_2 @@index([a,b])')).toEqual([
      'Name:_a9', 'Name:User_2', '@@', 'Name:index', '(', '[', 'Name:a', 'Name:b', ']', ')',
    ])
  })

  it('reads a spread glued to its name, and @@ glued to a directive name', () => {
    expect(kinds('...Audit @@map')).toEqual(['...', 'Name:Audit', '@@', 'Name:map'])
  })

  it('gives offsets, end exclusive, and ends with EOF at the end of the text', () => {
    const { tokens } = lex('  email: String!')
    expect(tokens.map((t) => [t.kind, t.start, t.end])).toEqual([
      ['Name', 2, 7], [':', 7, 8], ['Name', 9, 15], ['!', 15, 16], ['EOF', 16, 16],
    ])
  })

  it('marks tokens that start a line, and their column', () => {
    const { tokens } = lex('a b\n  c # x\n\r\nd,e')
    expect(tokens.map((t) => [t.kind === 'EOF' ? 'EOF' : t.value, t.lineStart, t.column])).toEqual([
      ['a', true, 1], ['b', false, 3], ['c', true, 3], ['d', true, 1], ['e', false, 3], ['EOF', false, 4],
    ])
  })
})

describe('lexer: ignored text', () => {
  it('skips commas, tabs, a byte order mark, and # comments to the end of the line', () => {
    expect(kinds('\uFEFFa,,b\t# c d "e"\nf # g\r\nh#')).toEqual(['Name:a', 'Name:b', 'Name:f', 'Name:h'])
  })

  it('does not treat # inside a string as a comment', () => {
    expect(kinds('"a # b" c')).toEqual(['String:a # b', 'Name:c'])
  })

  it('gives an empty or comment-only text just EOF', () => {
    expect(lex('').tokens.map((t) => t.kind)).toEqual(['EOF'])
    expect(lex('# only a comment').tokens.map((t) => t.kind)).toEqual(['EOF'])
  })
})

describe('lexer: numbers', () => {
  it('keeps numbers as written', () => {
    expect(kinds('0 42 -1 1.5 -1.5e3 1E+10 2e-3 007')).toEqual([
      'Number:0', 'Number:42', 'Number:-1', 'Number:1.5', 'Number:-1.5e3', 'Number:1E+10', 'Number:2e-3', 'Number:007',
    ])
  })

  it('reports a name or a dot glued to a number as one invalid number', () => {
    expect(kinds('12abc 1. 1e x')).toEqual(['Number:12abc', 'Number:1.', 'Number:1e', 'Name:x'])
    expect(errors('12abc 1. 1e x')).toEqual(["1:1 Invalid number '12abc'", "1:7 Invalid number '1.'", "1:10 Invalid number '1e'"])
  })

  it("reports a '-' with no digit after it", () => {
    expect(errors('a - 1')).toEqual(["1:3 Unexpected character '-'"])
    expect(lex('a - 1').diagnostics[0].hint).toContain('no space')
  })
})

describe('lexer: strings', () => {
  it('reads a string with JSON escapes', () => {
    const { tokens, diagnostics } = lex(String.raw`"q\" b\\ s\/ \b\f\n\r\t \u00e9 \ud83d\ude80"`)
    expect(diagnostics).toEqual([])
    expect(tokens[0].kind).toBe('String')
    expect(tokens[0].value).toBe('q" b\\ s/ \b\f\n\r\t é 🚀')
  })

  it('keeps unicode text as it is', () => {
    expect(lex('"café 日本語 🚀"').tokens[0].value).toBe('café 日本語 🚀')
  })

  it('reports an unknown escape and keeps going', () => {
    const text = String.raw`"a\qb" x`
    expect(errors(text)).toEqual([String.raw`1:3 Invalid escape sequence '\q'`])
    expect(kinds(text)).toEqual(['String:ab', 'Name:x'])
    const [d] = lex(text).diagnostics
    expect([d.location.start, d.location.end]).toEqual([2, 4])
  })

  it('reports a bad unicode escape', () => {
    expect(errors(String.raw`"\u12G4"`)).toEqual([String.raw`1:2 Invalid Unicode escape sequence '\u12G4'`])
    expect(errors(String.raw`"\u12"`)).toEqual([String.raw`1:2 Invalid Unicode escape sequence '\u12'`])
  })

  it('reports a string not closed on its line, and goes on with the next line', () => {
    const text = 'a "open\nb'
    expect(errors(text)).toEqual(['1:3 Unterminated string'])
    expect(kinds(text)).toEqual(['Name:a', 'String:open', 'Name:b'])
    expect(errors('"end of file')).toEqual(['1:1 Unterminated string'])
  })

  it('reports a control character inside a string', () => {
    expect(errors('"a\u0007b"')).toEqual(['1:3 Invalid character U+0007 in string'])
    expect(lex('"a\tb"').diagnostics).toEqual([])
  })
})

describe('lexer: block strings', () => {
  it('dedents like GraphQL: common indent off every line but the first, blank edges dropped', () => {
    const text = '"""\n    Hello,\n      World!\n\n    Yours,\n      GraphQL.\n  """'
    expect(lex(text).tokens[0]).toMatchObject({ kind: 'BlockString', value: 'Hello,\n  World!\n\nYours,\n  GraphQL.' })
  })

  it('keeps the first line as written and reads \\""" as """', () => {
    expect(lex('"""  first\n   second \\""" quoted"""').tokens[0].value).toBe('  first\nsecond """ quoted')
  })

  it('keeps backslashes and quotes other than \\"""', () => {
    expect(lex('"""a \\n "b" ""c"""').tokens[0].value).toBe('a \\n "b" ""c')
  })

  it('normalises CRLF and CR line endings to \\n', () => {
    expect(lex('"""\r\n  a\r\n  b\r  c\r\n"""').tokens[0].value).toBe('a\nb\nc')
  })

  it('gives an all-blank block string the empty value', () => {
    expect(lex('"""  \n \t \n"""').tokens[0].value).toBe('')
    expect(lex('""""""').tokens[0].value).toBe('')
  })

  it('reports an unterminated block string at its opening quotes', () => {
    expect(errors('x """never\nclosed')).toEqual(['1:3 Unterminated block string'])
    expect(lex('x """never\nclosed').tokens.map((t) => t.kind)).toEqual(['Name', 'BlockString', 'EOF'])
  })

  it('counts columns from the last line of a block string', () => {
    const { tokens } = lex('"""a\nbc""" d')
    expect(tokens[1]).toMatchObject({ value: 'd', column: 7, lineStart: false })
  })

  it('dedentBlockString matches graphql-js on its own', () => {
    expect(dedentBlockString('\n  a\n    b\n  ')).toBe('a\n  b')
    expect(dedentBlockString('one line')).toBe('one line')
    expect(dedentBlockString('\t\ta\n\t\tb')).toBe('\t\ta\nb')
  })
})

describe('lexer: unexpected characters', () => {
  it('reports one and skips it', () => {
    expect(errors('a $ b')).toEqual(["1:3 Unexpected character '$'"])
    expect(kinds('a $ b')).toEqual(['Name:a', 'Name:b'])
  })

  it('reports a run of them once, spanning the run', () => {
    const { diagnostics } = lex('a $%^&b')
    expect(diagnostics.map((d) => [d.message, d.location.start, d.location.end])).toEqual([["Unexpected characters '$%^&'", 2, 6]])
  })

  it('names invisible characters by code point, and a surrogate pair as one character', () => {
    expect(errors('a \u0007')).toEqual(['1:3 Unexpected character U+0007'])
    expect(errors('a 😀 b')).toEqual(["1:3 Unexpected character '😀'"])
    expect(errors('a \uD800 b')).toEqual(['1:3 Unexpected character U+D800'])
  })

  it('reports one or two dots, which are no spread', () => {
    expect(errors('. .. ...a')).toEqual(["1:1 Unexpected character '.'", "1:3 Unexpected characters '..'"])
    expect(lex('.').diagnostics[0].hint).toContain('...Model')
  })

  it('gives hints for habits from other languages', () => {
    expect(lex(';').diagnostics[0].hint).toContain('semicolons')
    expect(lex('=').diagnostics[0].hint).toContain('@default')
    expect(lex("'").diagnostics[0].hint).toContain('double quotes')
  })
})

describe('Lexer.rewindAfter', () => {
  it('lexes the same tokens again after a token, without reporting their errors twice', () => {
    const lexer = new Lexer({ path: 't', text: 'a\n  b $ c' })
    const a = lexer.next()
    const first = [lexer.next(), lexer.next(), lexer.next()].map((t) => [t.kind, t.value, t.column, t.lineStart])
    lexer.rewindAfter(a)
    const again = [lexer.next(), lexer.next(), lexer.next()].map((t) => [t.kind, t.value, t.column, t.lineStart])
    expect(again).toEqual(first)
    expect(lexer.diagnostics.map((d) => d.message)).toEqual(["Unexpected character '$'"])
  })
})

describe('Lexer.hasErrorBetween', () => {
  it('knows which gaps between tokens touch a token or characters that failed to lex', () => {
    // `"b\q` (2..6) has a bad escape and no closing quote; `$` (9..10) is a stray character.
    const lexer = new Lexer({ path: 't', text: 'a "b\\q\nc $ d' })
    while (lexer.next().kind !== 'EOF') continue
    expect(lexer.diagnostics.map((d) => d.message)).toEqual(["Invalid escape sequence '\\q'", 'Unterminated string', "Unexpected character '$'"])
    expect(lexer.hasErrorBetween(0, 0)).toBe(false)
    expect(lexer.hasErrorBetween(1, 2)).toBe(true)
    expect(lexer.hasErrorBetween(6, 7)).toBe(true)
    expect(lexer.hasErrorBetween(8, 11)).toBe(true)
    expect(lexer.hasErrorBetween(11, 12)).toBe(false)
  })
})

describe('describeToken', () => {
  it('names tokens as messages show them', () => {
    const { tokens } = lex('! modle 42 "abc" """x"""')
    expect(tokens.map(describeToken)).toEqual(["'!'", "'modle'", "'42'", 'string "abc"', 'block string', 'end of file'])
  })
})
