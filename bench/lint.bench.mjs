/**
 * `migrate:lint --all` through the built API (`lintMigrations`) over a history of 10, 100 and 1,000
 * migrations: the first creates a 10-model schema, each next one adds a field (a new model every 20th),
 * and every 10th drops the field added just before (a finding). Once with the SQL derived from the
 * schemas, once with a hand-written migration.sql in every folder (read as text, and compared with the
 * derived SQL for `edited-sql`). Each case runs in a fresh process (its own heap and peak RSS).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { childTask, count, growth, loadBuilt, mb, median, ms, printTable, runInChild, syntheticSources, us } from './lib/index.mjs'

const SIZES = [10, 100, 1000]
const RUNS = 5
const START = Date.UTC(2024, 0, 1)

function folderName(i) {
  const d = new Date(START + i * 1000)
  const pad = (n) => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}_${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}_step_${i}`
}

/** The history written straight as folders (schema.json = the canonical schema of each step). */
function writeHistory(api, root, size, handWritten) {
  const base = syntheticSources(10)
  const extras = new Map()
  for (let i = 0; i < size; i++) {
    let sql = '-- okra:provider sqlite\n'
    if (i > 0) {
      const model = `Extra${Math.floor(i / 20)}`
      const fields = extras.get(model) ?? []
      if (i % 10 === 9 && fields.length) {
        const dropped = fields.pop()
        sql += `ALTER TABLE "extra${Math.floor(i / 20)}s" DROP COLUMN "${dropped}";\n`
      } else {
        fields.push(`f${i}`)
        sql += `ALTER TABLE "extra${Math.floor(i / 20)}s" ADD COLUMN "f${i}" TEXT;\n`
      }
      extras.set(model, fields)
    }
    const extraText = [...extras].map(([name, fields]) => `model ${name} {\n  id: Int! @id @default(autoincrement)\n${fields.map((f) => `  ${f}: String\n`).join('')}}\n`).join('\n')
    const { schema, diagnostics } = api.compileSchema([...base, { path: 'extra.okra.gql', text: extraText }])
    if (!schema) throw new Error(`step ${i}: ${diagnostics.map((d) => d.message).join('; ')}`)
    const dir = join(root, 'migrations', folderName(i))
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'schema.json'), api.canonicalJSON(schema))
    if (handWritten && i > 0) writeFileSync(join(dir, 'migration.sql'), sql)
  }
}

async function measure({ size, handWritten }) {
  const { api, reason } = await loadBuilt(['lintMigrations', 'compileSchema', 'canonicalJSON'])
  if (!api.lintMigrations) return { skipped: reason ?? 'lintMigrations is not exported by dist/index.js yet' }
  const root = mkdtempSync(join(tmpdir(), 'okra-bench-lint-'))
  try {
    writeFileSync(join(root, 'okra.config.json'), JSON.stringify({ database: { provider: 'sqlite', url: 'sqlite://./dev.db', schemas: ['*.okra.gql'] } }))
    writeHistory(api, root, size, handWritten)
    const samples = []
    let findings = 0
    for (let run = 0; run < RUNS; run++) {
      const start = performance.now()
      const result = await api.lintMigrations({ cwd: root, processEnv: {}, all: true })
      samples.push(performance.now() - start)
      if (result.migrations.length !== size) throw new Error(`linted ${result.migrations.length} of ${size}`)
      findings = result.findings.length
    }
    return { median: median(samples), findings }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

if (!(await childTask(import.meta.url, measure))) await main()

async function main() {
  for (const handWritten of [false, true]) {
    const rows = []
    const points = []
    for (const size of SIZES) {
      const r = await runInChild(import.meta.url, { size, handWritten })
      if (r.skipped) {
        console.log(`lint: skipped, ${r.skipped}\n`)
        return
      }
      points.push({ size, value: r.median })
      rows.push([count(size), ms(r.median), us((r.median * 1000) / size), count(r.findings), mb(r.peakRss)])
    }
    printTable({
      title: `migrate:lint --all over a history of 10 / 100 / 1,000 migrations (SQLite; ${handWritten ? 'a hand-written migration.sql in every folder' : 'SQL derived from schema.json'})`,
      columns: ['migrations', 'lint', 'per migration', 'findings', 'peak RSS'],
      rows,
      notes: [
        `median of ${RUNS} runs in one process; includes loading the config, reading every folder, deriving each step from the previous schema${handWritten ? ', reading each file and comparing it with the derived SQL' : ''}`,
        `cost per migration at 1,000 / at 10: ×${growth(points).toFixed(2)} (1 = linear)`,
      ],
    })
  }
}
