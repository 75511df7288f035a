/**
 * Runs one measurement in a fresh Node process, so sizes do not share a heap (no GC debt carried
 * over) and the process's peak memory (maxRSS) belongs to that measurement alone.
 *
 * A bench file calls `await childTask(import.meta.url, handler)` first: in the child it runs the
 * handler, prints its JSON result with the child's peak RSS, and exits; in the parent it returns false.
 * The parent then calls `runInChild(import.meta.url, payload)`.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const FLAG = '--okra-bench-child'
const RESULT = 'OKRA_BENCH_RESULT '

export async function childTask(moduleUrl, handler) {
  const at = process.argv.indexOf(FLAG)
  if (at === -1 || process.argv[1] !== fileURLToPath(moduleUrl)) return false
  const payload = JSON.parse(process.argv[at + 1])
  const rssBefore = process.memoryUsage().rss
  const result = await handler(payload)
  // resourceUsage().maxRSS is in kilobytes: the high-water mark of the whole process.
  const peakRss = process.resourceUsage().maxRSS * 1024
  process.stdout.write(`\n${RESULT}${JSON.stringify({ ...result, rssBefore, peakRss })}\n`)
  process.exit(0)
}

/** Spawns this module as a child with `payload`; resolves to the handler's result plus `rssBefore` and `peakRss` (bytes). */
export function runInChild(moduleUrl, payload, { timeoutMs = 10 * 60_000, nodeArgs = [] } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, fileURLToPath(moduleUrl), FLAG, JSON.stringify(payload)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT))
      if (code === 0 && line) return resolve(JSON.parse(line.slice(RESULT.length)))
      const why = signal ? `killed by ${signal}` : `exit code ${code}`
      reject(new Error(`benchmark child for ${JSON.stringify(payload)} failed (${why})\n${stdout.trim()}`))
    })
  })
}
