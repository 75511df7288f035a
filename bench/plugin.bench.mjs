/**
 * The plugin's dev loop and its cost in a production build, measured on the BUILT package:
 *
 * 1. Save-to-types and save-to-synced latency at 10, 100 and 1,000 models: `okra dev` (the plugin's
 *    bundler-free context with its own watcher) on a SQLite dev database, syncDebounce 0. Each save adds
 *    one field; the clock runs from the write of the file to the types written, and to the column in the
 *    database. The in-process parts (compile + generate + write; the sync itself) are shown beside them.
 * 2. `vite build` of the playground with the plugin and without it (the virtual module then aliased to
 *    the same module pre-generated), each build a fresh process, alternating.
 *
 * Targets at 100 models: types < 20 ms, SQLite synced < 30 ms; the plugin adds < 5% to `vite build`.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { childTask, distFile, loadBuilt, median, ms, printTable, projectRoot, runInChild, syntheticSources, target } from './lib/index.mjs'

const SIZES = [10, 100, 1000]
const TYPES_TARGET = 20
const SYNC_TARGET = 30
const VITE_OVERHEAD_TARGET = 0.05
const VITE_RUNS = 7
const savesFor = (size) => (size >= 1000 ? 7 : 15)
/** Saves before the measured ones: a dev session is warm after its first few saves (the JIT has compiled the compiler). */
const WARMUP_SAVES = 5

const silent = { info() {}, warn() {}, error() {} }

/** Resolves with the next `event` of the context. */
function next(context, event) {
  return new Promise((resolve) => {
    const off = context.on(event, (...args) => {
      off()
      resolve(args[0])
    })
  })
}

/** The probe model each save grows by one optional field. */
function probe(fields) {
  return `model BenchProbe {\n  id: Int! @default(autoincrement)\n${Array.from({ length: fields }, (_, i) => `  note${i + 1}: String?\n`).join('')}}\n`
}

/** In the child: a dev session on `size` models, then timed saves. */
async function latency({ size }) {
  const { api, reason } = await loadBuilt(['dev'])
  if (!api.dev) return { skipped: reason ?? '`dev` is not exported by dist/index.js yet' }
  const root = mkdtempSync(join(tmpdir(), 'okra-bench-plugin-'))
  try {
    for (const source of syntheticSources(size, { dir: 'schema' })) {
      mkdirSync(join(root, 'schema'), { recursive: true })
      writeFileSync(join(root, source.path), source.text)
    }
    writeFileSync(join(root, 'schema', 'probe.okra.gql'), probe(0))
    writeFileSync(join(root, 'okra.config.json'), JSON.stringify({ database: { url: 'sqlite://./dev.db', schemas: ['schema/*.okra.gql'] } }))
    const session = await api.dev({ cwd: root, processEnv: {}, syncDebounce: 0, dts: 'okra.d.ts', logger: silent })
    const { context } = session
    const first = await next(context, 'synced')
    if (first.error) throw new Error(`the first sync failed: ${first.error.text}`)

    const saves = []
    const total = WARMUP_SAVES + savesFor(size)
    for (let i = 1; i <= total; i++) {
      const types = next(context, 'types')
      const synced = next(context, 'synced')
      const start = performance.now()
      writeFileSync(join(root, 'schema', 'probe.okra.gql'), probe(i))
      const written = await types
      const typesAt = performance.now()
      const outcome = await synced
      const syncedAt = performance.now()
      if (outcome.error) throw new Error(`sync ${i} failed: ${outcome.error.text}`)
      if (outcome.result.summaries[0] !== `+ Added field 'note${i}' to BenchProbe`) throw new Error(`unexpected sync: ${outcome.result.summaries.join(', ')}`)
      if (i > WARMUP_SAVES) saves.push({ types: typesAt - start, synced: syncedAt - start, compile: written.ms, sync: outcome.ms })
    }
    await session.stop()
    const pick = (key) => median(saves.map((s) => s[key]))
    return { size, saves: saves.length, types: pick('types'), synced: pick('synced'), compile: pick('compile'), sync: pick('sync') }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

/**
 * In the child: one `vite build` of the prepared playground copy, timed from before vite is imported.
 * With the plugin, also how long importing it took and how long its buildStart (load, validate,
 * generate, drift check) held the build.
 */
async function viteBuild({ root, withPlugin }) {
  const start = performance.now()
  const { build } = await import('vite')
  const plugins = []
  let importMs = 0
  let buildStartMs = 0
  if (withPlugin) {
    const importStart = performance.now()
    const plugin = (await import(pathToFileURL(distFile('vite.js')).href)).default()
    importMs = performance.now() - importStart
    const buildStart = plugin.buildStart
    plugin.buildStart = async function (...args) {
      const hookStart = performance.now()
      await buildStart.apply(this, args)
      buildStartMs = performance.now() - hookStart
    }
    plugins.push(plugin)
  }
  const alias = withPlugin ? {} : { 'virtual:okra/models': join(root, 'virtual-models.js') }
  await build({ root, configFile: false, logLevel: 'silent', plugins, resolve: { alias }, build: { outDir: join(root, withPlugin ? 'dist-with' : 'dist-without'), emptyOutDir: true } })
  return { ms: performance.now() - start, importMs, buildStartMs }
}

if (!(await childTask(import.meta.url, (payload) => (payload.task === 'vite' ? viteBuild(payload) : latency(payload))))) await main()

async function main() {
  const rows = []
  for (const size of SIZES) {
    const result = await runInChild(import.meta.url, { task: 'latency', size })
    if (result.skipped) {
      console.log(`plugin: skipped, ${result.skipped}\n`)
      return
    }
    rows.push(result)
  }
  const at100 = rows.find((r) => r.size === 100)
  printTable({
    title: `Save to types and to synced (okra dev, SQLite, syncDebounce 0; medians after ${WARMUP_SAVES} warm-up saves)`,
    columns: ['models', 'saves', 'save → types', 'save → synced', 'compile+write', 'sync', 'types target', 'synced target'],
    rows: rows.map((r) => [
      r.size, r.saves, ms(r.types), ms(r.synced), ms(r.compile), ms(r.sync),
      r.size === 100 ? target(r.types, TYPES_TARGET) : '', r.size === 100 ? target(r.synced, SYNC_TARGET) : '',
    ]),
    notes: [
      'save → …: from writing the file to the types on disk / the column in dev.db (includes the file watcher).',
      'compile+write: parse, check, generate and write, in process; sync: plan, apply and record, in process.',
      at100 ? `100 models: types ${ms(at100.types)} (target < ${TYPES_TARGET} ms), synced ${ms(at100.synced)} (target < ${SYNC_TARGET} ms).` : '',
    ].filter(Boolean),
  })
  await viteOverhead()
}

async function viteOverhead() {
  if (!distFile('vite.js')) {
    console.log('plugin: vite build skipped, dist/vite.js not built\n')
    return
  }
  const root = mkdtempSync(join(tmpdir(), 'okra-bench-vite-'))
  try {
    const playground = join(projectRoot, 'playground')
    for (const path of ['index.html', 'src/main.ts', 'models.okra.gql', 'okra.config.json', 'migrations']) cpSync(join(playground, path), join(root, path), { recursive: true })
    const { api } = await loadBuilt(['compileSchema', 'generateVirtualModule'])
    const { readFileSync } = await import('node:fs')
    const { schema } = api.compileSchema([{ path: 'models.okra.gql', text: readFileSync(join(root, 'models.okra.gql'), 'utf8') }])
    writeFileSync(join(root, 'virtual-models.js'), api.generateVirtualModule(schema, { sources: ['models.okra.gql'] }))
    const times = { with: [], without: [], importMs: [], buildStartMs: [] }
    await runInChild(import.meta.url, { task: 'vite', root, withPlugin: true }) // warm the file cache
    await runInChild(import.meta.url, { task: 'vite', root, withPlugin: false })
    for (let i = 0; i < VITE_RUNS; i++) {
      const measured = await runInChild(import.meta.url, { task: 'vite', root, withPlugin: true })
      times.with.push(measured.ms)
      times.importMs.push(measured.importMs)
      times.buildStartMs.push(measured.buildStartMs)
      times.without.push((await runInChild(import.meta.url, { task: 'vite', root, withPlugin: false })).ms)
    }
    const withPlugin = median(times.with)
    const without = median(times.without)
    const overhead = (withPlugin - without) / without
    printTable({
      title: '`vite build` of the playground, fresh process each (medians)',
      columns: ['build', 'runs', 'time', 'plugin adds', 'target'],
      rows: [
        ['without the plugin', VITE_RUNS, ms(without), '', ''],
        ['with the plugin', VITE_RUNS, ms(withPlugin), `${ms(withPlugin - without)} (${(overhead * 100).toFixed(1)}%)`, target(overhead * 100, VITE_OVERHEAD_TARGET * 100, (v) => `${v.toFixed(0)}%`)],
      ],
      notes: [
        'Without the plugin, `virtual:okra/models` is aliased to the same module generated beforehand, so both builds bundle the same code.',
        `With it: importing unplugin-okra/vite (unplugin included) ${ms(median(times.importMs))}; its buildStart (config, parse, check, generate 3 targets + okra.d.ts, drift check) ${ms(median(times.buildStartMs))}.`,
      ],
    })
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}
