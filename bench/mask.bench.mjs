/**
 * maskUrl, which every byte the CLI writes now passes through (and the renderer, the panel, --json): the
 * cost per output document as it grows, with passwords that hold spaces and `@`, and the worst line it can
 * meet (one long line full of `@`, where a naive scan would be quadratic). Peak memory of the largest case.
 */
import { childTask, growth, loadBuilt, mb, ms, printTable, runInChild, sample } from './lib/index.mjs'

const SIZES = [100, 1_000, 10_000]

/** A pretty-printed JSON document of `n` migrations, each line quoting the database URL (like migrate:status --json). */
function statusDocument(n) {
  const migrations = Array.from({ length: n }, (_, i) => ({ id: `20240101_${String(i).padStart(6, '0')}_step`, status: 'applied', url: 'postgres://app:pa ss@w0rd_S3CRET@db.internal:5432/app?schema=tenant' }))
  return JSON.stringify({ ok: true, url: 'postgres://app:***@db.internal:5432/app', migrations }, null, 2)
}

/** One line of `n` addresses with `@` and no host after most of them. */
function atLine(n) {
  return 'postgres://u:' + Array.from({ length: n }, (_, i) => `part${i}@`).join('') + 'host/db'
}

await childTask(import.meta.url, async ({ kind, n }) => {
  const { api } = await loadBuilt(['maskUrl'])
  const text = kind === 'document' ? statusDocument(n) : atLine(n)
  const { median } = await sample(() => api.maskUrl(text), { runs: 7, warmup: 2 })
  return { median, chars: text.length }
})

const { api, reason } = await loadBuilt(['maskUrl'])
if (!api.maskUrl) {
  console.log(`mask: skipped (${reason ?? 'maskUrl is not exported by dist/index.js'})`)
  process.exit(0)
}
const rows = []
for (const kind of ['document', 'line']) {
  const points = []
  for (const n of SIZES) {
    const r = await runInChild(import.meta.url, { kind, n })
    points.push({ size: r.chars, value: r.median })
    rows.push([kind === 'document' ? `--json of ${n} migrations` : `one line, ${n} @`, (r.chars / 1e6).toFixed(2), ms(r.median), ((r.chars / 1e6) / (r.median / 1000)).toFixed(0), mb(r.peakRss)])
  }
  rows.push([`  growth per char (${kind})`, '', growth(points).toFixed(2), '', ''])
}
printTable({
  title: 'maskUrl over CLI output (median of 7)',
  columns: ['input', 'MB', 'time', 'MB/s', 'peak RSS'],
  rows,
  notes: ['growth per char: 1.0 is linear in the size of the text'],
})
