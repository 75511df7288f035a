/**
 * db:pull through the built `pull()`: a database of 10, 100 and 1,000 tables (the synthetic schema, synced
 * into it first, unmeasured) read back into schema text: introspection, writing the text, and the check
 * that compiles it and diffs it against the database; on a SQLite file and on PostgreSQL
 * (OKRA_BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres, a database of its own that
 * is dropped afterwards; skipped when no server answers). Each size runs in a fresh process.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { childTask, count, growth, loadBuilt, mb, median, ms, printTable, runInChild, syntheticSources } from './lib/index.mjs'
import { pgDatabase, shownAdminUrl } from './lib/pg.mjs'

const SIZES = [10, 100, 1000]
const RUNS = { 10: 15, 100: 9, 1000: 5 }

async function measure({ provider, size }) {
  const { api, reason } = await loadBuilt(['sync', 'pull'])
  if (!api.sync || !api.pull) return { skipped: reason ?? 'pull is not exported by dist/index.js yet' }
  const pg = provider === 'postgres' ? await pgDatabase() : null
  if (provider === 'postgres' && !pg) return { skipped: `no PostgreSQL server answers at ${shownAdminUrl()}` }
  await pg?.create()
  const root = mkdtempSync(join(tmpdir(), 'okra-bench-pull-'))
  try {
    // The database: the synthetic schema synced into it, from a folder of its own.
    const made = join(root, 'made')
    const url = pg ? pg.url : `sqlite://${join(root, 'app.db')}`
    for (const source of syntheticSources(size)) {
      mkdirSync(dirname(join(made, source.path)), { recursive: true })
      writeFileSync(join(made, source.path), source.text)
    }
    writeFileSync(join(made, 'okra.config.json'), JSON.stringify({ database: { provider, url, schemas: ['bench/synthetic/*.okra.gql'] } }))
    const synced = await api.sync({ cwd: made, processEnv: {} })
    // The project that pulls it.
    const project = join(root, 'project')
    mkdirSync(project)
    writeFileSync(join(project, 'okra.config.json'), JSON.stringify({ database: { provider, url } }))
    const wall = []
    const introspect = []
    const write = []
    const cpu = []
    let last
    for (let i = 0; i <= RUNS[size]; i++) {
      const cpuStart = process.cpuUsage()
      const start = performance.now()
      last = await api.pull({ cwd: project, processEnv: {}, force: true })
      const elapsed = performance.now() - start
      const used = process.cpuUsage(cpuStart)
      if (i === 0) continue // warms the JIT and the driver's module
      wall.push(elapsed)
      introspect.push(last.introspectMs)
      write.push(last.writeMs)
      cpu.push((used.user + used.system) / 1000)
    }
    return {
      tables: last.tables,
      models: last.models,
      created: synced.changes.filter((c) => c.kind === 'createTable').length,
      remaining: last.remaining.length,
      wall: median(wall),
      introspect: median(introspect),
      write: median(write),
      cpu: median(cpu),
    }
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
        provider === 'sqlite' ? 'SQLite (file)' : 'PostgreSQL',
        count(size),
        count(r.tables),
        ms(r.introspect),
        ms(r.write),
        ms(r.wall - r.introspect - r.write),
        ms(r.wall),
        ms(r.cpu),
        String(r.remaining),
        mb(r.peakRss),
      ])
    }
  }
  for (const [provider, results] of Object.entries(byProvider)) {
    if (results.length < 2) continue
    const g = growth(results.map((r) => ({ size: r.size, value: r.wall })))
    notes.push(`${provider}: a pull of ${count(results.at(-1).size)} models costs ${(results.at(-1).wall / results[0].wall).toFixed(1)}× the ${count(results[0].size)}-model one (per model ${g.toFixed(2)}×; 1.00× = linear)`)
  }
  notes.unshift(
    `median of ${Object.entries(RUNS).map(([s, n]) => `${n} (${count(Number(s))})`).join(' / ')} pulls after one unmeasured; pull() end to end with --force: load the config, open the database, introspect, write the text, check it (compile + diff against the database), close`,
    'introspect: reading the database; write: DbSchema -> text and the file; check: the rest (compiling the text and diffing it against the database, opening and closing the connection)',
    "CPU: this process's user+system time per pull (the database server's own work not included), steadier than wall time on a busy machine",
    'tables: the synthetic schema has join tables besides its models; left to sync: what db:sync would still change after the pull (0 expected)',
    'each row in a fresh process; peak RSS = its high-water mark, Node included',
  )
  printTable({
    title: 'db:pull (synthetic schemas, synced into the database first)',
    columns: ['database', 'models', 'tables', 'introspect', 'write', 'check', 'end to end', 'CPU', 'left to sync', 'peak RSS'],
    rows,
    notes,
  })
}
