import { describe, expect, it } from 'vitest'
import { syncProject } from './helpers'
import { evolutionSteps, runEvolution } from './evolution'

const ALL_KINDS_SQLITE = [
  'createTable', 'dropTable', 'renameTable', 'addColumn', 'dropColumn', 'renameColumn', 'alterColumn',
  'alterPrimaryKey', 'createIndex', 'dropIndex', 'renameIndex', 'addForeignKey', 'dropForeignKey',
]

describe('the evolution corpus on a SQLite file', () => {
  it('has at least 40 steps', () => {
    expect(evolutionSteps().length).toBeGreaterThanOrEqual(40)
  })

  it('every step syncs to an empty diff, keeping every row', async () => {
    const kinds = await runEvolution(syncProject(), 'sqlite')
    expect([...kinds].sort()).toEqual(expect.arrayContaining(ALL_KINDS_SQLITE))
  }, 60_000)

  it('the same, with migrations/current/ deleted before every third step (repaired by introspection)', async () => {
    await runEvolution(syncProject(), 'sqlite', { forgetCurrentEvery: 3 })
  }, 60_000)
})
