/** Cold-start timing of a command: each run is a fresh process, from spawn to exit. */
import { spawnSync } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { median } from './stats.mjs'

/**
 * Runs `command args` `runs` times (after `warmup` unmeasured runs, which fill the OS file cache)
 * and returns the median wall time (ms), every sample, and the last run's exit status and output.
 */
export function spawnTimes(command, args, { runs = 10, warmup = 1, cwd, env } = {}) {
  const samples = []
  let last
  for (let i = 0; i < warmup + runs; i++) {
    const start = performance.now()
    last = spawnSync(command, args, { cwd, env, encoding: 'utf8' })
    const elapsed = performance.now() - start
    if (i >= warmup) samples.push(elapsed)
  }
  return { median: median(samples), samples, status: last.status, stdout: last.stdout, stderr: last.stderr, error: last.error }
}
