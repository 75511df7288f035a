/**
 * The team scenario of team-sqlite.test.ts on PostgreSQL (each database a schema of this file's own
 * database): after `okra migrate:rebase`, databases that applied nothing, the first branch, the other
 * branch, or both in the other order reach the head with `okra migrate:up`, keeping every column and row;
 * generateSQL off and on.
 */
import { describe, it } from 'vitest'
import { usePgDatabase } from '../helpers/pg'
import { makeTeam } from './team'
import { rebaseAndMigrateEveryDatabase } from './team-scenario'

const pgdb = await usePgDatabase()

describe.each([false, true])('PostgreSQL, generateSQL %s', (generateSQL) => {
  it('rebases a merged fork; fresh, branch A, branch B and both-branch databases reach the head with every column and row', async () => {
    const team = await makeTeam('postgres', { generateSQL, pgUrl: pgdb.url })
    await rebaseAndMigrateEveryDatabase(team, { generateSQL })
  })
})
