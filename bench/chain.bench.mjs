/**
 * The migration chain check (src/migrations/chain-check.ts), through the built API, at 10, 100 and 1,000
 * migrations: what db:diff, db:migrate:snapshot, the migrate commands, `okra build` and the production
 * build gate now pay before anything else. Each history's schema.json is a 10-model synthetic schema
 * (2 folders apart differing in version only, so the check's own cost is measured, not the differ's):
 * - with migration.json in every folder (what OKRA writes now: only those small files are read);
 * - without (a history an older OKRA wrote: every schema.json is read and hashed to infer the parents);
 * - `db:diff` end to end (diffSinceSnapshot) on the same history, against the same schema without one.
 * Each size runs in a fresh process (its own heap and peak RSS).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { childTask, count, growth, loadBuilt, mb, ms, printTable, runInChild, sample, syntheticSources } from './lib/index.mjs'

const SIZES = [10, 100, 1000]
const RUNS = 7

function project(api, sources, size, recorded) {
  const root = mkdtempSync(join(tmpdir(), 'okra-bench-chain-'))
  for (const source of sources) {
    mkdirSync(dirname(join(root, source.path)), { recursive: true })
    writeFileSync(join(root, source.path), source.text)
  }
  writeFileSync(join(root, 'okra.config.json'), JSON.stringify({ database: { provider: 'sqlite', url: 'sqlite://./dev.db', schemas: ['bench/synthetic/*.okra.gql'] } }))
  const { schema } = api.compileSchema(sources)
  let parent = null
  let text = ''
  for (let i = 0; i < size; i++) {
    // The last folder holds the schema itself (what the snapshot is); the others differ in version only.
    text = api.canonicalJSON(i === size - 1 ? schema : { ...schema, version: `v${i}` })
    const hash = api.schemaTextHash(text)
    const dir = join(root, 'migrations', `${String(20240101 + Math.floor(i / 86400)).padStart(8, '0')}_${String(i % 86400).padStart(6, '0')}_step`)
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'schema.json'), text)
    if (recorded) writeFileSync(join(dir, 'migration.json'), api.metaText({ parent, schema: hash, destroys: [] }))
    parent = hash
  }
  mkdirSync(join(root, 'migrations/snapshot'), { recursive: true })
  writeFileSync(join(root, 'migrations/snapshot/schema.json'), text || api.canonicalJSON(schema))
  return root
}

async function measure({ size }) {
  const { api, reason } = await loadBuilt(['inspectChain', 'metaText', 'schemaTextHash', 'loadConfig', 'diffSinceSnapshot', 'compileSchema', 'canonicalJSON'])
  if (!api.inspectChain || !api.metaText) return { skipped: reason ?? 'inspectChain is not exported by dist/index.js yet' }
  const sources = syntheticSources(10)
  const result = {}
  for (const recorded of [true, false]) {
    const root = project(api, sources, size, recorded)
    try {
      const config = await api.loadConfig({ cwd: root, processEnv: {} })
      const check = await sample(async () => {
        const report = await api.inspectChain(config)
        if (report.problems.length) throw new Error(report.problems[0].message)
      }, { runs: RUNS })
      result[recorded ? 'recorded' : 'inferred'] = check.median
      if (recorded) result.diff = (await sample(() => api.diffSinceSnapshot({ cwd: root, processEnv: {} }), { runs: RUNS })).median
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  }
  return result
}

if (!(await childTask(import.meta.url, measure))) await main()

async function main() {
  const rows = []
  const points = { recorded: [], inferred: [] }
  for (const size of SIZES) {
    const r = await runInChild(import.meta.url, { size })
    if (r.skipped) {
      console.log(`chain: skipped, ${r.skipped}\n`)
      return
    }
    points.recorded.push({ size, value: r.recorded })
    points.inferred.push({ size, value: r.inferred })
    rows.push([count(size), ms(r.recorded), ms(r.inferred), ms(r.diff), mb(r.peakRss)])
  }
  printTable({
    title: 'The migration chain check (fork, hole, snapshot = head), 10-model schema per folder',
    columns: ['migrations', 'with migration.json', 'without (inferred)', 'db:diff end to end', 'peak RSS'],
    rows,
    notes: [
      `median of ${RUNS} runs after one warm-up, in one process per size; growth per migration, largest vs smallest: ` +
        `${growth(points.recorded).toFixed(2)} with migration.json, ${growth(points.inferred).toFixed(2)} without`,
      '"db:diff end to end" = diffSinceSnapshot: config, schema compile, the chain check, the diff',
    ],
  })
}
