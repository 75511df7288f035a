/** Shared by the chain suites (history.test.ts, destroys.test.ts): a project, its columns, its applied migrations. */
import { okraProcess } from '../helpers/okra-process'
import { type TestProject, makeProject } from './project'

export const INIT = 'model Product {\n  id: Int! @id\n  name: String!\n}\n'
export const WITH_SKU = 'model Product {\n  id: Int! @id\n  name: String!\n  sku: String?\n}\n'
export const WITH_WEIGHT = 'model Product {\n  id: Int! @id\n  name: String!\n  weight: Int?\n}\n'
export const WITH_BOTH = 'model Product {\n  id: Int! @id\n  name: String!\n  sku: String?\n  weight: Int?\n}\n'

export function chainProject(url: string | undefined, generateSQL = false): TestProject {
  const p = makeProject({ url })
  const provider = p.url.startsWith('postgres') ? 'postgres' : 'sqlite'
  p.write('okra.config.json', JSON.stringify({ database: { provider, url: p.url, schemas: ['./models.okra.gql'], migrations: { generateSQL } } }))
  return p
}

export const run = (p: TestProject, ...args: string[]) => okraProcess(args, { cwd: p.root })

/** Each schema in turn, with a snapshot taken of it (as an edit then `db:migrate:snapshot`); the migration folders made. */
export async function snapshots(p: TestProject, ...steps: [schema: string, name: string][]): Promise<string[]> {
  for (const [schema, name] of steps) {
    p.schema(schema)
    await p.snapshot(name)
  }
  return p.migrations()
}

/** Columns of products as the database has them. */
export async function productColumns(p: TestProject): Promise<string[]> {
  const db = await p.introspect()
  return db.tables.find((t) => t.name === 'products')?.columns.map((c) => c.name) ?? []
}

export async function appliedIds(p: TestProject): Promise<string[]> {
  const driver = await p.open()
  try {
    if (!(await driver.tableExists('_okra_migrations'))) return []
    return (await driver.query<{ id: string }>('SELECT "id" FROM "_okra_migrations" ORDER BY "id"')).map((r) => r.id)
  } finally {
    await driver.close()
  }
}
