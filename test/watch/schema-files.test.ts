/**
 * The one rule for what concerns OKRA and where to watch for it, on configs loaded from real projects:
 * the globs as configured (braces, `**`, a file name wildcard, literal paths, paths outside the root),
 * the config file (also before it exists) and the root's `.env`.
 */
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load'
import { SchemaFiles, readSchemaFiles } from '../../src/watch/schema-files'
import { makeTempDir, writeFiles } from '../helpers/tmp'

/** The rule of a project whose config lists these schema globs. */
async function ruleFor(schemas: string[], files: Record<string, string> = {}) {
  const root = makeTempDir()
  writeFiles(root, { 'okra.config.json': JSON.stringify({ database: { url: 'sqlite://./dev.db', schemas } }), ...files })
  return { root, rule: new SchemaFiles({ root, config: await loadConfig({ cwd: root, processEnv: {} }) }) }
}

/** Which of the paths (relative to the root) concern OKRA. */
function concerned(rule: SchemaFiles, paths: string[]): string[] {
  return paths.filter((path) => rule.concerns(path))
}

describe('SchemaFiles.concerns', () => {
  it('follows the configured glob: a *.okra.gql outside it, an editor temp file or a deeper folder do not count', async () => {
    const { root, rule } = await ruleFor(['models/*.okra.gql'], { 'models/user.okra.gql': '' })
    const paths = [
      'models/user.okra.gql',
      'models/created-later.okra.gql',
      'other.okra.gql',
      'models/sub/deep.okra.gql',
      'models/user.okra.gql.tmp',
      'models/.user.okra.gql.swp',
      'models/user.okra.gql~',
      'okra.config.json',
      '.env',
      'models/.env',
      '.env.local',
      'src/app.ts',
    ]
    expect(concerned(rule, paths)).toEqual(['models/user.okra.gql', 'models/created-later.okra.gql', 'okra.config.json', '.env'])
    expect(rule.concerns(join(root, 'models/user.okra.gql'))).toBe(true)
    expect(rule.directories()).toEqual({ dirs: [root, join(root, 'models')].sort(), trees: [] })
  })

  it('expands braces, in folders and in names', async () => {
    const { root, rule } = await ruleFor(['{models,shared}/*.{okra.gql,gql}'])
    expect(concerned(rule, ['models/a.okra.gql', 'shared/b.gql', 'lib/c.okra.gql', 'shared/d.graphql'])).toEqual(['models/a.okra.gql', 'shared/b.gql'])
    expect(rule.directories()).toEqual({ dirs: [root, join(root, 'models'), join(root, 'shared')].sort(), trees: [] })
  })

  it('`**` spans folders (never dot-folders), and its fixed part is watched as a tree', async () => {
    const { root, rule } = await ruleFor(['schema/**/*.okra.gql', 'extra/**'])
    expect(concerned(rule, ['schema/a.okra.gql', 'schema/x/y/b.okra.gql', 'schema/.hidden/c.okra.gql', 'other/d.okra.gql', 'extra/any/file.txt'])).toEqual([
      'schema/a.okra.gql',
      'schema/x/y/b.okra.gql',
      'extra/any/file.txt',
    ])
    expect(rule.directories()).toEqual({ dirs: [root], trees: [join(root, 'extra'), join(root, 'schema')] })
  })

  it('a wildcard folder watches the tree below the fixed part', async () => {
    const { root, rule } = await ruleFor(['packages/*/models.okra.gql'])
    expect(concerned(rule, ['packages/a/models.okra.gql', 'packages/a/b/models.okra.gql', 'packages/models.okra.gql'])).toEqual(['packages/a/models.okra.gql'])
    expect(rule.directories().trees).toEqual([join(root, 'packages')])
  })

  it('literal paths, and paths outside the root (relative or absolute)', async () => {
    const outside = makeTempDir()
    const { root, rule } = await ruleFor(['./models.okra.gql', '../shared/*.okra.gql', `${outside}/lib/*.okra.gql`], {
      'models.okra.gql': 'model A {\n  id: Int! @id\n}\n',
    })
    expect(rule.concerns('models.okra.gql')).toBe(true)
    expect(rule.concerns('sub/models.okra.gql')).toBe(false)
    expect(rule.concerns(resolve(root, '../shared/a.okra.gql'))).toBe(true)
    expect(rule.concerns(join(outside, 'lib/b.okra.gql'))).toBe(true)
    expect(rule.concerns(join(outside, 'b.okra.gql'))).toBe(false)
    expect(rule.directories().dirs).toEqual([root, resolve(root, '../shared'), join(outside, 'lib')].sort())
  })

  it('without a config: the config file still to be created, and both default globs', () => {
    const root = makeTempDir()
    const rule = new SchemaFiles({ root })
    expect(concerned(rule, ['okra.config.json', 'models.okra.gql', 'deep/x.okra.gql', '.env', 'package.json'])).toEqual([
      'okra.config.json',
      'models.okra.gql',
      'deep/x.okra.gql',
      '.env',
    ])
    expect(rule.directories()).toEqual({ dirs: [root], trees: [root] })
    const elsewhere = new SchemaFiles({ root, configFile: 'config/okra.json' })
    expect(elsewhere.concerns('config/okra.json')).toBe(true)
    expect(elsewhere.concerns('okra.config.json')).toBe(false)
    expect(elsewhere.directories().dirs).toEqual([root, join(root, 'config')])
  })
})

describe('readSchemaFiles', () => {
  it('reads the config from disk; while the config is broken it keeps the previous rule, or the defaults', async () => {
    const root = makeTempDir()
    writeFiles(root, { 'okra.config.json': JSON.stringify({ database: { schemas: ['models/*.okra.gql'] } }) })
    const good = await readSchemaFiles({ cwd: root, processEnv: {} })
    expect(good.patterns).toEqual(['models/*.okra.gql'])
    writeFiles(root, { 'okra.config.json': '{ "database": ' })
    expect(await readSchemaFiles({ cwd: root, processEnv: {} }, good)).toBe(good)
    const fresh = await readSchemaFiles({ cwd: root, processEnv: {} })
    expect(fresh.patterns).toEqual(['./models.okra.gql', '**/*.okra.gql'])
    expect(fresh.concerns('okra.config.json')).toBe(true)
  })
})
