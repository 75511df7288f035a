/**
 * The bundler plugin's build cache: a build whose inputs are all unchanged is answered from it, and a
 * change to ANY input is a miss, so the cache can never let a drifted schema through the production gate.
 * A hit is recognised by a marker put into the cached virtual module: only the cache serves it.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { canonicalJSON } from '../../src/schema/canonical'
import { compileSchema } from '../../src/schema/compile'
import { BUILD_CACHE_DIR } from '../../src/plugin/build-cache'
import { type ContextSetup, OkraContext } from '../../src/plugin/context'
import { DriftError } from '../../src/plugin/drift'
import type { OkraPluginOptions } from '../../src/plugin/options'
import { makeTempDir, writeFiles } from '../helpers/tmp'
import { USER_SCHEMA, captureLogger, read, withField, writeDevProject } from './project'
import { FIRST_MIGRATION, writeSnapshotHistory } from '../helpers/history'
import { metaText, schemaTextHash } from '../../src/migrations/chain'

const MARKER = '/* served by the build cache */'
const entryFile = (root: string) => join(root, BUILD_CACHE_DIR, 'build.json')

/** A project whose schema matches its snapshot: a production build passes the gate. */
function cleanProject(schema = USER_SCHEMA, database: Record<string, unknown> = {}): string {
  const root = makeTempDir('okra-cache-')
  writeDevProject(root, schema, database)
  const { schema: compiled } = compileSchema([{ path: 'models.okra.gql', text: schema }])
  writeSnapshotHistory(root, canonicalJSON(compiled!))
  return root
}

/** One build (a fresh context, as every bundler run makes), with the plugin's build cache. */
async function build(root: string, options: OkraPluginOptions = {}, setup: ContextSetup = {}, production = true) {
  const logger = captureLogger()
  const ctx = new OkraContext({ root, ...options }, { logger, processEnv: {}, buildCache: true, ...setup })
  const report = await ctx.build({ production })
  return { ctx, report, logger }
}

/** After a clean build: the entry's module replaced by MARKER, so that a later build serving MARKER was a hit. */
async function cachedBuild(root: string, options: OkraPluginOptions = {}, setup: ContextSetup = {}): Promise<void> {
  await build(root, options, setup)
  const entry = JSON.parse(readFileSync(entryFile(root), 'utf8'))
  writeFileSync(entryFile(root), JSON.stringify({ ...entry, module: MARKER }))
}

describe('the build cache', () => {
  it('answers a build whose inputs are unchanged: same report, nothing written, in a folder git ignores', async () => {
    const root = cleanProject()
    const first = await build(root)
    expect(first.report.written).toEqual(['src/generated/models.ts', 'okra.d.ts'])
    await cachedBuild(root)
    const second = await build(root)
    expect(second.ctx.virtualModule()).toBe(MARKER)
    expect(second.report).toEqual({ written: [], outputs: first.report.outputs, drift: first.report.drift })
    expect(second.report.drift).toMatchObject({ drifted: false, snapshotExists: true })
    expect(readFileSync(join(root, BUILD_CACHE_DIR, '.gitignore'), 'utf8')).toMatch(/^\*$/m)
  })

  it('prints again the warnings the cached build printed', async () => {
    // The checker has no warning to give today, so the entry is given one, as a build that had one would have stored it.
    const root = cleanProject()
    await cachedBuild(root)
    const entry = JSON.parse(readFileSync(entryFile(root), 'utf8'))
    writeFileSync(entryFile(root), JSON.stringify({ ...entry, warnings: ['[okra] warning: a stored warning'] }))
    const second = await build(root)
    expect(second.ctx.virtualModule()).toBe(MARKER)
    expect(second.logger.lines).toEqual(['[okra] warning: a stored warning'])
  })

  it('still fails the gate on a change made after a clean cached build, and stores no failed build', async () => {
    const root = cleanProject()
    await cachedBuild(root)
    const entry = readFileSync(entryFile(root), 'utf8')
    writeFileSync(join(root, 'models.okra.gql'), withField(USER_SCHEMA, 'phone: String?'))
    const error = await build(root).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DriftError)
    expect((error as DriftError).message).toContain("+ Added field 'phone' to User")
    expect(readFileSync(entryFile(root), 'utf8')).toBe(entry)
    // A deleted snapshot fails it too.
    writeFileSync(join(root, 'models.okra.gql'), USER_SCHEMA)
    rmSync(join(root, 'migrations/snapshot'), { recursive: true })
    expect(await build(root).catch((e: unknown) => e)).toBeInstanceOf(DriftError)
  })

  it('fails the gate on a history broken after a clean cached build: a fork merged in, the newest folder deleted', async () => {
    const root = cleanProject()
    await cachedBuild(root)
    // A first migration from another branch: two migrations made from an empty history.
    const other = read(root, `migrations/${FIRST_MIGRATION}/schema.json`).replace('"name": "User"', '"name": "Member"')
    writeFiles(root, {
      'migrations/20240102_000000_other/schema.json': other,
      'migrations/20240102_000000_other/migration.json': metaText({ parent: null, schema: schemaTextHash(other), destroys: [] }),
    })
    const fork = await build(root).catch((e: unknown) => e)
    expect(fork).toBeInstanceOf(DriftError)
    expect((fork as DriftError).message).toContain(`The migration history forks: ${FIRST_MIGRATION} and 20240102_000000_other were each made from an empty history`)
    expect((fork as DriftError).hint).toContain('okra migrate:rebase')
    rmSync(join(root, 'migrations/20240102_000000_other'), { recursive: true })
    rmSync(join(root, `migrations/${FIRST_MIGRATION}`), { recursive: true })
    const deleted = await build(root).catch((e: unknown) => e)
    expect(deleted).toBeInstanceOf(DriftError)
    expect((deleted as DriftError).message).toContain('migrations/snapshot/schema.json is not empty, yet no migration exists')
    expect((deleted as DriftError).hint).toContain('okra db:migrate:snapshot')
  })

  /** Each changes one input of the key; the build that follows must not be served from the cache. */
  const INPUTS: [string, (root: string) => void, OkraPluginOptions?, ContextSetup?, boolean?][] = [
    ['a schema file (a comment only)', (root) => writeFileSync(join(root, 'models.okra.gql'), `# a comment\n${USER_SCHEMA}`)],
    ['the list of schema files (a new one, empty)', (root) => writeFiles(root, { 'more.okra.gql': '# nothing yet\n' })],
    ['the snapshot (same schema, other bytes)', (root) => writeFileSync(join(root, 'migrations/snapshot/schema.json'), read(root, 'migrations/snapshot/schema.json') + '\n')],
    ['the migration chain (a folder added on top)', (root) => {
      const text = read(root, 'migrations/snapshot/schema.json')
      writeFiles(root, {
        'migrations/20240102_000000_next/schema.json': text,
        'migrations/20240102_000000_next/migration.json': metaText({ parent: schemaTextHash(text), schema: schemaTextHash(text), destroys: [] }),
      })
    }],
    ['current/renames.json', (root) => writeFiles(root, { 'migrations/current/renames.json': '{\n  "renames": []\n}\n' })],
    ['the config', (root) => writeFiles(root, { 'okra.config.json': config(root, { url: 'sqlite://./other.db' }) })],
    ['a variable the config uses', () => undefined, {}, { processEnv: { DB_FILE: 'other.db' } }],
    ['the drift mode', () => undefined, { drift: 'warn' }],
    ['the okra.d.ts path', () => undefined, { dts: 'types/okra.d.ts' }],
    ['production or not', () => undefined, {}, {}, false],
    ['an output edited since', (root) => writeFileSync(join(root, 'src/generated/models.ts'), '// edited\n')],
    ['an output deleted since', (root) => rmSync(join(root, 'okra.d.ts'))],
    ['a damaged entry', (root) => writeFileSync(entryFile(root), '{"key": ')],
    ['an entry damaged behind its key', (root) => writeFileSync(entryFile(root), JSON.stringify({ ...JSON.parse(read(root, `${BUILD_CACHE_DIR}/build.json`)), warnings: 'none' }))],
  ]

  it.each(INPUTS)('misses after a change to %s', async (_what, change, options = {}, setup = {}, production = true) => {
    const root = cleanProject(USER_SCHEMA, { url: 'sqlite://./${DB_FILE}', schemas: ['./*.okra.gql'] })
    await cachedBuild(root, {}, { processEnv: { DB_FILE: 'dev.db' } })
    change(root)
    const { ctx, report } = await build(root, options, { processEnv: { DB_FILE: 'dev.db' }, ...setup }, production)
    expect(ctx.virtualModule()).not.toBe(MARKER)
    expect(ctx.virtualModule()).toContain('export const Role')
    expect(report.drift?.drifted ?? false).toBe(false)
    expect(read(root, 'src/generated/models.ts')).toContain('export interface User')
  })

  it('is off unless asked for (`okra build` does not ask)', async () => {
    const root = cleanProject()
    await new OkraContext({ root }, { processEnv: {} }).build({ production: true })
    expect(existsSync(join(root, BUILD_CACHE_DIR))).toBe(false)
  })
})

/** okra.config.json of the project in `root` with `database` fields replaced. */
function config(root: string, database: Record<string, unknown>): string {
  const current = JSON.parse(read(root, 'okra.config.json'))
  return JSON.stringify({ ...current, database: { ...current.database, ...database } })
}
