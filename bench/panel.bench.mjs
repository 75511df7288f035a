/**
 * The dev panel on synthetic schemas of 10 to 500 models, measured on the BUILT package:
 *
 * 1. Node, each size in a fresh process: the diagram data (buildDiagram), the state a change costs the
 *    server (GET api/state after a new schema: hash, diagram, masking, JSON), and the layout
 *    (dist/panel/ui/layout.js, the very code the page runs), with peak memory.
 * 2. Headless Chromium (when /usr/bin/chromium or OKRA_TEST_CHROMIUM exists): the first paint of the
 *    page, from navigation to the diagram drawn, by the page's own clock.
 * 3. A real Vite dev server (createServer, the built plugin dist/vite.js) on a synthetic project of 100
 *    models: from a save of a schema file to the panel's Server-Sent Event that carries the new field
 *    (Vite's watcher, the compile, the types written, the state made and sent), and, in Chromium, to the
 *    new field drawn in the open page.
 *
 * Target: the first paint of a 200-model diagram < 1 s.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { createServer, get } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { bytes, childTask, count, distFile, loadBuilt, mb, median, ms, printTable, runInChild, startViteWithOkra, syntheticSources, target } from './lib/index.mjs'

const SIZES = [10, 100, 200, 500]
const FIRST_PAINT_TARGET = 1000
const FIRST_PAINT_SIZE = 200
const runsFor = (n) => (n >= 500 ? 7 : 15)
const PAGE_LOADS = 5
const CHROMIUM = process.env.OKRA_TEST_CHROMIUM ?? '/usr/bin/chromium'
const SAVE_SIZE = 100
const SAVES = 15

async function loadPanel() {
  const { api, reason } = await loadBuilt(['compileSchema'])
  const server = distFile('panel/index.js')
  const layout = distFile('panel/ui/layout.js')
  if (!api.compileSchema || !server || !layout) return { skipped: reason ?? 'dist/panel/index.js or dist/panel/ui/layout.js not built (run npm run build)' }
  return {
    compileSchema: api.compileSchema,
    panel: await import(pathToFileURL(server).href),
    layout: await import(pathToFileURL(layout).href),
  }
}

/** A PanelSource whose schema the bench replaces. */
function memorySource(schema) {
  const listeners = new Set()
  const snapshot = {
    schema,
    problem: null,
    project: { name: 'bench', env: 'local', provider: 'sqlite', database: 'sqlite://dev.db', autoSync: 'on', schemaFiles: [], generate: {} },
    pending: null,
    syncLog: [],
    consents: [],
  }
  return {
    current: () => snapshot,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    decide: async () => undefined,
    replaceSchema(next) {
      snapshot.schema = next
      for (const listener of listeners) listener()
    },
  }
}

async function startServer(panel, source) {
  const handler = panel.createPanelHandler(source)
  const server = createServer((req, res) => handler(req, res))
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}${handler.base}`,
    async close() {
      handler.close()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

function fetchText(url) {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve(body))
    }).on('error', reject)
  })
}

/** In the child: one size. */
async function measure({ size }) {
  const loaded = await loadPanel()
  if (loaded.skipped) return { skipped: loaded.skipped }
  const { compileSchema, panel, layout } = loaded
  const { schema } = compileSchema(syntheticSources(size))
  if (!schema || schema.models.length !== size) throw new Error(`the synthetic schema of ${size} models does not compile`)
  const runs = runsFor(size)

  const timesOf = (fn) => {
    const first = performance.now()
    let result = fn()
    const firstMs = performance.now() - first
    const samples = []
    for (let i = 0; i < runs; i++) {
      const start = performance.now()
      result = fn()
      samples.push(performance.now() - start)
    }
    return { first: firstMs, median: median(samples), result }
  }

  const diagram = timesOf(() => panel.buildDiagram(schema))
  const laidOut = timesOf(() => layout.layoutDiagram(diagram.result))

  // What a schema change costs the server: the next GET api/state builds the state anew (a fresh schema object, as after a save).
  const source = memorySource(schema)
  const server = await startServer(panel, source)
  const stateTimes = []
  let stateBytes = 0
  let stateFirst = 0
  try {
    for (let i = 0; i <= runs; i++) {
      source.replaceSchema(structuredClone(schema))
      const start = performance.now()
      const body = await fetchText(`${server.url}api/state`)
      const elapsed = performance.now() - start
      if (i === 0) stateFirst = elapsed
      else stateTimes.push(elapsed)
      stateBytes = Buffer.byteLength(body)
    }
  } finally {
    await server.close()
  }
  return {
    runs,
    boxes: diagram.result.nodes.length,
    edges: diagram.result.edges.length,
    diagramMs: diagram.median,
    diagramFirst: diagram.first,
    stateMs: median(stateTimes),
    stateFirst,
    stateBytes,
    layoutMs: laidOut.median,
    layoutFirst: laidOut.first,
    area: `${count(Math.round(laidOut.result.width))} × ${count(Math.round(laidOut.result.height))}`,
  }
}

/** The page's first paint (navigation to diagram drawn, by the page's clock), over several fresh page loads. */
async function firstPaints(loaded) {
  const { chromium } = await import('playwright-core')
  const profile = mkdtempSync(join(tmpdir(), 'okra-bench-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1600, height: 1000 },
  })
  const rows = []
  try {
    for (const size of SIZES) {
      const { schema } = loaded.compileSchema(syntheticSources(size))
      const server = await startServer(loaded.panel, memorySource(schema))
      const samples = { paint: [], layout: [], draw: [] }
      try {
        for (let i = 0; i <= PAGE_LOADS; i++) {
          const page = await context.newPage()
          await page.goto(server.url)
          await page.waitForFunction(`document.querySelectorAll('svg.diagram g.node.model').length === ${size}`)
          const paint = Number(await page.locator('body').getAttribute('data-first-paint'))
          const layoutMs = Number(await page.locator('svg.diagram').getAttribute('data-layout-ms'))
          const draw = Number(await page.locator('svg.diagram').getAttribute('data-render-ms'))
          await page.close()
          // The first load also warms the server's state for this schema.
          if (i === 0) continue
          samples.paint.push(paint)
          samples.layout.push(layoutMs)
          samples.draw.push(draw)
        }
      } finally {
        await server.close()
      }
      rows.push({ size, paint: median(samples.paint), layout: median(samples.layout), draw: median(samples.draw), worst: Math.max(...samples.paint) })
    }
  } finally {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
  }
  return rows
}

/**
 * In the child: a Vite dev server with the built plugin over a synthetic project; `SAVES` saves, each
 * adding a field to one model, timed to the SSE event that carries it (and to the row drawn in Chromium).
 */
async function saveToPanel({ size }) {
  const vitePlugin = distFile('vite.js')
  if (!vitePlugin) return { skipped: 'dist/vite.js not built (run npm run build)' }
  const root = mkdtempSync(join(tmpdir(), 'okra-bench-panel-vite-'))
  const sources = syntheticSources(size, { dir: 'schema', modelsPerFile: 25 })
  for (const source of sources) {
    mkdirSync(join(root, 'schema'), { recursive: true })
    writeFileSync(join(root, source.path), source.text)
  }
  writeFileSync(
    join(root, 'okra.config.json'),
    JSON.stringify({ database: { provider: 'sqlite', url: 'sqlite://./dev.db', schemas: ['./schema/*.okra.gql'] }, generate: { typescript: { out: './src/generated/models.ts' } } }),
  )
  const { server, lines } = await startViteWithOkra(root, vitePlugin)
  const panel = `${new URL(server.resolvedUrls.local[0]).origin}/__okra/`
  const events = await followEvents(`${panel}api/events`)
  let browser
  try {
    await until(() => lines.some((line) => line.startsWith('[okra] synced:')), 30_000)
    // The page, open on the panel, as a developer has it.
    let page
    if (existsSync(CHROMIUM)) {
      const { chromium } = await import('playwright-core')
      const profile = mkdtempSync(join(tmpdir(), 'okra-bench-chromium-'))
      const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'], viewport: { width: 1600, height: 1000 } })
      browser = { context, profile }
      page = await context.newPage()
      await page.goto(panel)
      await page.waitForSelector('svg.diagram g.node.model')
      // Every state the page draws, with the time (by a clock shared with this process) it finished.
      await page.evaluate(() => {
        window.__drawn = []
        new MutationObserver(() => window.__drawn.push({ version: Number(document.body.dataset.version), at: performance.timeOrigin + performance.now() })).observe(document.body, {
          attributes: true,
          attributeFilter: ['data-version'],
        })
      })
    }
    const file = join(root, sources[0].path)
    // A model with a key of its own (the first ones may be mixins, which the diagram shows expanded).
    const model = /model (\w+) \{\n {2}id: /.exec(sources[0].text)[1]
    const sse = []
    const drawn = []
    for (let i = 0; i < SAVES; i++) {
      const field = `benchField${i}`
      const text = readFileSync(file, 'utf8').replace(`model ${model} {\n`, `model ${model} {\n  ${field}: String?\n`)
      const arrived = events.next((state) => state.diagram?.nodes.some((n) => n.name === model && n.rows.some((r) => r.name === field)))
      const syncsBefore = lines.filter((line) => line.startsWith('[okra] synced:')).length
      const start = performance.now()
      writeFileSync(file, text)
      const { state, at } = await arrived
      sse.push(at - performance.timeOrigin - start)
      if (page) {
        // The page draws a state (the diagram laid out again when the schema changed) before it records its
        // version; the time is taken in the page, by the same clock.
        await page.waitForFunction((version) => window.__drawn.some((d) => d.version >= version), state.version, { timeout: 30_000 })
        const drawnAt = await page.evaluate((version) => window.__drawn.find((d) => d.version >= version).at, state.version)
        drawn.push(drawnAt - performance.timeOrigin - start)
      }
      // Let the sync that follows the save finish before the next one.
      await until(() => lines.filter((line) => line.startsWith('[okra] synced:')).length > syncsBefore, 30_000)
    }
    return { sse: median(sse), sseMax: Math.max(...sse), drawn: drawn.length ? median(drawn) : null, drawnMax: drawn.length ? Math.max(...drawn) : null }
  } finally {
    events.close()
    if (browser) {
      await browser.context.close()
      rmSync(browser.profile, { recursive: true, force: true })
    }
    await server.close()
    rmSync(root, { recursive: true, force: true })
  }
}

/**
 * A client of the panel's `state` events in a process of its own (as a browser is: in this one, the dev
 * server's work after sending an event would delay reading it). Each state comes back with the time it
 * arrived (performance.timeOrigin + now, comparable across processes); `next(check)` resolves with the
 * first later one that passes, as `{ state, at }`.
 */
async function followEvents(url) {
  const script = `
    const { get } = require('node:http')
    let buffer = ''
    get(process.argv[1], (res) => {
      res.setEncoding('utf8').on('data', (chunk) => {
        const at = performance.timeOrigin + performance.now()
        buffer += chunk
        for (let end = buffer.indexOf('\\n\\n'); end !== -1; end = buffer.indexOf('\\n\\n')) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const data = /^data: (.*)$/m.exec(block)
          if (block.startsWith('event: state') && data) process.stdout.write(JSON.stringify({ at, state: JSON.parse(data[1]) }) + '\\n')
        }
      })
    })`
  const child = spawn(process.execPath, ['-e', script, url], { stdio: ['ignore', 'pipe', 'inherit'] })
  const waiting = new Set()
  let lines = ''
  let connected
  const first = new Promise((resolve) => (connected = resolve))
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    lines += chunk
    for (let end = lines.indexOf('\n'); end !== -1; end = lines.indexOf('\n')) {
      const event = JSON.parse(lines.slice(0, end))
      lines = lines.slice(end + 1)
      connected()
      for (const waiter of [...waiting]) {
        if (waiter.check(event.state)) {
          waiting.delete(waiter)
          waiter.resolve(event)
        }
      }
    }
  })
  await first // the stream's first event: the state as it is
  return {
    next: (check) => new Promise((resolve) => waiting.add({ check, resolve })),
    close: () => child.kill(),
  }
}

async function until(check, timeoutMs) {
  const started = Date.now()
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

if (!(await childTask(import.meta.url, (payload) => (payload.task === 'save' ? saveToPanel(payload) : measure(payload))))) await main()

async function main() {
  const results = []
  for (const size of SIZES) {
    const result = await runInChild(import.meta.url, { size })
    if (result.skipped) {
      console.log(`panel: skipped, ${result.skipped}\n`)
      return
    }
    results.push({ size, ...result })
  }
  printTable({
    title: 'Dev panel, in Node: diagram data, the state after a change, layout (synthetic schemas)',
    columns: ['models', 'boxes', 'edges', 'diagram', 'state (GET)', 'state size', 'layout', 'layout 1st run', 'laid-out area (px)', 'peak RSS'],
    rows: results.map((r) => [count(r.size), count(r.boxes), count(r.edges), ms(r.diagramMs), ms(r.stateMs), bytes(r.stateBytes), ms(r.layoutMs), ms(r.layoutFirst), r.area, mb(r.peakRss)]),
    notes: [
      `medians of ${results.map((r) => r.runs).join('/')} runs after one unmeasured first run; each size in a fresh process`,
      'diagram = buildDiagram(schema); state (GET) = GET api/state over HTTP after the schema changed (schema hash, diagram, masking, JSON)',
      'layout = layoutDiagram from dist/panel/ui/layout.js, the code the page runs (in the page the JIT is always cold: see "layout 1st run")',
      'peak RSS = the process high-water mark, including Node itself',
    ],
  })

  const save = await runInChild(import.meta.url, { task: 'save', size: SAVE_SIZE })
  if (save.skipped) console.log(`panel save-to-update: skipped, ${save.skipped}\n`)
  else {
    printTable({
      title: `Dev panel on a real Vite dev server, ${SAVE_SIZE} models: from a save to the panel's update`,
      columns: ['models', 'save → SSE event', 'worst', 'save → drawn in the page', 'worst', 'peak RSS'],
      rows: [[count(SAVE_SIZE), ms(save.sse), ms(save.sseMax), save.drawn === null ? '-' : ms(save.drawn), save.drawnMax === null ? '-' : ms(save.drawnMax), mb(save.peakRss)]],
      notes: [
        `median of ${SAVES} saves, each adding a field to one model of a ${SAVE_SIZE}-model synthetic schema in 4 files; the built plugin (dist/vite.js) under createServer from vite`,
        "save → SSE event: writeFileSync to the panel's `state` event carrying the new field, read by a client of api/events in another process (Vite's watcher, the compile, the types written, the state made and sent)",
        "save → drawn in the page: the same save to the open page having drawn that state (headless Chromium; the whole diagram laid out again and redrawn), taken by the page's clock; times across processes are performance.timeOrigin + now",
        'peak RSS is the Node process with Vite, not the browser',
      ],
    })
  }

  if (!existsSync(CHROMIUM)) {
    console.log(`panel first paint: skipped, no Chromium at ${CHROMIUM} (apt-get install chromium, or set OKRA_TEST_CHROMIUM)\n`)
    return
  }
  const loaded = await loadPanel()
  const paints = await firstPaints(loaded)
  printTable({
    title: 'Dev panel, in headless Chromium: first paint of the diagram',
    columns: ['models', 'first paint', 'of which layout', 'of which drawing', 'worst load', 'target'],
    rows: paints.map((r) => [count(r.size), ms(r.paint), ms(r.layout), ms(r.draw), ms(r.worst), r.size === FIRST_PAINT_SIZE ? target(r.paint, FIRST_PAINT_TARGET) : '-']),
    notes: [
      `median of ${PAGE_LOADS} fresh page loads after one unmeasured load; first paint = navigation start to the diagram drawn (the page's performance.now())`,
      'the page is served with its state inside; the layout runs in the page, so its JIT is cold on every load',
    ],
  })
}
