/**
 * Migrations, through the built API:
 * - `migrateUp` of 200 pending migrations onto an empty database, on a SQLite file and on PostgreSQL
 *   (OKRA_BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres, in a database of its own,
 *   dropped afterwards; skipped when no server answers), with the SQL derived from schema.json and with
 *   reviewed migration.sql files; then the same command when nothing is pending (what every replica pays
 *   at start: read 200 folders, checksum them, read the history);
 * - `snapshot` of a 1,000-model schema: the first one (everything new), and one more after a one-field change.
 * Each case runs in a fresh process (its own heap and peak RSS).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { childTask, count, loadBuilt, mb, median, ms, printTable, runInChild, syntheticSources, us, writeSources } from './lib/index.mjs'
import { pgDatabase, shownAdminUrl } from './lib/pg.mjs'

const MIGRATIONS = 200
const UP_RUNS = 3
const SNAPSHOT_MODELS = 1000
const SNAPSHOT_RUNS = 5
const START = Date.UTC(2024, 0, 1)

function writeConfig(root, database) {
  writeFileSync(join(root, 'okra.config.json'), JSON.stringify({ database: { schemas: ['bench/synthetic/*.okra.gql', 'extra.okra.gql'], ...database } }))
}

/** Adds `extra<n>: String?` to the first model of the file that has a table (not the Audit mixin). */
function addField(file, n) {
  writeFileSync(file, readFileSync(file, 'utf8').replace(/(model (?!Audit )\w+ \{\n)/, `$1  extra${n}: String?\n`))
}

/**
 * A project with MIGRATIONS migrations: the first creates a 10-model schema, each next one adds a field
 * (and every tenth a small model of its own), as a team's history grows.
 */
async function projectWithHistory(api, provider, url, generateSQL) {
  const root = mkdtempSync(join(tmpdir(), 'okra-bench-migrate-'))
  const sources = syntheticSources(10)
  writeSources(root, sources)
  writeFileSync(join(root, 'extra.okra.gql'), '')
  writeConfig(root, { provider, url, migrations: { generateSQL } })
  const extras = []
  for (let i = 0; i < MIGRATIONS; i++) {
    if (i > 0 && i % 10 === 0) {
      extras.push(`model Extra${i} {\n  id: Int! @id @default(autoincrement)\n  label: String!\n  createdAt: DateTime! @default(now)\n  @@index([label])\n}\n`)
      writeFileSync(join(root, 'extra.okra.gql'), extras.join('\n'))
    } else if (i > 0) {
      addField(join(root, sources[i % sources.length].path), i)
    }
    const result = await api.snapshot({ cwd: root, processEnv: {}, notSynced: 'force', now: new Date(START + i * 1000), name: `step_${i}` })
    if (result.outcome !== 'written') throw new Error(`snapshot ${i} wrote nothing (${result.outcome})`)
  }
  return root
}

/** In the child: migrate:up of MIGRATIONS pending migrations, UP_RUNS times on a fresh database. */
async function measureUp({ provider, generateSQL }) {
  const { api, reason } = await loadBuilt(['migrateUp', 'snapshot'])
  if (!api.migrateUp || !api.snapshot) return { skipped: reason ?? 'migrateUp / snapshot are not exported by dist/index.js yet' }
  const pg = provider === 'postgres' ? await pgDatabase() : null
  if (provider === 'postgres' && !pg) return { skipped: `no PostgreSQL server answers at ${shownAdminUrl()}` }
  const url = pg ? pg.url : 'sqlite://./bench.db'
  const root = await projectWithHistory(api, provider, url, generateSQL)
  const up = () => api.migrateUp({ cwd: root, processEnv: {} })
  try {
    const samples = []
    const upToDate = []
    for (let run = 0; run < UP_RUNS; run++) {
      if (pg) {
        await pg.drop()
        await pg.create()
      } else {
        rmSync(join(root, 'bench.db'), { force: true })
        rmSync(join(root, 'bench.db-wal'), { force: true })
        rmSync(join(root, 'bench.db-shm'), { force: true })
      }
      let start = performance.now()
      const result = await up()
      samples.push(performance.now() - start)
      if (result.applied.length !== MIGRATIONS) throw new Error(`applied ${result.applied.length} of ${MIGRATIONS}`)
      start = performance.now()
      const again = await up()
      upToDate.push(performance.now() - start)
      if (again.applied.length !== 0) throw new Error('the second run applied something')
    }
    return { total: median(samples), upToDate: median(upToDate), runs: UP_RUNS }
  } finally {
    if (pg) {
      await pg.drop()
      await pg.end()
    }
    rmSync(root, { recursive: true, force: true })
  }
}

/** In the child: snapshot of a SNAPSHOT_MODELS-model schema, first and after a one-field change. */
async function measureSnapshot({ generateSQL }) {
  const { api, reason } = await loadBuilt(['snapshot'])
  if (!api.snapshot) return { skipped: reason ?? 'snapshot is not exported by dist/index.js yet' }
  const root = mkdtempSync(join(tmpdir(), 'okra-bench-snapshot-'))
  const sources = syntheticSources(SNAPSHOT_MODELS)
  writeSources(root, sources)
  writeFileSync(join(root, 'extra.okra.gql'), '')
  writeConfig(root, { provider: 'sqlite', url: 'sqlite://./dev.db', migrations: { generateSQL } })
  const snapshot = (i) => api.snapshot({ cwd: root, processEnv: {}, notSynced: 'force', now: new Date(START + i * 1000) })
  try {
    const first = []
    for (let run = 0; run < SNAPSHOT_RUNS; run++) {
      rmSync(join(root, 'migrations'), { recursive: true, force: true })
      const start = performance.now()
      const result = await snapshot(run)
      first.push(performance.now() - start)
      if (result.outcome !== 'written' || result.summaries.length < SNAPSHOT_MODELS) throw new Error(`first snapshot: ${result.outcome}, ${result.summaries.length} changes`)
    }
    const oneField = []
    for (let run = 0; run < SNAPSHOT_RUNS; run++) {
      addField(join(root, sources[0].path), run)
      const start = performance.now()
      const result = await snapshot(100 + run)
      oneField.push(performance.now() - start)
      if (result.summaries.length !== 1) throw new Error(`one-field snapshot: ${result.summaries.join('; ')}`)
    }
    return { first: median(first), oneField: median(oneField), runs: SNAPSHOT_RUNS }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

if (!(await childTask(import.meta.url, (payload) => (payload.kind === 'up' ? measureUp(payload) : measureSnapshot(payload))))) await main()

async function main() {
  const upRows = []
  const skipped = []
  for (const provider of ['sqlite', 'postgres']) {
    for (const generateSQL of [false, true]) {
      const r = await runInChild(import.meta.url, { kind: 'up', provider, generateSQL })
      if (r.skipped) {
        skipped.push(`${provider}: ${r.skipped}`)
        break
      }
      upRows.push([
        provider === 'sqlite' ? 'SQLite file' : 'PostgreSQL',
        generateSQL ? 'migration.sql files' : 'derived from schema.json',
        ms(r.total),
        ms(r.total / MIGRATIONS),
        ms(r.upToDate),
        mb(r.peakRss),
      ])
    }
  }
  printTable({
    title: `migrate:up of ${count(MIGRATIONS)} pending migrations onto an empty database (10 models, then one field or model per migration)`,
    columns: ['database', 'SQL', 'all 200', 'per migration', 'nothing pending', 'peak RSS'],
    rows: upRows,
    notes: [
      `median of ${UP_RUNS} runs, each on a fresh database; includes loading the config, reading and checksumming the folders, the lock, the SQLite backup, one transaction per migration (each proving it still holds the lock, with a plain INSERT of its ledger row)`,
      '"nothing pending" = the same command right after: what each replica pays at start when another one already migrated',
      'peak RSS includes writing the 200 snapshots the history is made of (same process)',
      ...skipped.map((s) => `skipped ${s}`),
    ],
  })

  const snapRows = []
  for (const generateSQL of [false, true]) {
    const r = await runInChild(import.meta.url, { kind: 'snapshot', generateSQL })
    if (r.skipped) {
      console.log(`snapshot: skipped, ${r.skipped}\n`)
      return
    }
    snapRows.push([generateSQL ? 'with migration.sql' : 'schema.json only', ms(r.first), ms(r.oneField), us((r.oneField * 1000) / SNAPSHOT_MODELS), mb(r.peakRss)])
  }
  printTable({
    title: `db:migrate:snapshot of a ${count(SNAPSHOT_MODELS)}-model schema (synthetic)`,
    columns: ['files', 'first snapshot', 'one-field change', 'per model', 'peak RSS'],
    rows: snapRows,
    notes: [`median of ${SNAPSHOT_RUNS} runs; each includes loading and compiling the schema files, the diff, writing the folder and moving snapshot/`],
  })
}
