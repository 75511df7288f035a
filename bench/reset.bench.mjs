/**
 * `db:reset` and backups, through the built API, on a SQLite file and on PostgreSQL (OKRA_BENCH_PG_URL,
 * in a database of its own, dropped afterwards; skipped when no server answers):
 * - `reset` from a 50-migration history (drop, apply every migration with its ledger row, sync the rest,
 *   seeds) against `reset --from-schema` (drop and create in one transaction), same final schema;
 * - `db:backup` and `db:restore` of that database holding 10,000 / 100,000 rows in one table.
 * Each case runs in a fresh process (its own heap and peak RSS).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { childTask, count, loadBuilt, mb, median, ms, printTable, runInChild, syntheticSources, writeSources } from './lib/index.mjs'
import { pgDatabase, shownAdminUrl } from './lib/pg.mjs'

const MIGRATIONS = 50
const RUNS = 3
const ROWS = [10_000, 100_000]
const START = Date.UTC(2024, 0, 1)
const BULK = 'model Bulk {\n  id: Int! @id @default(autoincrement)\n  label: String!\n}\n'

function addField(file, n) {
  writeFileSync(file, readFileSync(file, 'utf8').replace(/(model (?!Audit )\w+ \{\n)/, `$1  extra${n}: String?\n`))
}

/** 10 models, then one field (every tenth: one model) per migration, as a team's history grows. */
async function projectWithHistory(api, provider, url) {
  const root = mkdtempSync(join(tmpdir(), 'okra-bench-reset-'))
  const sources = syntheticSources(10)
  writeSources(root, sources)
  writeFileSync(join(root, 'extra.okra.gql'), BULK)
  writeFileSync(join(root, 'okra.config.json'), JSON.stringify({ database: { provider, url, schemas: ['bench/synthetic/*.okra.gql', 'extra.okra.gql'] } }))
  const extras = [BULK]
  for (let i = 0; i < MIGRATIONS; i++) {
    if (i > 0 && i % 10 === 0) {
      extras.push(`model Extra${i} {\n  id: Int! @id @default(autoincrement)\n  label: String!\n  @@index([label])\n}\n`)
      writeFileSync(join(root, 'extra.okra.gql'), extras.join('\n'))
    } else if (i > 0) addField(join(root, sources[i % sources.length].path), i)
    const result = await api.snapshot({ cwd: root, processEnv: {}, notSynced: 'force', now: new Date(START + i * 1000), name: `step_${i}` })
    if (result.outcome !== 'written') throw new Error(`snapshot ${i} wrote nothing (${result.outcome})`)
  }
  return root
}

async function measure({ provider }) {
  const { api, reason } = await loadBuilt(['reset', 'snapshot', 'takeBackup', 'restoreBackup', 'migrateUp', 'openDriver'])
  if (!api.reset || !api.takeBackup || !api.restoreBackup) return { skipped: reason ?? 'reset / takeBackup / restoreBackup are not exported by dist/index.js yet' }
  const pg = provider === 'postgres' ? await pgDatabase() : null
  if (provider === 'postgres' && !pg) return { skipped: `no PostgreSQL server answers at ${shownAdminUrl()}` }
  const url = pg ? pg.url : 'sqlite://./bench.db'
  if (pg) await pg.create()
  const root = await projectWithHistory(api, provider, url)
  const options = { cwd: root, processEnv: {}, force: true, skipSeed: true }
  try {
    await api.migrateUp({ cwd: root, processEnv: {} })
    const history = []
    const fromSchema = []
    for (let run = 0; run < RUNS; run++) {
      let start = performance.now()
      const replayed = await api.reset(options)
      history.push(performance.now() - start)
      if (replayed.migrations.length !== MIGRATIONS) throw new Error(`replayed ${replayed.migrations.length} of ${MIGRATIONS}`)
      start = performance.now()
      await api.reset({ ...options, fromSchema: true })
      fromSchema.push(performance.now() - start)
    }
    const backups = []
    for (const rows of ROWS) {
      const driver = await api.openDriver(url, { root })
      await driver.query('DELETE FROM bulks')
      await driver.query(
        provider === 'sqlite'
          ? `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows}) INSERT INTO bulks (label) SELECT 'row ' || i FROM n`
          : `INSERT INTO bulks (label) SELECT 'row ' || i FROM generate_series(1, ${rows}) AS i`,
      )
      await driver.close()
      const take = []
      const restore = []
      for (let run = 0; run < RUNS; run++) {
        let start = performance.now()
        await api.takeBackup({ cwd: root, processEnv: {} })
        take.push(performance.now() - start)
        start = performance.now()
        await api.restoreBackup({ cwd: root, processEnv: {}, force: true })
        restore.push(performance.now() - start)
      }
      backups.push({ rows, take: median(take), restore: median(restore) })
    }
    return { history: median(history), fromSchema: median(fromSchema), backups }
  } finally {
    if (pg) {
      await pg.drop()
      await pg.end()
    }
    rmSync(root, { recursive: true, force: true })
  }
}

if (!(await childTask(import.meta.url, measure))) await main()

async function main() {
  const resetRows = []
  const backupRows = []
  const skipped = []
  for (const provider of ['sqlite', 'postgres']) {
    const r = await runInChild(import.meta.url, { provider })
    if (r.skipped) {
      skipped.push(`${provider}: ${r.skipped}`)
      continue
    }
    const name = provider === 'sqlite' ? 'SQLite file' : 'PostgreSQL'
    resetRows.push([name, ms(r.history), ms(r.history / MIGRATIONS), ms(r.fromSchema), `${(r.history / r.fromSchema).toFixed(1)}×`, mb(r.peakRss)])
    for (const b of r.backups) backupRows.push([name, count(b.rows), ms(b.take), ms(b.restore)])
  }
  printTable({
    title: `db:reset of a database with a ${MIGRATIONS}-migration history (10 models, then one field or model per migration)`,
    columns: ['database', 'from the history', 'per migration', '--from-schema', 'ratio', 'peak RSS'],
    rows: resetRows,
    notes: [
      `median of ${RUNS} runs, --skip-seed; "from the history" = drop, apply all ${MIGRATIONS} migrations (ledger rows, lock), record, sync the rest; SQLite also copies the file first`,
      'peak RSS includes writing the snapshots the history is made of (same process)',
      ...skipped.map((s) => `skipped ${s}`),
    ],
  })
  printTable({
    title: 'db:backup and db:restore of that database, with rows in one table',
    columns: ['database', 'rows', 'db:backup', 'db:restore (incl. its own backup first)'],
    rows: backupRows,
    notes: [`median of ${RUNS} runs; SQLite: VACUUM INTO / online backup API; PostgreSQL: CREATE TABLE AS into a backup schema / TRUNCATE + INSERT ... SELECT`],
  })
}
