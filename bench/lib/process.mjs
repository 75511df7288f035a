/**
 * Whole-process measurements: one run of a command as a fresh process, its wall time, and when
 * /usr/bin/time (GNU time) is there, the CPU time (user + sys) and peak memory (maxRSS) the operating
 * system accounted to it and its children. Several commands are compared by ALTERNATING their runs
 * (A B A B ...), so a machine that slows down or speeds up midway weighs on both alike.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { median } from './stats.mjs'

const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null
const scratch = mkdtempSync(join(tmpdir(), 'okra-bench-time-'))
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }))

/** Whether CPU time and peak memory per process can be measured here. */
export const measuresCpu = GNU_TIME !== null

/**
 * Runs `command args` once. Returns { wall (ms), cpu (ms, user + sys, or NaN), maxrss (bytes, or NaN),
 * status, stdout, stderr }.
 */
export function runProcess(command, args, { cwd, env, timeoutMs = 10 * 60_000 } = {}) {
  const out = join(scratch, 'time.txt')
  const [file, argv] = GNU_TIME ? [GNU_TIME, ['-f', '%U %S %M', '-o', out, command, ...args]] : [command, args]
  const start = performance.now()
  const run = spawnSync(file, argv, { cwd, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 })
  const wall = performance.now() - start
  let cpu = NaN
  let maxrss = NaN
  if (GNU_TIME && existsSync(out)) {
    // GNU time prints "Command exited with non-zero status N" before the figures when the command failed.
    const figures = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number)
    cpu = (figures[0] + figures[1]) * 1000
    maxrss = figures[2] * 1024
    rmSync(out)
  }
  return { wall, cpu, maxrss, status: run.status, stdout: run.stdout ?? '', stderr: (run.stderr ?? '') + (run.error ? String(run.error) : '') }
}

/**
 * Runs each contender `runs` times, alternating (after `warmup` unmeasured rounds). A contender is
 * { name, before?(i), command, args, cwd, env, check?(result) }: `before` prepares run i (outside the
 * timing), `check` throws when a run did not do its work. Returns, per name, the medians of wall, cpu,
 * maxrss and the samples; a contender whose run fails is dropped with its error message.
 */
export function alternate(contenders, { runs = 5, warmup = 1 } = {}) {
  const results = new Map(contenders.map((c) => [c.name, { wall: [], cpu: [], maxrss: [], error: undefined }]))
  for (let i = 0; i < warmup + runs; i++) {
    for (const c of contenders) {
      const r = results.get(c.name)
      if (r.error) continue
      try {
        c.before?.(i)
        const run = runProcess(c.command, c.args, { cwd: c.cwd, env: c.env })
        if (run.status !== 0) throw new Error(`exit code ${run.status}: ${(run.stderr || run.stdout).trim().split('\n').slice(-3).join(' | ')}`)
        c.check?.(run)
        if (i < warmup) continue
        r.wall.push(run.wall)
        r.cpu.push(run.cpu)
        r.maxrss.push(run.maxrss)
      } catch (error) {
        r.error = error instanceof Error ? error.message : String(error)
      }
    }
  }
  const summary = {}
  for (const [name, r] of results) {
    summary[name] = r.error
      ? { error: r.error }
      : { wall: median(r.wall), cpu: median(r.cpu), maxrss: Math.max(...r.maxrss), walls: r.wall, cpus: r.cpu }
  }
  return summary
}

/** The median of the pairwise ratios b[i] / a[i] (how many times slower b is than a, run by run). */
export function pairedRatio(a, b) {
  if (!a || !b || a.length !== b.length || a.length === 0) return NaN
  return median(a.map((x, i) => b[i] / x))
}
