/**
 * V8's code cache for the `okra` program. A fresh Node process parses and compiles every function of the
 * CLI it calls before running it, and for a command that takes a few milliseconds of real work that
 * compiling is most of the time. V8 can hand back what it compiled (`createCachedData`) and take it again
 * in the next process (`cachedData`), as Node 22's `module.enableCompileCache()` does for modules; Node 20
 * has only the `vm.Script` form, which needs one CommonJS file, so the CLI is built as one (dist/cli.cjs).
 *
 * One cache file per writing of the CLI file (V8 itself checks only the source's length, so a patched
 * dist/cli.cjs of the same length must not meet the old code: see fileIdentity), Node version and command,
 * so each command's file holds the functions that command runs, in a folder of this user's own under the
 * system's temporary directory (`okra-<uid>`, like Node's cache). V8 checks each file against its own version and flags
 * and compiles anew when they differ or the file is damaged; a folder another user could write to is never
 * used, as its files would be code this process runs. Writing a file removes those written over two weeks
 * ago (a command still in use writes its own again on its next run), so old builds leave nothing behind for
 * long. OKRA_NO_COMPILE_CACHE=1 turns the cache off.
 */
import { lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import Module, { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { Script } from 'node:vm'

const STALE_MS = 14 * 24 * 3600 * 1000

/**
 * This user's folder for OKRA's code caches and its daemon's socket (src/daemon), or undefined when it cannot
 * be made ours alone: its files are code this process runs, or a door to a process that runs commands.
 */
export function userFolder(): string | undefined {
  const uid = process.getuid?.()
  const dir = join(tmpdir(), `okra-${uid ?? 'user'}`)
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const stat = lstatSync(dir)
    const ours = stat.isDirectory() && (uid === undefined || (stat.uid === uid && (stat.mode & 0o022) === 0))
    return ours ? dir : undefined
  } catch {
    return undefined
  }
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file)
  } catch {
    return undefined
  }
}

/** Written whole or not at all (a reader in another process never sees half a file); old files go. */
function writeCache(dir: string, file: string, data: Buffer): void {
  try {
    const temporary = `${file}.${process.pid}.tmp`
    writeFileSync(temporary, data, { mode: 0o600 })
    renameSync(temporary, file)
    const now = Date.now()
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (name.endsWith('.v8') && path !== file && now - statSync(path).mtimeMs > STALE_MS) rmSync(path, { force: true })
    }
  } catch {
    // A cache that cannot be written costs the next run its compile time, nothing else.
  }
}

/**
 * Which file, and which writing of it: its device and inode, size and status-change time. The kernel sets
 * the change time at every write, rename and chmod, and no ordinary tool sets it back (unlike the
 * modification time, which npm sets to one fixed date in every installed file), so a patched or reinstalled
 * CLI file never meets the old code, as a hash of its content would ensure too, but a hash of the 1 MB file
 * costs each command 1.5 ms and this one stat call 0.1 ms.
 */
export function fileIdentity(file: string): string {
  const { dev, ino, size, ctimeNs } = statSync(file, { bigint: true })
  return [dev, ino, size, ctimeNs].map((n) => n.toString(36)).join('.')
}

/** The optional code paths this process took (see usedCodePath); on globalThis, as the CLI and the bin are bundled apart. */
function codePathsTaken(): Set<string> {
  const key = Symbol.for('okra.code-paths')
  const global = globalThis as { [key]?: Set<string> }
  global[key] ??= new Set()
  return global[key]
}

/**
 * Says that this run takes an optional code path of a command (`compiler`: the schema was compiled, not read
 * from the compiled-schema cache). A code cache holds only the functions its runs called, so one made by a
 * run without that path would leave it to be compiled afresh by every later run that takes it: such a run
 * rewrites the cache, with what it had and the new path's code.
 */
export function usedCodePath(name: string): void {
  codePathsTaken().add(name)
}

/** A cache file: `okra-code-cache <paths taken by the runs it holds>` on one line, then V8's data. */
const HEADER = 'okra-code-cache '

function parseCache(file: Buffer | undefined): { paths: Set<string>; data: Buffer } | undefined {
  const end = file?.indexOf(10) ?? -1
  if (!file || end < 0 || file.toString('latin1', 0, HEADER.length) !== HEADER) return undefined
  const paths = file.toString('latin1', HEADER.length, end)
  return { paths: new Set(paths ? paths.split(',') : []), data: file.subarray(end + 1) }
}

/**
 * `require(file)` for a CommonJS file, compiled with the code cache of its content and `key` (the command).
 * The cache is written when the process ends with exit code 0 and had no usable cache, or took a code path
 * the cache's runs did not (`trackPaths`, see usedCodePath): after a successful run, so it holds what a
 * whole command compiled.
 */
export function requireWithCodeCache(file: string, key: string, { trackPaths = false } = {}): unknown {
  const dir = process.env.OKRA_NO_COMPILE_CACHE === '1' ? undefined : userFolder()
  if (!dir) return createRequire(file)(file)
  const source = readFileSync(file, 'utf8')
  const safeKey = key.replace(/[^a-z0-9-]/gi, '_').slice(0, 40)
  const cacheFile = join(dir, `${fileIdentity(file)}-${process.version}-${process.arch}-${safeKey}.v8`)
  const cached = parseCache(readCache(cacheFile))
  const script = new Script(Module.wrap(source), { filename: file, cachedData: cached?.data })
  const usable = cached !== undefined && !script.cachedDataRejected
  process.once('exit', (code) => {
    if (code !== 0) return
    const paths = new Set([...(usable ? cached.paths : []), ...(trackPaths ? codePathsTaken() : [])])
    if (usable && paths.size === cached.paths.size) return
    writeCache(dir, cacheFile, Buffer.concat([Buffer.from(`${HEADER}${[...paths].sort().join(',')}\n`, 'latin1'), script.createCachedData()]))
  })
  // What Node gives a CommonJS file: its module, a require that resolves from it, its file and folder names.
  const module = new Module(file)
  module.filename = file
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file))
  module.loaded = true
  return module.exports
}
