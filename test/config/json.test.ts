import { describe, expect, it } from 'vitest'
import { JSONSyntaxError, parseJSON } from '../../src/config/json'

function syntaxError(text: string): string {
  try {
    parseJSON(text)
  } catch (error) {
    if (error instanceof JSONSyntaxError) return `${error.line}:${error.column}: ${error.message}`
    throw error
  }
  throw new Error('expected a syntax error')
}

describe('parseJSON', () => {
  it('reads what JSON.parse reads', () => {
    const text = '{ "a": [1, -2.5e3, true, false, null], "b": { "c": "x\\n\\u00e9\\"" }, "d": {}, "e": [] }'
    expect(parseJSON(text)).toEqual(JSON.parse(text))
  })

  it.each([
    ['{\n  "a": 1\n  "b": 2\n}', `3:3: expected ',' or '}', got '"'`],
    ['{"a": 1,}', "1:9: trailing comma before '}'"],
    ['[1, 2,\n]', "2:1: trailing comma before ']'"],
    ['{"a": tru}', "1:7: expected a value, got 't'"],
    ['{a: 1}', `1:2: expected a key in double quotes, got 'a'`],
    ['{"a" 1}', `1:6: expected ':' after the key, got '1'`],
    ['{"a": "open\n}', '1:7: unterminated string'],
    ['{"a": 1', "1:8: expected ',' or '}', got end of file"],
    ['', '1:1: expected a value, got end of file'],
    ['{} {}', "1:4: unexpected '{' after the end of the document"],
    ['{"a": 01}', `1:8: expected ',' or '}', got '1'`],
    ['{"a": "\\q"}', '1:7: invalid escape sequence in string'],
  ])('%j -> %s', (text, expected) => {
    expect(syntaxError(text)).toBe(expected)
  })
})
