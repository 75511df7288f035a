import { describe, expect, it } from 'vitest'
import { expandBraces, findFiles, hasMagic, matchGlob } from '../../src/config/glob'
import { projectDir } from './project-dir'

describe('expandBraces', () => {
  it('expands alternatives, nested ones too, and leaves an unclosed brace alone', () => {
    expect(expandBraces('a/{b,c}/*.{gql,graphql}')).toEqual(['a/b/*.gql', 'a/b/*.graphql', 'a/c/*.gql', 'a/c/*.graphql'])
    expect(expandBraces('{x,y{1,2}}.okra.gql')).toEqual(['x.okra.gql', 'y1.okra.gql', 'y2.okra.gql'])
    expect(expandBraces('odd{name')).toEqual(['odd{name'])
  })
})

describe('matchGlob', () => {
  it.each([
    ['*.okra.gql', 'models.okra.gql', true],
    ['*.okra.gql', 'models/user.okra.gql', false],
    ['**/*.okra.gql', 'models.okra.gql', true],
    ['**/*.okra.gql', 'a/b/c/user.okra.gql', true],
    ['models/**/*.okra.gql', 'models/user.okra.gql', true],
    ['models/?.okra.gql', 'models/a.okra.gql', true],
    ['models/?.okra.gql', 'models/ab.okra.gql', false],
    ['{models,schema}/*.okra.gql', 'schema/x.okra.gql', true],
    ['./models.okra.gql', 'models.okra.gql', true],
    ['*.okra.gql', '.hidden.okra.gql', false],
    ['.*.okra.gql', '.hidden.okra.gql', true],
    ['**/*.okra.gql', '.cache/x.okra.gql', false],
    ['.cache/*.okra.gql', '.cache/x.okra.gql', true],
    ['a+b/(x).okra.gql', 'a+b/(x).okra.gql', true],
  ])('%s against %s: %s', (pattern, path, expected) => {
    expect(matchGlob(pattern, path)).toBe(expected)
  })

  it('hasMagic tells patterns from file names', () => {
    expect(hasMagic('./models.okra.gql')).toBe(false)
    expect(hasMagic('models/*.okra.gql')).toBe(true)
    expect(hasMagic('{a,b}.okra.gql')).toBe(true)
  })
})

describe('findFiles', () => {
  it('walks the root, skipping node_modules, .git and dot-folders; sorted, relative, with /', () => {
    const root = projectDir({
      'models.okra.gql': '',
      'b/user.okra.gql': '',
      'a/deep/er/post.okra.gql': '',
      'a/notes.txt': '',
      'node_modules/pkg/x.okra.gql': '',
      'a/node_modules/pkg/y.okra.gql': '',
      '.git/z.okra.gql': '',
      '.cache/w.okra.gql': '',
    })
    expect(findFiles(root, ['**/*.okra.gql'])).toEqual({
      files: ['a/deep/er/post.okra.gql', 'b/user.okra.gql', 'models.okra.gql'],
      unmatched: [],
    })
  })

  it('reaches a dot-folder named explicitly, a file by name, and outside the root with ../', () => {
    const outer = projectDir({ 'app/.okra/x.okra.gql': '', 'app/one.okra.gql': '', 'shared/common.okra.gql': '' })
    const root = `${outer}/app`
    expect(findFiles(root, ['.okra/*.okra.gql', './one.okra.gql', '../shared/*.okra.gql']).files).toEqual([
      '../shared/common.okra.gql',
      '.okra/x.okra.gql',
      'one.okra.gql',
    ])
  })

  it('reports the patterns that matched nothing, and lists a file matched twice once', () => {
    const root = projectDir({ 'models/a.okra.gql': '' })
    expect(findFiles(root, ['models/*.okra.gql', 'models/a.okra.gql', 'missing.okra.gql', 'none/**/*.gql'])).toEqual({
      files: ['models/a.okra.gql'],
      unmatched: ['missing.okra.gql', 'none/**/*.gql'],
    })
  })
})
