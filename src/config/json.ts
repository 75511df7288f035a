/**
 * A strict JSON reader that says where it stopped: `JSON.parse` in Node 20 often reports no
 * position at all ("Unexpected token '}'"), and a config error must point at line and column.
 */
import { lineColumn } from '../language/source'

export class JSONSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message)
  }
}

export function parseJSON(text: string): unknown {
  let pos = 0

  function fail(message: string, at = pos): never {
    const { line, column } = lineColumn(text, at)
    throw new JSONSyntaxError(message, line, column)
  }
  const describe = (at: number) => (at >= text.length ? 'end of file' : `'${text[at]}'`)

  const skipSpace = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos])) pos++
  }

  const expect = (char: string, what: string) => {
    skipSpace()
    if (text[pos] !== char) fail(`expected ${what}, got ${describe(pos)}`)
    pos++
  }

  const value = (): unknown => {
    skipSpace()
    const c = text[pos]
    if (c === '{') return object()
    if (c === '[') return array()
    if (c === '"') return string()
    if (c === '-' || (c >= '0' && c <= '9')) return number()
    for (const [word, result] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length
        return result
      }
    }
    return fail(`expected a value, got ${describe(pos)}`)
  }

  const object = (): Record<string, unknown> => {
    const result: Record<string, unknown> = {}
    pos++
    skipSpace()
    if (text[pos] === '}') {
      pos++
      return result
    }
    for (;;) {
      skipSpace()
      if (text[pos] !== '"') fail(`expected a key in double quotes, got ${describe(pos)}`)
      const key = string()
      expect(':', "':' after the key")
      // defineProperty: a "__proto__" key is data like any other, never the object's prototype.
      Object.defineProperty(result, key, { value: value(), enumerable: true, writable: true, configurable: true })
      skipSpace()
      if (text[pos] === ',') {
        pos++
        skipSpace()
        if (text[pos] === '}') fail("trailing comma before '}'", pos)
        continue
      }
      expect('}', "',' or '}'")
      return result
    }
  }

  const array = (): unknown[] => {
    const result: unknown[] = []
    pos++
    skipSpace()
    if (text[pos] === ']') {
      pos++
      return result
    }
    for (;;) {
      result.push(value())
      skipSpace()
      if (text[pos] === ',') {
        pos++
        skipSpace()
        if (text[pos] === ']') fail("trailing comma before ']'", pos)
        continue
      }
      expect(']', "',' or ']'")
      return result
    }
  }

  const string = (): string => {
    const start = pos
    pos++
    while (pos < text.length && text[pos] !== '"') {
      const c = text[pos]
      if (c === '\n' || c === '\r') fail('unterminated string', start)
      pos += c === '\\' ? 2 : 1
    }
    if (pos >= text.length) fail('unterminated string', start)
    pos++
    try {
      return JSON.parse(text.slice(start, pos)) as string
    } catch {
      return fail('invalid escape sequence in string', start)
    }
  }

  const number = (): number => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(pos))
    if (!match) return fail('invalid number')
    pos += match[0].length
    return Number(match[0])
  }

  const result = value()
  skipSpace()
  if (pos < text.length) fail(`unexpected ${describe(pos)} after the end of the document`)
  return result
}
