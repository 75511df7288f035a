/**
 * A project for the fault suites: N migrations, the i-th adding column `c<i>` to `items`, each also a
 * data migration inserting its own id into `counters`. A migration that ran twice leaves two counter
 * rows (or one row without its ledger entry, or a column without its row): `consistency()` reads the
 * ledger, the columns and the counters and says whether they agree.
 */
import { type ChildProcess } from 'node:child_process'
import { readHistory } from '../../src/migrations/history'
import { startOkra } from '../helpers/okra-process'
import { type TestProject, makeProject } from './project'

export interface CountedProject extends TestProject {
  ids: string[]
}

export async function countedProject(count: number, url?: string, extraSql: (i: number, id: string) => string = () => ''): Promise<CountedProject> {
  const target = url ?? 'sqlite://./dev.db'
  const provider = target.startsWith('postgres') ? 'postgres' : 'sqlite'
  const p = makeProject({ url: target, config: { database: { provider, url: target, schemas: ['./models.okra.gql'], migrations: { generateSQL: true } } } })
  for (let i = 1; i <= count; i++) {
    const fields = Array.from({ length: i }, (_, k) => `c${k + 1}: Int`).join('\n  ')
    p.schema(`model Item {\n  id: Int! @id @default(autoincrement)\n  ${fields}\n}\n`)
    await p.snapshot(`step_${i}`)
  }
  const ids = p.migrations()
  for (const [i, id] of ids.entries()) {
    const file = `migrations/${id}/migration.sql`
    const create = i === 0 ? 'CREATE TABLE "counters" ("id" TEXT NOT NULL);\n' : ''
    const script = p.read(file).replace(/(PRAGMA foreign_keys = ON;\n)?$/, (pragma) => `${extraSql(i, id)}INSERT INTO "counters" ("id") VALUES ('${id}');\n${pragma}`)
    p.write(file, create + script)
  }
  return Object.assign(p, { ids })
}

export interface Consistency {
  /** Ledger rows, `id status`. */
  ledger: string[]
  /** Migrations whose column exists. */
  columns: string[]
  /** Counter rows per migration id. */
  counters: Record<string, number>
}

/** What the database says was applied, three ways. */
export async function consistency(p: CountedProject): Promise<Consistency> {
  const driver = await p.open()
  try {
    const ledger = (await readHistory(driver)).map((r) => `${r.id} ${r.status}`)
    const db = await driver.introspect()
    const items = db.tables.find((t) => t.name === 'items')
    const columns = p.ids.filter((_, i) => items?.columns.some((c) => c.name === `c${i + 1}`))
    const counters: Record<string, number> = {}
    if (await driver.tableExists('counters')) {
      for (const row of await driver.query<{ id: string; n: number | string }>('SELECT "id", COUNT(*) AS "n" FROM "counters" GROUP BY "id"')) counters[row.id] = Number(row.n)
    }
    return { ledger, columns, counters }
  } finally {
    await driver.close()
  }
}

/** The three agree: every recorded migration's column and single counter row are there, and nothing else is. */
export function expectedFor(p: CountedProject, applied: string[]): Consistency {
  return {
    ledger: applied.map((id) => `${id} applied`),
    columns: applied,
    counters: Object.fromEntries(applied.map((id) => [id, 1])),
  }
}

export interface Running {
  child: ChildProcess
  stderr: () => string
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }>
}

/** `okra ...args` in the project, not waited for. */
export function run(p: TestProject, args: string[]): Running {
  const started = Date.now()
  const child = startOkra(args, { cwd: p.root })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk) => (stdout += chunk))
  child.stderr!.on('data', (chunk) => (stderr += chunk))
  const done = new Promise<Awaited<Running['done']>>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started })))
  return { child, stderr: () => stderr, done }
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
