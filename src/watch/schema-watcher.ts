/**
 * OKRA's own watch of a project's schema (esbuild's dev builds, `okra dev`, `okra db:sync --watch`): the
 * directories a SchemaFiles rule names, and one call for each change the rule says concerns OKRA.
 * `follow()` takes a newer rule (the config may have changed its globs); the directories are watched
 * anew only when they differ.
 */
import { existsSync } from 'node:fs'
import { DirectoryWatcher } from './directory-watcher'
import type { SchemaFiles } from './schema-files'

/**
 * How long a file that disappeared may take to come back before its removal is reported. Editors that
 * save by moving the old file away and writing a new one (vim's default) leave a moment with no file; a
 * compile then would drop its models from the types, and an auto-sync with no debounce would drop their
 * tables. Chokidar (Vite's watcher) holds back a removal for the same 100 ms. Changes and creations are
 * reported at once.
 */
export const REMOVAL_GRACE_MS = 100

export interface SchemaWatcherOptions {
  /** A change that concerns OKRA, with its absolute path. */
  onChange(path: string): void
  /** Whether the watch keeps the process alive (see WatchRequest). */
  persistent?: boolean
}

export class SchemaWatcher {
  private rule: SchemaFiles | undefined
  private watcher: DirectoryWatcher | undefined
  private watching = ''
  private closed = false
  /** Removals waiting out REMOVAL_GRACE_MS, by path. */
  private readonly removals = new Map<string, NodeJS.Timeout>()

  constructor(private readonly options: SchemaWatcherOptions) {}

  follow(rule: SchemaFiles): void {
    if (this.closed) return
    this.rule = rule
    const directories = rule.directories()
    const key = JSON.stringify(directories)
    if (this.watcher && key === this.watching) return
    const previous = this.watcher
    // The new watch starts before the old one stops, so no change falls between them.
    this.watcher = new DirectoryWatcher({
      ...directories,
      persistent: this.options.persistent,
      onEvent: (path) => {
        if (this.rule?.concerns(path)) this.report(path)
      },
    })
    this.watching = key
    previous?.close()
  }

  close(): void {
    this.closed = true
    this.watcher?.close()
    this.watcher = undefined
    for (const timer of this.removals.values()) clearTimeout(timer)
    this.removals.clear()
  }

  private report(path: string): void {
    clearTimeout(this.removals.get(path))
    this.removals.delete(path)
    if (existsSync(path)) {
      this.options.onChange(path)
      return
    }
    const timer = setTimeout(() => {
      this.removals.delete(path)
      if (!this.closed) this.options.onChange(path)
    }, REMOVAL_GRACE_MS)
    // Inside a bundler the watch must not keep the process alive, nor must this timer.
    if (!this.options.persistent) timer.unref()
    this.removals.set(path, timer)
  }
}
