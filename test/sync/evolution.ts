/**
 * The evolution corpus (test/fixtures/evolution/NN-step.okra.gql), run step by step against one database.
 * Before each step one more row goes into every table. After each step:
 * - the database introspects to exactly the step's schema (an empty diff);
 * - every table that survives (under its new name after a rename) has every row it had;
 * - on a step not marked `# destructive`, sync needed no consent, and no column lost a value;
 * - on a step marked destructive, sync without consent refused and changed nothing first.
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import { DataLossError } from '../../src/sync/sync'
import type { Change } from '../../src/diff/index'
import { compileSchema } from '../../src/schema/compile'
import { toPhysical } from '../../src/schema/physical'
import type { DbSchema, Provider } from '../../src/schema/physical-types'
import type { SyncProject } from './helpers'
import { RowFactory, census } from './rows'
import { typesOf } from '../helpers/dialects'

const DIR = join(import.meta.dirname, '../fixtures/evolution')

export interface Step {
  file: string
  text: string
  destructive: boolean
  /** A rename only the previous schema's labels tell (`@map`, `@@map` changed). */
  labelRename: boolean
}

export function evolutionSteps(): Step[] {
  return readdirSync(DIR)
    .filter((f) => /^\d\d-step\.okra\.gql$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(join(DIR, file), 'utf8')
      return { file, text, destructive: /^# destructive:/m.test(text), labelRename: /^# label rename:/m.test(text) }
    })
}

export function physicalOfText(text: string, provider: Provider): DbSchema {
  const { schema, diagnostics } = compileSchema([{ path: 'models.okra.gql', text }])
  if (!schema) throw new Error(diagnostics.map((d) => d.message).join('\n'))
  return toPhysical(schema, typesOf(provider))
}

/**
 * Runs the whole corpus on `project`'s database; returns every change kind that was applied.
 * `forgetCurrentEvery: n` deletes migrations/current/ before every n-th step (but label renames), so
 * those syncs take the repair path and introspect the database.
 */
export async function runEvolution(project: SyncProject, provider: Provider, options: { forgetCurrentEvery?: number } = {}): Promise<Set<Change['kind']>> {
  const driver = await project.open()
  const rows = new RowFactory()
  const kinds = new Set<Change['kind']>()
  let current: DbSchema | undefined
  for (const [i, step] of evolutionSteps().entries()) {
    if (current) await rows.insertRound(driver, current)
    const before = current ? await census(driver, current) : new Map()
    project.write(step.text)
    const forget = options.forgetCurrentEvery !== undefined && i > 0 && i % options.forgetCurrentEvery === 0 && !step.labelRename
    if (forget) rmSync(join(project.root, 'migrations/current'), { recursive: true, force: true })
    if (step.destructive) {
      await expect(project.sync(), `${step.file} must need consent`).rejects.toBeInstanceOf(DataLossError)
      expect(await project.drift(driver), `${step.file}: a refused sync changed the database`).not.toEqual([])
    }
    const result = await project.sync({ acceptDataLoss: step.destructive })
    expect(result.source, step.file).toBe(forget || i === 0 ? 'introspection' : 'current')
    expect(await project.drift(driver), `${step.file}: the database differs from the schema after sync`).toEqual([])
    for (const change of result.changes) kinds.add(change.kind)
    const next = physicalOfText(step.text, provider)
    if (current) checkSurvivors(step, result.changes, before, await census(driver, next))
    for (const change of result.changes) {
      if (change.kind === 'renameTable') rows.renameTable(change.from, change.to)
      if (change.kind === 'renameColumn') rows.renameColumn(change.table, change.from, change.to)
    }
    current = next
  }
  return kinds
}

type Census = Awaited<ReturnType<typeof census>>

function checkSurvivors(step: Step, changes: Change[], before: Census, after: Census): void {
  const oldTable = new Map<string, string>()
  const oldColumn = new Map<string, string>()
  for (const c of changes) {
    if (c.kind === 'renameTable') oldTable.set(c.to, c.from)
    if (c.kind === 'renameColumn') oldColumn.set(`${c.table}.${c.to}`, c.from)
  }
  for (const [table, now] of after) {
    const was = before.get(oldTable.get(table) ?? table)
    if (!was) continue
    expect(now.rows, `${step.file}: rows of ${table}`).toBe(was.rows)
    if (step.destructive) continue
    for (const [column, values] of now.values) {
      const old = was.values.get(oldColumn.get(`${table}.${column}`) ?? column)
      if (old !== undefined) expect(values, `${step.file}: values of ${table}.${column}`).toBeGreaterThanOrEqual(old)
    }
  }
}
