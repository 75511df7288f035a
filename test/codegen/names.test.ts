import { describe, expect, it } from 'vitest'
import { descriptionLines, scopeNamer, splitWords } from '../../src/codegen/names'

describe('splitWords', () => {
  it.each([
    ['userId', ['user', 'Id']],
    ['avatarURL', ['avatar', 'URL']],
    ['HTTPServer', ['HTTP', 'Server']],
    ['SUPER_ADMIN', ['SUPER', 'ADMIN']],
    ['userIDs', ['user', 'IDs']],
    ['utf8Name', ['utf8', 'Name']],
    ['ipV4Address', ['ip', 'V4', 'Address']],
    ['__typename', ['typename']],
    ['_', []],
  ])('splits %s', (name, words) => {
    expect(splitWords(name)).toEqual(words)
  })
})

describe('scopeNamer', () => {
  it('adds underscores until the name is free, reserved names included', () => {
    const claim = scopeNamer(['class'])
    expect([claim('class'), claim('class'), claim('id'), claim('id')]).toEqual(['class_', 'class__', 'id', 'id_'])
  })
})

describe('descriptionLines', () => {
  it('normalises line breaks, trims line ends and blank edges, and replaces characters compilers reject', () => {
    expect(descriptionLines('\n\r\n first  \r\nsecond\rthird\u2028fourth\u0000\ufeff\t\n\n')).toEqual([' first', 'second', 'third', 'fourth\ufffd\ufffd'])
    expect(descriptionLines(undefined)).toEqual([])
    expect(descriptionLines('  \n ')).toEqual([])
  })
})
