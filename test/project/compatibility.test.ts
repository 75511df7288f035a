/**
 * Compatibility warnings where environments use different providers: one per feature that behaves
 * differently, naming its fields and what each database does; from db:validate and the snapshot, once;
 * never from the dev loop's saves; none with a single provider.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { OkraContext } from '../../src/plugin/context'
import { compatibilityWarnings } from '../../src/project/compatibility'
import { schemaOf } from '../diff/helpers'
import { okraProcess } from '../helpers/okra-process'
import { makeTempDir, writeFiles } from '../helpers/tmp'
import { captureLogger, nextEvent } from '../plugin/project'

const SCHEMA = `enum Status { DRAFT LIVE }
model Post {
  id: ID! @default(uuid)
  slug: String! @unique
  title: String!
  body: JSON
  meta: JSON? @db(type: "TEXT")
  price: Decimal?
  views: BigInt!
  live: Boolean!
  status: Status!
  createdAt: DateTime! @default(now)
}
`

function project(environments: Record<string, unknown>): string {
  const root = makeTempDir('okra-compat-')
  writeFiles(root, {
    'okra.config.json': JSON.stringify({ database: { schemas: ['./models.okra.gql'], environments } }),
    'models.okra.gql': SCHEMA,
  })
  return root
}

const TWO_PROVIDERS = {
  local: { provider: 'sqlite', url: 'sqlite://./dev.db' },
  production: { provider: 'postgres', url: '${DATABASE_URL}' },
}

describe('compatibilityWarnings', () => {
  it('one warning per feature used, with its fields and what each database does', () => {
    const warnings = compatibilityWarnings(schemaOf(SCHEMA), ['postgres', 'sqlite'])
    expect(warnings.map((w) => [w.feature, w.fields])).toEqual([
      ['JSON', ['Post.body']],
      ['DateTime', ['Post.createdAt']],
      ['Decimal', ['Post.price']],
      ['BigInt', ['Post.views']],
      ['Boolean', ['Post.live']],
      ['enum', ['Post.status']],
      ['uniqueText', ['Post.slug']],
    ])
    const json = warnings[0]!.message.split('\n')
    expect(json[0]).toBe('JSON fields behave differently on PostgreSQL and SQLite (Post.body):')
    expect(json[1]).toMatch(/^ {2}PostgreSQL: JSONB: /)
    expect(json[2]).toMatch(/^ {2}SQLite: TEXT: any text is accepted/)
  })

  it('none with one provider, and none for what the schema does not use', () => {
    expect(compatibilityWarnings(schemaOf(SCHEMA), ['sqlite', 'sqlite'])).toEqual([])
    expect(compatibilityWarnings(schemaOf('model A {\n  id: Int! @id\n  n: Int!\n}'), ['postgres', 'sqlite'])).toEqual([])
  })
})

describe('where users see them', () => {
  it('okra db:validate and okra db:migrate:snapshot print each once; a single provider prints none', () => {
    const root = project(TWO_PROVIDERS)
    const validate = okraProcess(['db:validate'], { cwd: root })
    expect(validate.code).toBe(0)
    const warnings = validate.stderr.split('\n').filter((l) => l.startsWith('warning: '))
    expect(warnings).toEqual([
      'warning: JSON fields behave differently on PostgreSQL and SQLite (Post.body):',
      'warning: DateTime fields behave differently on PostgreSQL and SQLite (Post.createdAt):',
      'warning: Decimal fields behave differently on PostgreSQL and SQLite (Post.price):',
      'warning: BigInt fields behave differently on PostgreSQL and SQLite (Post.views):',
      'warning: Boolean fields behave differently on PostgreSQL and SQLite (Post.live):',
      'warning: enum fields behave differently on PostgreSQL and SQLite (Post.status):',
      'warning: unique String fields behave differently on PostgreSQL and SQLite (Post.slug):',
    ])
    expect(validate.stderr).toContain('  SQLite: INTEGER 0 or 1: reads back as 0 or 1')
    expect(validate.stderr).toContain('  PostgreSQL: BOOLEAN: reads back as true or false')
    expect(JSON.parse(okraProcess(['db:validate', '--json'], { cwd: root }).stdout).compatibility).toHaveLength(7)

    const snapshot = okraProcess(['db:migrate:snapshot', '--force'], { cwd: root })
    expect(snapshot.code).toBe(0)
    expect(snapshot.stderr.split('\n').filter((l) => l.startsWith('warning: '))).toHaveLength(7)

    const single = project({ local: { provider: 'sqlite', url: 'sqlite://./dev.db' } })
    expect(okraProcess(['db:validate'], { cwd: single }).stderr).not.toContain('warning')
  })

  it('the dev loop does not repeat them on every save', async () => {
    const root = project(TWO_PROVIDERS)
    const logger = captureLogger()
    const ctx = new OkraContext({ root, syncDebounce: 20 }, { logger, processEnv: {} })
    const first = nextEvent(ctx, 'synced')
    await ctx.startDev()
    await first
    for (const title of ['headline', 'heading']) {
      writeFileSync(join(root, 'models.okra.gql'), SCHEMA.replace('title: String!', `${title}: String!`))
      const synced = nextEvent(ctx, 'synced')
      void ctx.refresh()
      await synced
    }
    await ctx.close()
    expect(logger.lines.filter((l) => l.includes('[okra] synced:'))).toHaveLength(3)
    expect(logger.lines.join('\n')).not.toContain('behave differently')
  })
})
