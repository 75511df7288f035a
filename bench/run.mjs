/**
 * `npm run bench`: runs every bench/*.bench.mjs in name order, each in its own Node process.
 * `node bench/run.mjs language` runs only the files whose name contains "language".
 * A bench whose capability is not built yet prints that it skipped and succeeds; a bench that
 * crashes makes the whole run exit 1 after the others have run.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

const benchDir = fileURLToPath(new URL('.', import.meta.url))
const filters = process.argv.slice(2)
const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()

if (files.length === 0) {
  console.error(`No bench/*.bench.mjs matches ${filters.join(', ') || 'anything'}.`)
  process.exit(1)
}

// The load average is printed because figures taken on a busy machine are not comparable.
const cpu = cpus()
console.log(
  `OKRA benchmarks: Node ${process.version}, ${process.platform}/${process.arch}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ` +
    `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`,
)

/** Median wall time of `node -e 0` in `env`, in ms. */
function nodeStart(env) {
  const times = []
  for (let i = 0; i < 7; i++) {
    const start = performance.now()
    spawnSync(process.execPath, ['-e', '0'], { env })
    times.push(performance.now() - start)
  }
  return times.sort((a, b) => a - b)[3]
}

// NODE_EXTRA_CA_CERTS makes every Node process (OKRA's and the peers' alike) read and parse that certificate
// file as it starts, before any of its code runs: on a sandbox that sets it for a proxy, 30 ms of every
// process, more than OKRA's own work in a short command. The whole-process benchmarks measure the tools,
// so they run without it, as on a developer's machine; OKRA_BENCH_KEEP_CA_CERTS=1 keeps it.
const env = { ...process.env }
if (env.NODE_EXTRA_CA_CERTS && env.OKRA_BENCH_KEEP_CA_CERTS !== '1') {
  const withCerts = nodeStart(env)
  // npm still needs it to reach the registry (bench/peers' first install): lib/peers.mjs gives it back there.
  env.OKRA_BENCH_NODE_EXTRA_CA_CERTS = env.NODE_EXTRA_CA_CERTS
  delete env.NODE_EXTRA_CA_CERTS
  console.log(
    `NODE_EXTRA_CA_CERTS is set here: node -e 0 takes ${withCerts.toFixed(1)} ms with it and ${nodeStart(env).toFixed(1)} ms without. ` +
      'The benchmarks run without it, for every tool (OKRA_BENCH_KEEP_CA_CERTS=1 keeps it).\n',
  )
}
const failed = []
for (const file of files) {
  console.log(`== ${file.replace(/\.bench\.mjs$/, '')} ==\n`)
  const { status, signal } = spawnSync(process.execPath, [join(benchDir, file)], { stdio: 'inherit', env })
  if (status !== 0) {
    failed.push(file)
    console.error(`${file} failed (${signal ? `killed by ${signal}` : `exit code ${status}`})\n`)
  }
}
if (failed.length) {
  console.error(`${failed.length} of ${files.length} benchmarks failed: ${failed.join(', ')}`)
  process.exit(1)
}
