import { describe, expect, it } from 'vitest'
import { interpolate, parseDotEnv, withDotEnv } from '../../src/config/env'
import { OkraError } from '../../src/errors'
import { projectDir } from './project-dir'

describe('parseDotEnv', () => {
  it('reads KEY=VALUE lines with comments, quotes and export', () => {
    const text = [
      '# a comment',
      '',
      'PLAIN=value',
      'SPACED = spaced value  ',
      'INLINE=abc # comment',
      'HASH=a#b',
      'export EXPORTED=yes',
      `SINGLE='single $x # kept'`,
      'DOUBLE="line\\nnext \\"quoted\\"" # comment',
      'EMPTY=',
      'URL=postgres://u:p@h/db?sslmode=require',
    ].join('\r\n')
    expect(parseDotEnv(text)).toEqual({
      PLAIN: 'value',
      SPACED: 'spaced value',
      INLINE: 'abc',
      HASH: 'a#b',
      EXPORTED: 'yes',
      SINGLE: 'single $x # kept',
      DOUBLE: 'line\nnext "quoted"',
      EMPTY: '',
      URL: 'postgres://u:p@h/db?sslmode=require',
    })
  })

  it('rejects an unterminated quote, naming the line', () => {
    expect(() => parseDotEnv('A=1\nB="open\n')).toThrow(OkraError)
    expect(() => parseDotEnv('A=1\nB="open\n')).toThrow('.env:2: unterminated or malformed quoted value')
  })
})

describe('withDotEnv', () => {
  it('adds the variables of .env without overriding or modifying the given environment', () => {
    const root = projectDir({ '.env': 'A=from-file\nB=from-file\n' })
    const env = { A: 'from-process' }
    expect(withDotEnv(root, env)).toEqual({ A: 'from-process', B: 'from-file' })
    expect(env).toEqual({ A: 'from-process' })
  })

  it('an empty string counts as set', () => {
    const root = projectDir({ '.env': 'A=from-file\n' })
    expect(withDotEnv(root, { A: '' }).A).toBe('')
  })
})

describe('interpolate', () => {
  it('replaces every ${VAR} and names the missing ones', () => {
    expect(interpolate('${A}-${B}-${A}-$C-${C', { A: '1', B: '' })).toEqual({ value: '1--1-$C-${C', missing: [] })
    expect(interpolate('x${MISSING}y${ALSO}', {})).toEqual({ value: 'xy', missing: ['MISSING', 'ALSO'] })
  })
})
