/**
 * The schema language: parse + check (compileSchema), each code generator and the canonical JSON +
 * hash on synthetic schemas of 10 to 5,000 models, each size in its own process (clean heap, its own
 * peak RSS); then the cold start of `okra --version`.
 *
 * Two tables: the cold process (the first run after loading the package, as one `okra` command does
 * it, JIT cold, with the garbage collections it caused) and the warm process (the median of the runs
 * after it, as a dev server does it on every save).
 *
 * Targets: 1,000 models < 100 ms and 5,000 models < 500 ms for the whole pipeline; --version < 150 ms.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks'
import {
  bytes, childTask, count, distFile, growth, loadBuilt, mb, median, ms, printTable, runInChild, spawnTimes,
  syntheticSources, target, us,
} from './lib/index.mjs'

const SIZES = [10, 100, 1000, 5000]
const TARGETS = { 1000: 100, 5000: 500 }
const VERSION_TARGET = 150
const GENERATORS = [
  ['TypeScript', 'generateTypeScript'],
  ['Go', 'generateGo'],
  ['Python', 'generatePython'],
  ['GraphQL', 'generateGraphQL'],
]

/** Fewer runs for the biggest size, never fewer than 7: the median then speaks for a warm process (the dev loop), the first run for a cold one. */
const runsFor = (n) => (n >= 5000 ? 7 : 15)

/** Garbage collections seen from now on: `since(mark)` counts those that started after `mark` and their pause time (ms). */
function gcRecorder() {
  const entries = []
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()))
  observer.observe({ entryTypes: ['gc'] })
  return {
    since(from, to = Infinity) {
      const inside = entries.filter((e) => e.startTime >= from && e.startTime < to)
      return { count: inside.length, ms: inside.reduce((sum, e) => sum + e.duration, 0) }
    },
    stop: () => observer.disconnect(),
  }
}

/** CPU time of the whole process so far (ms, every thread: the JIT's and the garbage collector's helpers too). */
function cpuMs() {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

/** GC entries are delivered asynchronously: give the observer a turn of the event loop before reading them. */
const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

/** In the child: times the pipeline on a schema of `size` models. */
async function measure({ size }) {
  const { api, missing, reason } = await loadBuilt(['compileSchema', 'schemaHash', ...GENERATORS.map(([, fn]) => fn)])
  if (!api.compileSchema) return { skipped: reason ?? 'compileSchema is not exported by dist/index.js yet' }
  const sources = syntheticSources(size)
  const paths = sources.map((s) => s.path)
  const generators = GENERATORS.filter(([, fn]) => api[fn])
  const gc = gcRecorder()

  const runOnce = () => {
    const times = {}
    const cpuStart = cpuMs()
    let start = performance.now()
    const { schema, diagnostics } = api.compileSchema(sources)
    times.compile = performance.now() - start
    const compileCpu = cpuMs() - cpuStart
    let typesCpu
    if (!schema) {
      const errors = diagnostics.filter((d) => d.severity === 'error')
      const first = errors[0]
      throw new Error(`the synthetic schema of ${size} models does not compile: ${errors.length} errors, first: ${first?.location?.source?.path} ${first?.message}`)
    }
    if (schema.models.length !== size) throw new Error(`expected ${size} models, the schema has ${schema.models.length}`)
    for (const [label, fn] of generators) {
      start = performance.now()
      const out = api[fn](schema, { sources: paths, package: 'models' })
      times[label] = performance.now() - start
      if (label === 'Python') typesCpu = cpuMs() - cpuStart
      if (typeof out !== 'string' || out.length === 0) throw new Error(`${fn} returned no text`)
    }
    times.total = Object.values(times).reduce((a, b) => a + b, 0)
    // The issue's target covers parse + check and the three model-type generators (GraphQL is optional).
    times.types = times.compile + (times.TypeScript ?? 0) + (times.Go ?? 0) + (times.Python ?? 0)
    // What `okra db:sync` adds before it talks to the database: the canonical JSON and its sha256 (not in total).
    if (api.schemaHash) {
      start = performance.now()
      api.schemaHash(schema)
      times.hash = performance.now() - start
    }
    // CPU times are not wall times: kept out of the totals above.
    times.compileCpu = compileCpu
    times.typesCpu = typesCpu
    return times
  }

  const coldStart = performance.now()
  const first = runOnce()
  const coldEnd = performance.now()
  const runs = Array.from({ length: runsFor(size) }, runOnce)
  const warmEnd = performance.now()
  await flush()
  const coldGc = gc.since(coldStart, coldEnd)
  const warmGc = gc.since(coldEnd, warmEnd)
  gc.stop()
  const medians = {}
  for (const key of Object.keys(first)) medians[key] = median(runs.map((r) => r[key]))
  return {
    first,
    medians,
    coldGc,
    warmGc: { count: warmGc.count / runs.length, ms: warmGc.ms / runs.length },
    runs: runs.length,
    missing,
    sourceBytes: sources.reduce((a, s) => a + s.text.length, 0),
  }
}

if (!(await childTask(import.meta.url, measure))) await main()

async function main() {
  const results = []
  for (const size of SIZES) {
    const result = await runInChild(import.meta.url, { size })
    if (result.skipped) {
      console.log(`language: skipped, ${result.skipped}\n`)
      break
    }
    results.push({ size, ...result })
  }
  if (results.length > 0) {
    printCold(results)
    printPipeline(results)
  }
  printColdStart()
}

function printCold(results) {
  printTable({
    title: 'Schema language, cold process: the first run after loading the package (as one okra command runs it)',
    columns: ['models', 'parse+check', 'its CPU', 'TS+Go+Py', 'its CPU', 'hash', 'GCs', 'GC pause', 'warm parse+check', 'warm TS+Go+Py', 'warm GCs', 'warm GC pause'],
    rows: results.map((r) => [
      count(r.size),
      ms(r.first.compile),
      ms(r.first.compileCpu),
      ms(r.first.types),
      ms(r.first.typesCpu),
      ms(r.first.hash),
      count(r.coldGc.count),
      ms(r.coldGc.ms),
      ms(r.medians.compile),
      ms(r.medians.types),
      r.warmGc.count.toFixed(1),
      ms(r.warmGc.ms),
    ]),
    notes: [
      'parse+check, TS+Go+Py, hash = the first run in a fresh process, JIT cold; warm = the median of the runs after it (as below)',
      'its CPU = the CPU time of the whole process over the same span (every thread: JIT compiler and GC helpers too), steadier than wall time on a busy machine',
      'TS+Go+Py = parse+check and the TypeScript, Go and Python generators; hash = canonical JSON and its sha256 (what db:sync adds)',
      'GCs, GC pause = garbage collections during that first run and their total pause (PerformanceObserver "gc"); warm = per run, on average',
    ],
  })
}

function printPipeline(results) {
  const labels = GENERATORS.map(([label]) => label)
  const missing = results[0].missing
  const notes = [
    `median of ${results.map((r) => `${r.runs}`).join('/')} runs after one unmeasured first run (its total is "first run", JIT still cold); each size in a fresh process`,
    'total = the median of each run\'s whole pipeline (parse+check and every generator)',
    'TS+Go+Py = parse+check and the TypeScript, Go and Python generators: what the target applies to (GraphQL is an optional target)',
    `per model = total / models; ${scaling(results)}`,
    'peak RSS = the process high-water mark (resourceUsage().maxRSS), including Node itself; RSS at start = before the schema was built',
  ]
  if (missing.length) notes.push(`not measured (not exported by dist/index.js yet): ${missing.join(', ')}`)
  printTable({
    title: 'Schema language, warm process: compileSchema (parse + check) and code generation, synthetic schemas',
    columns: ['models', 'source', 'parse+check', ...labels, 'total', 'TS+Go+Py', 'per model', 'first run', 'RSS at start', 'peak RSS', 'target (TS+Go+Py)'],
    rows: results.map((r) => [
      count(r.size),
      bytes(r.sourceBytes),
      ms(r.medians.compile),
      ...labels.map((l) => ms(r.medians[l])),
      ms(r.medians.total),
      ms(r.medians.types),
      us((r.medians.total * 1000) / r.size),
      ms(r.first.total),
      mb(r.rssBefore),
      mb(r.peakRss),
      TARGETS[r.size] ? target(r.medians.types, TARGETS[r.size]) : '-',
    ]),
    notes,
  })
}

/** How the per-model cost moves from 1,000 models up (below that, fixed costs dominate). */
function scaling(results) {
  const large = results.filter((r) => r.size >= 1000)
  if (large.length < 2) return 'too few sizes of 1,000+ models to judge growth'
  const ratio = growth(large.map((r) => ({ size: r.size, value: r.medians.total })))
  const shape = ratio < 1.3 ? 'linear' : ratio < 2 ? 'slightly worse than linear' : 'worse than linear'
  return `from ${count(large[0].size)} to ${count(large.at(-1).size)} models the per-model cost changes ${ratio.toFixed(2)}× (1.00× = linear): ${shape}`
}

function printColdStart() {
  const cli = distFile('okra.cjs')
  const rows = []
  const notes = ['median of 10 spawns after one unmeasured spawn; wall time from spawn to exit']
  const baseline = spawnTimes(process.execPath, ['-e', '0'])
  rows.push(['node -e 0 (Node alone, for reference)', ms(baseline.median), '-'])
  if (!cli) {
    notes.push('dist/okra.cjs not found (run npm run build): okra --version not measured')
  } else {
    const run = spawnTimes(process.execPath, [cli, '--version'])
    const ok = run.status === 0
    rows.push(['node dist/okra.cjs --version', ms(run.median), ok ? target(run.median, VERSION_TARGET) : `failed (exit ${run.status})`])
    if (ok) notes.push(`printed: ${run.stdout.trim()}`)
    else notes.push(`stderr: ${(run.stderr || '').trim().split('\n')[0]}`)
  }
  printTable({ title: 'CLI cold start', columns: ['command', 'median', 'target'], rows, notes })
}
