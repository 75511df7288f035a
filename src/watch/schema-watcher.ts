/**
 * OKRA's own watch of a project's schema (esbuild's dev builds, `okra dev`, `okra db:sync --watch`): the
 * directories a SchemaFiles rule names, and one call for each change the rule says concerns OKRA.
 * `follow()` takes a newer rule (the config may have changed its globs); the directories are watched
 * anew only when they differ.
 */
import { DirectoryWatcher } from './directory-watcher'
import type { SchemaFiles } from './schema-files'

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
        if (this.rule?.concerns(path)) this.options.onChange(path)
      },
    })
    this.watching = key
    previous?.close()
  }

  close(): void {
    this.closed = true
    this.watcher?.close()
    this.watcher = undefined
  }
}
