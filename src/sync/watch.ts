/**
 * `okra db:sync --watch`: a thin loop over sync(). It syncs once, then again whenever a schema file (or
 * the config) is created, changed or removed: one sync at a time, and changes during a sync queue exactly
 * one more (the plugin's SerialQueue). A failing sync (a schema error, a change that needs consent) is
 * printed and the loop goes on. Ends on Ctrl-C or when `signal` aborts.
 */
import { dirname, join, resolve } from 'node:path'
import { hasMagic } from '../config/glob'
import { loadConfig } from '../config/load'
import { maskUrl } from '../config/url'
import { OkraError, SchemaError } from '../errors'
import { formatDiagnostic } from '../language/diagnostics'
import { DirectoryWatcher } from '../watch/directory-watcher'
import { SerialQueue } from '../watch/serial-queue'
import { findSchemaFiles } from '../project'
import type { Terminal } from '../terminal'
import type { LoadConfigOptions } from '../config/types'
import type { SyncResult } from './types'

export interface WatchSummary {
  watched: true
  /** Syncs run, and how many of them failed. */
  runs: number
  failures: number
}

const QUIET_MS = 100

export interface WatchSyncOptions {
  /** Where the project is (the config is read again before every run, to know what to watch). */
  project: LoadConfigOptions
  /** One sync, reading the schema afresh. */
  sync(): Promise<SyncResult>
  /** Prints a sync's result. */
  print(result: SyncResult): void
  terminal: Terminal
  /** Ends the loop; default: Ctrl-C (SIGINT). */
  signal?: AbortSignal
  /** Called after each run, with its result or its error. */
  onRun?(outcome: SyncResult | Error): void
}

export async function watchSync(io: WatchSyncOptions): Promise<WatchSummary> {
  const { terminal } = io
  const summary: WatchSummary = { watched: true, runs: 0, failures: 0 }
  let watcher: DirectoryWatcher | undefined
  let stopping = false

  const run = async () => {
    summary.runs++
    try {
      const result = await io.sync()
      io.print(result)
      io.onRun?.(result)
    } catch (error) {
      summary.failures++
      printFailure(error, terminal)
      io.onRun?.(error instanceof Error ? error : new Error(String(error)))
    }
    // A run that ends after Ctrl-C must not start a new watch that nothing would close.
    if (stopping) return
    const next = await rewatch(watcher, io.project, () => void queue.request())
    if (stopping) return next?.close()
    watcher = next
    terminal.stderr.line(terminal.stderr.paint.dim('Watching the schema for changes (Ctrl-C to stop)'))
  }
  const queue = new SerialQueue(run, QUIET_MS)

  const stopped = new Promise<void>((done) => {
    const stop = () => done()
    if (io.signal) {
      if (io.signal.aborted) stop()
      io.signal.addEventListener('abort', stop, { once: true })
    } else process.once('SIGINT', stop)
  })
  await queue.flush()
  await stopped
  stopping = true
  watcher?.close()
  await queue.close()
  return summary
}

/** Watches the folders of the schema files and of the config (a `**` pattern: its whole folder tree). */
async function rewatch(previous: DirectoryWatcher | undefined, options: LoadConfigOptions, onChange: () => void): Promise<DirectoryWatcher | undefined> {
  previous?.close()
  let config
  try {
    config = await loadConfig(options)
  } catch {
    // A broken config: watch the project root, where the config lives, until it is fixed.
    return new DirectoryWatcher({ dirs: [resolve(options.cwd ?? '.')], trees: [], onEvent: onChange, persistent: true })
  }
  let files: string[] = []
  try {
    files = findSchemaFiles(config)
  } catch {
    // No schema file yet: the root and the pattern folders are watched for one to appear.
  }
  const dirs = new Set([config.root, ...files.map((f) => dirname(join(config.root, f)))])
  const trees = config.database.schemas.filter(hasMagic).map((pattern) => join(config.root, staticBase(pattern)))
  const configFile = config.configFile
  return new DirectoryWatcher({
    dirs: [...dirs],
    trees,
    persistent: true,
    onEvent: (path) => {
      if (path.endsWith('.okra.gql') || path === configFile || path.endsWith('.env')) onChange()
    },
  })
}

/** The folder part of a glob before its first wildcard: `models/**\/*.okra.gql` -> `models`. */
function staticBase(pattern: string): string {
  const parts = pattern.split('/')
  const first = parts.findIndex((p) => hasMagic(p))
  return parts.slice(0, first < 0 ? -1 : first).join('/') || '.'
}

function printFailure(error: unknown, { stderr }: Terminal): void {
  if (error instanceof SchemaError) for (const d of error.diagnostics) stderr.line(formatDiagnostic(d, stderr.paint) + '\n')
  const message = error instanceof Error ? error.message : String(error)
  stderr.line(`${stderr.paint.red(stderr.paint.bold('error'))}: ${maskUrl(message)}`)
  if (error instanceof OkraError && error.hint) stderr.line(`${stderr.paint.cyan('hint')}: ${maskUrl(error.hint)}`)
}
