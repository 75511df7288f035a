import { describe, expect, it } from 'vitest'
import { usePgDatabase } from '../helpers/pg'
import { syncProject } from './helpers'
import { runEvolution } from './evolution'

const pgdb = await usePgDatabase()

const ALL_KINDS_POSTGRES = [
  'createEnum', 'alterEnum', 'dropEnum', 'createTable', 'dropTable', 'renameTable', 'addColumn', 'dropColumn',
  'renameColumn', 'alterColumn', 'alterPrimaryKey', 'createIndex', 'dropIndex', 'renameIndex', 'addForeignKey',
  'dropForeignKey', 'renameForeignKey',
]

describe(`the evolution corpus on PostgreSQL (${pgdb.mode})`, () => {
  it('every step syncs to an empty diff, keeping every row', async () => {
    const kinds = await runEvolution(syncProject({ url: pgdb.url }), 'postgres')
    expect([...kinds].sort()).toEqual(expect.arrayContaining(ALL_KINDS_POSTGRES))
  }, 120_000)

  it('the same, with migrations/current/ deleted before every fourth step (repaired by introspection)', async () => {
    await pgdb.reset()
    await runEvolution(syncProject({ url: pgdb.url }), 'postgres', { forgetCurrentEvery: 4 })
  }, 120_000)
})
