/**
 * The dev loop as a developer meets it: a real Vite dev server (createServer from vite, the built plugin
 * dist/vite.js) over a synthetic project of 100 models in 4 files, SQLite. A schema file is saved (one new
 * field) in the two ways editors save:
 * - by rename: the new text written to a temporary file that is renamed over the schema file (atomic save);
 * - in place: the file rewritten.
 * Timed from the save to the generated types file containing the field, and to the column existing in the
 * SQLite file, with `syncDebounce: 0` and with the default debounce. The observer runs in a process of its
 * own (as an editor and a database client are), polling every millisecond, on a clock shared with this one.
 *
 * Goals: types on disk <= 30 ms; SQLite synced <= 50 ms after the debounce.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { distFile, median, ms, printTable, projectRoot, startViteWithOkra, syntheticSources } from './lib/index.mjs'

const SIZE = 100
const SAVES = 7
const DEFAULT_DEBOUNCE = 500 // src/config/load.ts DEFAULTS.syncDebounce
const GOALS = { types: 30, synced: 50 }

const vitePlugin = distFile('vite.js')
if (!vitePlugin) {
  console.log('dev-server: skipped (dist/vite.js is not built)')
  process.exit(0)
}
const betterSqlite = createRequire(join(projectRoot, 'package.json')).resolve('better-sqlite3')

/** The observer: told a field, a types file, a database and a table, it reports when each first shows the field. */
const OBSERVER = `
const Database = require(${JSON.stringify(betterSqlite)})
const { readFileSync } = require('node:fs')
const sleep = (n) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, n)
const now = () => performance.timeOrigin + performance.now()
let buffer = ''
process.stdin.setEncoding('utf8').on('data', (chunk) => {
  buffer += chunk
  let nl
  while ((nl = buffer.indexOf('\\n')) >= 0) {
    const job = JSON.parse(buffer.slice(0, nl))
    buffer = buffer.slice(nl + 1)
    const db = new Database(job.db, { readonly: true, fileMustExist: true })
    let types, column
    const deadline = now() + 30000
    while ((types === undefined || column === undefined) && now() < deadline) {
      if (types === undefined) { try { if (readFileSync(job.types, 'utf8').includes(job.field)) types = now() } catch {} }
      if (column === undefined) { try { if (db.pragma('table_info(' + JSON.stringify(job.table) + ')').some((c) => c.name === job.column)) column = now() } catch {} }
      sleep(1)
    }
    db.close()
    process.stdout.write(JSON.stringify({ types, column }) + '\\n')
  }
})
`

function startObserver() {
  const child = spawn(process.execPath, ['-e', OBSERVER], { stdio: ['pipe', 'pipe', 'inherit'] })
  let buffer = ''
  const waiting = []
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    buffer += chunk
    let nl
    while ((nl = buffer.indexOf('\n')) >= 0) {
      waiting.shift()(JSON.parse(buffer.slice(0, nl)))
      buffer = buffer.slice(nl + 1)
    }
  })
  return {
    watch: (job) => new Promise((resolve) => { waiting.push(resolve); child.stdin.write(JSON.stringify(job) + '\n') }),
    close: () => child.kill(),
  }
}

const until = async (check, timeoutMs) => {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 5))
  }
}

async function measure(debounce) {
  const root = mkdtempSync(join(tmpdir(), 'okra-bench-dev-'))
  const sources = syntheticSources(SIZE, { dir: 'schema', modelsPerFile: 25 })
  mkdirSync(join(root, 'schema'))
  for (const source of sources) writeFileSync(join(root, source.path), source.text)
  const development = debounce === undefined ? {} : { syncDebounce: debounce }
  writeFileSync(
    join(root, 'okra.config.json'),
    JSON.stringify({ database: { provider: 'sqlite', url: 'sqlite://./dev.db', schemas: ['./schema/*.okra.gql'], migrations: { development } }, generate: { typescript: { out: './src/generated/models.ts' } } }),
  )
  const { server, lines } = await startViteWithOkra(root, vitePlugin)
  const observer = startObserver()
  const result = { rename: { types: [], column: [] }, inPlace: { types: [], column: [] } }
  try {
    await until(() => lines.some((line) => line.startsWith('[okra] synced:')), 60_000)
    // Vite's watcher scans the project before it reports changes; a developer saves seconds after start too.
    await new Promise((r) => setTimeout(r, 2000))
    const file = join(root, sources[0].path)
    const model = /model (\w+) \{\n {2}id: /.exec(sources[0].text)[1]
    const tableName = await tableOf(root, model)
    for (let i = 0; i < 2 * SAVES; i++) {
      const mode = i % 2 === 0 ? 'rename' : 'inPlace'
      const field = `benchField${i}`
      const text = readFileSync(file, 'utf8').replace(`model ${model} {\n`, `model ${model} {\n  ${field}: String?\n`)
      const syncsBefore = lines.filter((line) => line.startsWith('[okra] synced:')).length
      const seen = observer.watch({ field, types: join(root, 'src/generated/models.ts'), db: join(root, 'dev.db'), table: tableName, column: snake(field) })
      await new Promise((r) => setTimeout(r, 20)) // the observer is polling
      const start = performance.timeOrigin + performance.now()
      if (mode === 'rename') {
        writeFileSync(`${file}.tmp~`, text)
        renameSync(`${file}.tmp~`, file)
      } else writeFileSync(file, text)
      const { types, column } = await seen
      if (types === undefined || column === undefined) throw new Error(`save ${i} (${mode}): the ${types === undefined ? 'types file' : 'column'} never showed ${field}`)
      result[mode].types.push(types - start)
      result[mode].column.push(column - start)
      await until(() => lines.filter((line) => line.startsWith('[okra] synced:')).length > syncsBefore, 30_000)
      await new Promise((r) => setTimeout(r, 100)) // Vite's watcher settles
    }
  } finally {
    observer.close()
    await server.close()
    rmSync(root, { recursive: true, force: true })
  }
  return result
}

const snake = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()

/** The table a model is stored in, from the built compiler. */
async function tableOf(root, model) {
  const { compileSchema } = await import(pathToFileURL(distFile('index.js')).href)
  const dir = join(root, 'schema')
  const sources = readdirSync(dir).map((f) => ({ path: `schema/${f}`, text: readFileSync(join(dir, f), 'utf8') }))
  return compileSchema(sources).schema.models.find((m) => m.name === model).table
}

const rows = []
for (const debounce of [0, undefined]) {
  const load = loadavg().map((l) => l.toFixed(2)).join(' ')
  const r = await measure(debounce)
  const wait = debounce ?? DEFAULT_DEBOUNCE
  for (const mode of ['rename', 'inPlace']) {
    const types = median(r[mode].types)
    const column = median(r[mode].column)
    rows.push([
      `${wait} ms${debounce === undefined ? ' (default)' : ''}`,
      mode === 'rename' ? 'rename (atomic)' : 'in place',
      ms(types),
      ms(Math.max(...r[mode].types)),
      types <= GOALS.types ? `✓ ≤ ${GOALS.types} ms` : `✗ > ${GOALS.types} ms`,
      ms(column),
      ms(column - wait),
      column - wait <= GOALS.synced ? `✓ ≤ ${GOALS.synced} ms` : `✗ > ${GOALS.synced} ms`,
      load,
    ])
  }
}
printTable({
  title: `Save to types and save to column in a real Vite dev server (${SIZE} models in 4 files, SQLite; median of ${SAVES} saves each way)`,
  columns: ['syncDebounce', 'save', 'types on disk', 'max', 'goal', 'column exists', 'after debounce', 'goal', 'load avg'],
  rows,
  notes: ['timed from the save (rename or write returning) to the field seen in the types file / the column in PRAGMA table_info, by another process polling every 1 ms'],
})
