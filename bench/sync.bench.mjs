/**
 * db:sync end to end (read the schema files, compile, plan, apply, record), through the built `sync()`:
 * - a one-field change (a new optional field on one model) on a synced schema of 100 and 1,000 models;
 * - a create from empty of 1,000 models;
 * on a SQLite file and on PostgreSQL (OKRA_BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres,
 * in a database of its own that is dropped afterwards; skipped when no server answers).
 * Each case runs in a fresh process (its own heap and peak RSS).
 *
 * Targets at 100 models, one-field sync: SQLite < 15 ms, PostgreSQL < 60 ms.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { childTask, count, growth, loadBuilt, mb, median, ms, printTable, runInChild, syntheticSources, target } from './lib/index.mjs'
import { pgDatabase, shownAdminUrl } from './lib/pg.mjs'

const SIZES = [100, 1000]
const TARGETS = { sqlite: 15, postgres: 60 }
const RUNS = { 100: 15, 1000: 7 }

/** A project folder holding the synthetic schema files and a config for `url`. */
function makeProject(size, url) {
  const root = mkdtempSync(join(tmpdir(), 'okra-bench-sync-'))
  const sources = syntheticSources(size)
  for (const source of sources) {
    mkdirSync(dirname(join(root, source.path)), { recursive: true })
    writeFileSync(join(root, source.path), source.text)
  }
  const database = { provider: url.startsWith('postgres') ? 'postgres' : 'sqlite', url: url === 'sqlite' ? 'sqlite://./dev.db' : url, schemas: ['bench/synthetic/*.okra.gql'] }
  writeFileSync(join(root, 'okra.config.json'), JSON.stringify({ database }))
  return { root, firstFile: join(root, sources[0].path) }
}

/** Adds `extra<n>: String?` to the first model of the file that is not a mixin: one new field per call. */
function addField(file, n) {
  const text = readFileSync(file, 'utf8')
  const mixins = new Set([...text.matchAll(/\.\.\.(\w+)/g)].map((m) => m[1]))
  const model = [...text.matchAll(/model (\w+) \{\n/g)].find((m) => !mixins.has(m[1]))
  writeFileSync(file, text.slice(0, model.index + model[0].length) + `  extra${n}: String?\n` + text.slice(model.index + model[0].length))
}

/** Times `runs` one-field syncs (after one unmeasured): wall time and this process's CPU time, medians. */
async function oneFieldSyncs(sync, firstFile, runs, offset) {
  const wall = []
  const cpu = []
  for (let i = 0; i <= runs; i++) {
    addField(firstFile, offset + i)
    const cpuStart = process.cpuUsage()
    const start = performance.now()
    const result = await sync()
    const elapsed = performance.now() - start
    const used = process.cpuUsage(cpuStart)
    if (result.summaries.length !== 1 || result.source !== 'current') throw new Error(`expected one change on the fast path, got ${result.summaries.join('; ')} (${result.source})`)
    if (i === 0) continue // warms the JIT and the driver's module
    wall.push(elapsed)
    cpu.push((used.user + used.system) / 1000)
  }
  return { median: median(wall), min: Math.min(...wall), max: Math.max(...wall), cpu: median(cpu) }
}

/** In the child: one provider, one size. */
async function measure({ provider, size }) {
  const { api, reason } = await loadBuilt(['sync', 'openDriver'])
  if (!api.sync || !api.openDriver) return { skipped: reason ?? 'sync or openDriver is not exported by dist/index.js yet' }
  const pg = provider === 'postgres' ? await pgDatabase() : null
  if (provider === 'postgres' && !pg) return { skipped: `no PostgreSQL server answers at ${shownAdminUrl()}` }
  await pg?.create()
  const { root, firstFile } = makeProject(size, pg ? pg.url : 'sqlite')
  try {
    const start = performance.now()
    const created = await api.sync({ cwd: root, processEnv: {} })
    const createMs = performance.now() - start
    if (!created.applied || created.changes.length < size) throw new Error(`the create from empty applied ${created.changes.length} changes for ${size} models`)
    const runs = RUNS[size]
    // As the CLI runs it: every sync opens and closes its connection.
    const cli = await oneFieldSyncs(() => api.sync({ cwd: root, processEnv: {} }), firstFile, runs, 0)
    // As a dev server can run it: one connection kept open across syncs.
    const driver = await api.openDriver(pg ? pg.url : 'sqlite://./dev.db', { root })
    const kept = await oneFieldSyncs(() => api.sync({ cwd: root, processEnv: {}, driver }), firstFile, runs, 1000)
    await driver.close()
    return { createMs, cli, kept, runs }
  } finally {
    rmSync(root, { recursive: true, force: true })
    await pg?.drop()
    await pg?.end()
  }
}

if (!(await childTask(import.meta.url, measure))) await main()

async function main() {
  const rows = []
  const notes = []
  const byProvider = {}
  for (const provider of ['sqlite', 'postgres']) {
    for (const size of SIZES) {
      const r = await runInChild(import.meta.url, { provider, size })
      if (r.skipped) {
        notes.push(`${provider}: skipped, ${r.skipped}`)
        break
      }
      ;(byProvider[provider] ??= []).push({ size, ...r })
      rows.push([
        provider === 'sqlite' ? 'SQLite (file, WAL)' : 'PostgreSQL',
        count(size),
        ms(r.cli.median),
        `${ms(r.cli.min)} – ${ms(r.cli.max)}`,
        ms(r.cli.cpu),
        ms(r.kept.median),
        ms(r.kept.cpu),
        size === 100 ? target(r.cli.median, TARGETS[provider]) : '-',
        ms(r.createMs),
        mb(r.peakRss),
      ])
    }
  }
  for (const [provider, results] of Object.entries(byProvider)) {
    if (results.length < 2) continue
    const g = growth(results.map((r) => ({ size: r.size, value: r.cli.median })))
    notes.push(`${provider}: one-field sync at ${count(results.at(-1).size)} models costs ${(results.at(-1).cli.median / results[0].cli.median).toFixed(1)}× the ${count(results[0].size)}-model time (per model ${g.toFixed(2)}×; 1.00× = linear in the schema size)`)
  }
  notes.unshift(
    'one-field sync: median of 15 (100 models) / 7 (1,000 models) syncs, each adding one optional field, after one unmeasured sync; wall time of sync() end to end (read + compile the schema, plan on the fast path, apply, record _okra_state and current/schema.json)',
    'CLI: each sync opens and closes its connection (as `okra db:sync`); kept: one connection passed as `driver` (as a dev server can); CPU: this process\'s user+system time per sync (the database server\'s own work not included), less sensitive to a busy machine than wall time',
    `target: wall time, CLI way; load average when the table was made: ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores`,
    'create: the first sync of the schema into an empty database (one run)',
    'each row in a fresh process; peak RSS = its high-water mark, Node included',
  )
  printTable({
    title: 'db:sync end to end (synthetic schemas)',
    columns: ['database', 'models', 'one-field (CLI)', 'range', 'CPU', 'one-field (kept)', 'CPU', 'target', 'create from empty', 'peak RSS'],
    rows,
    notes,
  })
}
