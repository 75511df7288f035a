/**
 * `okra db:sync --watch`: a thin loop over sync(). It syncs once, then again whenever a change concerns
 * the schema (the rule of watch/schema-files.ts, the same as the plugin's and `okra dev`'s): one sync at
 * a time, and changes during a sync queue exactly one more. Each sync after the first names the files
 * whose change started it. A failing sync (a schema error, a change that needs consent) is printed and
 * the loop goes on. Ends on Ctrl-C or when `signal` aborts.
 */
import { resolve } from 'node:path'
import { displayPath } from '../fs'
import { renderProblem } from '../problems'
import type { Terminal } from '../terminal'
import type { LoadConfigOptions } from '../config/types'
import { type SchemaFiles, readSchemaFiles } from '../watch/schema-files'
import { SchemaWatcher } from '../watch/schema-watcher'
import { SerialQueue } from '../watch/serial-queue'
import type { SyncResult } from './types'

export interface WatchSummary {
  watched: true
  /** Syncs run, and how many of them failed. */
  runs: number
  failures: number
}

const QUIET_MS = 100

export interface WatchSyncOptions {
  /** Where the project is (the config is read again after every run, to know what to watch). */
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
  const root = resolve(io.project.cwd ?? process.cwd())
  const changed = new Set<string>()
  const watcher = new SchemaWatcher({
    persistent: true,
    onChange: (path) => {
      changed.add(displayPath(root, path))
      void queue.request()
    },
  })
  let rule: SchemaFiles | undefined
  let stopping = false

  const run = async () => {
    summary.runs++
    if (changed.size > 0) terminal.stderr.line(terminal.stderr.paint.dim(`Changed: ${[...changed].join(', ')}`))
    changed.clear()
    try {
      const result = await io.sync()
      io.print(result)
      io.onRun?.(result)
    } catch (error) {
      summary.failures++
      terminal.stderr.line(renderProblem(error, { paint: terminal.stderr.paint }))
      io.onRun?.(error instanceof Error ? error : new Error(String(error)))
    }
    // The config may name other schema files now.
    rule = await readSchemaFiles(io.project, rule)
    if (stopping) return
    watcher.follow(rule)
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
  watcher.close()
  await queue.close()
  return summary
}
