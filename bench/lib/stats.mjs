/** Timing helpers: every figure a benchmark prints is a median of several runs, in milliseconds. */
import { performance } from 'node:perf_hooks'

export function median(values) {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Runs `fn` once and returns its result and how long it took (ms). */
export function timed(fn) {
  const start = performance.now()
  const result = fn()
  return { result, ms: performance.now() - start }
}

export async function timedAsync(fn) {
  const start = performance.now()
  const result = await fn()
  return { result, ms: performance.now() - start }
}

/**
 * Runs `fn` `warmup` times unmeasured (JIT, caches), then `runs` times measured.
 * `fn` may return a promise. Returns the median, min, max and every sample (ms).
 */
export async function sample(fn, { runs = 5, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i++) await fn()
  const samples = []
  for (let i = 0; i < runs; i++) samples.push((await timedAsync(fn)).ms)
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), samples }
}

/**
 * How a cost grows with size: the per-unit cost at the largest size divided by the per-unit cost at
 * the smallest size worth comparing (1.0 = perfectly linear, 2.0 = each unit costs twice as much).
 */
export function growth(points) {
  const usable = points.filter((p) => Number.isFinite(p.value) && p.size > 0)
  if (usable.length < 2) return NaN
  const first = usable[0]
  const last = usable[usable.length - 1]
  return last.value / last.size / (first.value / first.size)
}
