/**
 * An enum's order is part of the schema on PostgreSQL: it drives ORDER BY and comparisons of the column.
 * Reordering the values used to be no change at all ("Already in sync", the old order kept); now the type
 * is recreated in the new order, keeping rows and defaults. SQLite stores enum values as text with a CHECK
 * list, where order means nothing: there the reorder changes nothing in the database.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { diff, summaries } from '../../src/diff/index'
import { usePgDatabase } from '../helpers/pg'
import { okra } from '../cli/capture'
import { syncProject } from './helpers'
import { typesOf } from '../helpers/dialects'
import type { DbSchema } from '../../src/schema/physical-types'

const pgdb = await usePgDatabase()

const schema = (values: string[]) =>
  `enum Priority {\n${values.map((v) => `  ${v}\n`).join('')}}\nmodel Task {\n  id: Int! @id\n  priority: Priority! @default(MEDIUM)\n}\n`

const pgSchema = (values: string[]): DbSchema => ({ provider: 'postgres', tables: [], enums: [{ name: 'priority', values }] }) as unknown as DbSchema

describe('enum order', () => {
  beforeEach(() => pgdb.reset())

  it('the differ sees a reorder on PostgreSQL, alone or with an added value', async () => {
    const types = typesOf('postgres')
    const reorder = await diff(pgSchema(['LOW', 'MEDIUM', 'HIGH']), pgSchema(['HIGH', 'MEDIUM', 'LOW']), { types })
    expect(summaries(reorder.changes)).toEqual(["~ Reordered the values of enum priority: 'HIGH', 'MEDIUM', 'LOW'"])
    const both = await diff(pgSchema(['LOW', 'HIGH']), pgSchema(['HIGH', 'URGENT', 'LOW']), { types })
    expect(summaries(both.changes)).toEqual(["~ Added value 'URGENT' to enum priority and reordered its values: 'HIGH', 'URGENT', 'LOW'"])
    const addOnly = await diff(pgSchema(['LOW', 'HIGH']), pgSchema(['LOW', 'MEDIUM', 'HIGH']), { types })
    expect(summaries(addOnly.changes)).toEqual(["~ Added value 'MEDIUM' to enum priority"])
  })

  it('PostgreSQL: the type is recreated in the new order; rows and the default are kept; the next sync has nothing to do', async () => {
    const p = syncProject({ url: pgdb.url, schema: schema(['LOW', 'MEDIUM', 'HIGH']) })
    await p.sync()
    const driver = await p.open()
    await driver.exec("INSERT INTO tasks (id, priority) VALUES (1, 'LOW'), (2, 'HIGH'), (3, 'MEDIUM')")
    const order = async () => (await driver.query<{ id: number }>('SELECT id FROM tasks ORDER BY priority, id')).map((r) => r.id)
    expect(await order()).toEqual([1, 3, 2])

    p.write(schema(['HIGH', 'MEDIUM', 'LOW']))
    const synced = await okra(['db:sync'], { cwd: p.root })
    expect(synced.code).toBe(0)
    expect(synced.stdout + synced.stderr).toContain("Reordered the values of enum Priority: 'HIGH', 'MEDIUM', 'LOW'")
    expect(await order()).toEqual([2, 3, 1])
    expect(await driver.query("SELECT enum_range(NULL::priority)::text AS r")).toEqual([{ r: '{HIGH,MEDIUM,LOW}' }])
    await driver.exec('INSERT INTO tasks (id) VALUES (4)')
    expect(await driver.query('SELECT priority FROM tasks WHERE id = 4')).toEqual([{ priority: 'MEDIUM' }])
    expect(await p.drift(driver)).toEqual([])
    const again = await okra(['db:sync'], { cwd: p.root })
    expect(again.stdout + again.stderr).toContain('Already in sync')
  })

  it('SQLite: a reorder changes nothing in the database (a CHECK list has no order), and rows stay', async () => {
    const p = syncProject({ schema: schema(['LOW', 'MEDIUM', 'HIGH']) })
    await p.sync()
    const driver = await p.open()
    await driver.exec("INSERT INTO tasks (id, priority) VALUES (1, 'LOW')")
    p.write(schema(['HIGH', 'MEDIUM', 'LOW']))
    const result = await p.sync()
    expect(result.summaries).toEqual([])
    expect(await p.drift(driver)).toEqual([])
    expect(await driver.query('SELECT id, priority FROM tasks')).toEqual([{ id: 1, priority: 'LOW' }])
  })
})
