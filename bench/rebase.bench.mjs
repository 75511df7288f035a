/**
 * `migrate:rebase` through the built API: a history that forks after a base migration of a 10-model schema,
 * one branch holding 3 migrations, the other 10 or 100 (each adding a field, every tenth a small model); the
 * longer branch moves. Measured: the whole rebase (reading the folders, replaying each migration on the other
 * head, writing the new folders, migration.json and, with generateSQL, each migration.sql again), each run
 * on a fresh copy of the project, in a fresh process (its own peak RSS).
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { childTask, loadBuilt, mb, median, ms, printTable, runInChild, syntheticSources, writeSources } from './lib/index.mjs'

const SIZES = [10, 100]
const RUNS = 3
const START = Date.UTC(2024, 0, 1)

/** Adds `<name>: String?` to the first model with a table in the file. */
function addField(file, name) {
  writeFileSync(file, readFileSync(file, 'utf8').replace(/(model (?!Audit )\w+ \{\n)/, `$1  ${name}: String?\n`))
}

/** A project whose history forks: `stay` migrations on one side, `moved` (newer) on the other. */
async function forkedProject(api, moved, generateSQL) {
  const root = mkdtempSync(join(tmpdir(), 'okra-bench-rebase-'))
  const sources = syntheticSources(10)
  writeSources(root, sources)
  writeFileSync(join(root, 'extra.okra.gql'), '')
  writeFileSync(
    join(root, 'okra.config.json'),
    JSON.stringify({ database: { provider: 'sqlite', url: 'sqlite://./never.db', schemas: ['bench/synthetic/*.okra.gql', 'extra.okra.gql'], migrations: { generateSQL } } }),
  )
  let clock = 0
  const snap = async (name) => {
    const result = await api.snapshot({ cwd: root, processEnv: {}, notSynced: 'force', now: new Date(START + clock++ * 1000), name })
    if (result.outcome !== 'written') throw new Error(`snapshot ${name} wrote nothing (${result.outcome})`)
  }
  await snap('base')
  const saved = mkdtempSync(join(tmpdir(), 'okra-bench-rebase-base-'))
  cpSync(root, saved, { recursive: true })
  for (let i = 0; i < 3; i++) {
    addField(join(root, sources[i % sources.length].path), `stay${i}`)
    await snap(`stay_${i}`)
  }
  const stayDir = mkdtempSync(join(tmpdir(), 'okra-bench-rebase-stay-'))
  const ids = readdirSync(join(root, 'migrations')).filter((n) => /^\d{8}_\d{6}_stay/.test(n))
  for (const id of ids) renameSync(join(root, 'migrations', id), join(stayDir, id))
  // The other branch starts again from the base (its files as they were), then snapshots `moved` migrations.
  rmSync(root, { recursive: true })
  cpSync(saved, root, { recursive: true })
  const extras = []
  for (let i = 0; i < moved; i++) {
    if (i % 10 === 9) {
      extras.push(`model Extra${i} {\n  id: Int! @id @default(autoincrement)\n  label: String!\n  @@index([label])\n}\n`)
      writeFileSync(join(root, 'extra.okra.gql'), extras.join('\n'))
    } else addField(join(root, sources[(i + 5) % sources.length].path), `moved${i}`)
    await snap(`moved_${i}`)
  }
  for (const id of ids) renameSync(join(stayDir, id), join(root, 'migrations', id))
  rmSync(stayDir, { recursive: true })
  rmSync(saved, { recursive: true })
  return root
}

async function measure({ moved, generateSQL }) {
  const { api, reason } = await loadBuilt(['rebaseHistory', 'snapshot'])
  if (!api.rebaseHistory || !api.snapshot) return { skipped: reason ?? 'rebaseHistory is not exported by dist/index.js yet' }
  const template = await forkedProject(api, moved, generateSQL)
  const samples = []
  try {
    for (let run = 0; run < RUNS; run++) {
      const root = mkdtempSync(join(tmpdir(), 'okra-bench-rebase-run-'))
      cpSync(template, root, { recursive: true })
      const started = performance.now()
      const result = await api.rebaseHistory({ cwd: root, processEnv: {}, now: new Date(START + 10_000_000) })
      samples.push(performance.now() - started)
      if (result.moved.length !== moved) throw new Error(`moved ${result.moved.length}, expected ${moved}`)
      rmSync(root, { recursive: true })
    }
  } finally {
    rmSync(template, { recursive: true, force: true })
  }
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples) }
}

async function main() {
  const rows = []
  for (const generateSQL of [false, true]) {
    for (const moved of SIZES) {
      const r = await runInChild(import.meta.url, { moved, generateSQL })
      if (r.skipped) {
        console.log(`skipped: ${r.skipped}`)
        process.exit(0)
      }
      rows.push([String(moved), generateSQL ? 'on' : 'off', ms(r.median), ms(r.median / moved), `${ms(r.min)} – ${ms(r.max)}`, mb(r.peakRss)])
    }
  }
  printTable({
    title: `migrate:rebase: moved migrations replayed onto a 3-migration branch (10-model schema, median of ${RUNS})`,
    columns: ['moved', 'generateSQL', 'rebase', 'per migration', 'min – max', 'peak RSS'],
    rows,
    notes: ['Each run: a fresh copy of the project; the whole rebaseHistory() call (read, replay, write folders and migration.json, SQL files when on).'],
  })
}

if (!(await childTask(import.meta.url, measure))) await main()
