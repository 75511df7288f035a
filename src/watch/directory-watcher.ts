/**
 * OKRA's own file watcher, for hosts that give a plugin none: esbuild (whose watch mode only follows
 * files a load hook returned, never a file created later) and `okra dev`. It watches directories,
 * not files, so editors that save by writing a new file and renaming it over the old one are seen,
 * and so are schema files created or deleted later. A directory tree is walked once and each folder
 * watched on its own (node_modules, .git and dot-folders skipped), so no watch ever covers node_modules.
 */
import { type FSWatcher, readdirSync, statSync, watch } from 'node:fs'
import { join, resolve } from 'node:path'

export interface WatchRequest {
  /** Directories whose own entries are watched. */
  dirs: string[]
  /** Directories watched with every folder below them (for `**` patterns). */
  trees: string[]
  /** Called with the absolute path of anything created, changed or removed in a watched directory. */
  onEvent(path: string): void
  /** Whether the watch keeps the process alive (`okra dev`: yes; inside a bundler, which has its own reasons to live: no). */
  persistent?: boolean
}

const SKIPPED = new Set(['node_modules', '.git'])

export class DirectoryWatcher {
  private readonly watchers = new Map<string, FSWatcher>()
  private closed = false

  constructor(private readonly request: WatchRequest) {
    for (const dir of request.trees) this.watchTree(resolve(dir))
    for (const dir of request.dirs) this.watchDir(resolve(dir), false)
  }

  close(): void {
    this.closed = true
    for (const watcher of this.watchers.values()) watcher.close()
    this.watchers.clear()
  }

  private watchTree(dir: string): void {
    if (!this.watchDir(dir, true)) return
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !skipped(entry.name)) this.watchTree(join(dir, entry.name))
    }
  }

  /** Returns false when the directory cannot be watched (it does not exist, or is already watched). */
  private watchDir(dir: string, recursive: boolean): boolean {
    if (this.closed || this.watchers.has(dir)) return false
    let watcher: FSWatcher
    try {
      watcher = watch(dir, { persistent: this.request.persistent ?? false }, (_event, name) => {
        if (name === null) return
        const path = join(dir, name.toString())
        if (recursive && !skipped(name.toString()) && isDirectory(path)) this.watchTree(path)
        this.request.onEvent(path)
      })
    } catch {
      return false
    }
    // A watched directory that is deleted ends its watcher; a new one of that name is picked up by its parent's watch.
    watcher.on('error', () => {
      watcher.close()
      this.watchers.delete(dir)
    })
    this.watchers.set(dir, watcher)
    return true
  }
}

function skipped(name: string): boolean {
  return SKIPPED.has(name) || name.startsWith('.')
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
