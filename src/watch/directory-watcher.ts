/**
 * OKRA's own file watcher, for hosts that give a plugin none: esbuild (whose watch mode only follows
 * files a load hook returned, never a file created later), `okra dev` and `okra db:sync --watch`.
 *
 * It watches directories, not files, so editors that save by writing a new file and renaming it over
 * the old one are seen, and so are files created or deleted later. A tree is walked and each folder
 * watched on its own (node_modules, .git and dot-folders skipped), so no watch ever covers node_modules.
 * A requested directory that does not exist yet, or is deleted, is waited for: its nearest existing
 * ancestor is watched until it (re)appears. A folder that appears is watched at once and the entries
 * already in it are reported too (`mkdir -p models && cp x.okra.gql models/` is over before any watch
 * could start on models/).
 */
import { type FSWatcher, existsSync, readdirSync, statSync, watch } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'

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

interface Watched {
  watcher: FSWatcher
  /** New subfolders are watched too. */
  recursive: boolean
  /** The directory's inode when the watch began: a directory deleted and made again under the same name is a new one to watch. */
  ino: number
}

const SKIPPED = new Set(['node_modules', '.git'])

export class DirectoryWatcher {
  private readonly watched = new Map<string, Watched>()
  /** Existing ancestors of requested directories that do not exist, watched to see those appear. */
  private readonly lookouts = new Map<string, FSWatcher>()
  private readonly wanted: { dir: string; recursive: boolean }[]
  private closed = false

  constructor(private readonly request: WatchRequest) {
    this.wanted = [
      ...request.trees.map((dir) => ({ dir: resolve(dir), recursive: true })),
      ...request.dirs.map((dir) => ({ dir: resolve(dir), recursive: false })),
    ]
    this.settle(false)
  }

  close(): void {
    this.closed = true
    for (const { watcher } of this.watched.values()) watcher.close()
    for (const watcher of this.lookouts.values()) watcher.close()
    this.watched.clear()
    this.lookouts.clear()
  }

  /** Watches each requested directory that exists and is not watched yet; for each missing one, its nearest existing ancestor. */
  private settle(report: boolean): void {
    const lookouts = new Set<string>()
    for (const { dir, recursive } of this.wanted) {
      if (this.isWatched(dir, recursive)) continue
      const watching = recursive ? this.watchTree(dir, report) : this.watchDir(dir, false, report)
      if (!watching) {
        const ancestor = existingAncestor(dir)
        if (ancestor !== undefined && !this.watched.has(ancestor)) lookouts.add(ancestor)
      }
    }
    for (const [dir, watcher] of this.lookouts) {
      if (lookouts.has(dir)) continue
      watcher.close()
      this.lookouts.delete(dir)
    }
    for (const dir of lookouts) if (!this.lookouts.has(dir)) this.watchLookout(dir)
  }

  private isWatched(dir: string, recursive: boolean): boolean {
    const entry = this.watched.get(dir)
    return entry !== undefined && (entry.recursive || !recursive) && inodeOf(dir) === entry.ino
  }

  /** Watches a directory and every folder below it; one already watched as a tree is left as it is. */
  private watchTree(dir: string, report: boolean): boolean {
    if (this.isWatched(dir, true)) return true
    if (!this.watchDir(dir, true, report)) return false
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      return true
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !skipped(entry.name)) this.watchTree(join(dir, entry.name), report)
    }
    return true
  }

  /**
   * Starts watching a directory (again, when the one watched under that name was replaced). With
   * `report`, its entries are reported: they may have been created before the watch began. Returns
   * false when it cannot be watched (it does not exist), true when it is watched.
   */
  private watchDir(dir: string, recursive: boolean, report: boolean): boolean {
    if (this.closed) return false
    if (this.isWatched(dir, recursive)) return true
    const ino = inodeOf(dir)
    if (ino === undefined) return false
    let watcher: FSWatcher
    try {
      watcher = watch(dir, { persistent: this.request.persistent ?? false }, (_event, name) => {
        if (name !== null) this.onEvent(dir, name.toString())
      })
    } catch {
      return false
    }
    watcher.on('error', () => this.unwatch(dir, watcher))
    this.watched.get(dir)?.watcher.close()
    this.watched.set(dir, { watcher, recursive, ino })
    if (report) for (const name of entriesOf(dir)) this.request.onEvent(join(dir, name))
    return true
  }

  private watchLookout(dir: string): void {
    try {
      const watcher = watch(dir, { persistent: this.request.persistent ?? false }, (_event, name) => {
        if (name !== null) this.onEvent(dir, name.toString())
      })
      watcher.on('error', () => {
        watcher.close()
        if (this.lookouts.get(dir) === watcher) this.lookouts.delete(dir)
      })
      this.lookouts.set(dir, watcher)
    } catch {
      // The ancestor vanished meanwhile: the next event anywhere settles again.
    }
  }

  private onEvent(dir: string, name: string): void {
    if (this.closed) return
    let path = join(dir, name)
    const entry = this.watched.get(dir)
    // An event about the directory itself (deleted, moved away) carries the directory's own name, and its
    // watch is dead afterwards; the same name may be back already, even with the same inode: watch it anew.
    if (entry && (name === basename(dir) || inodeOf(dir) !== entry.ino)) {
      this.unwatch(dir, entry.watcher)
      if (entry.recursive) this.watchTree(dir, true)
      if (!existsSync(path)) path = dir
    }
    const lookout = this.lookouts.get(dir)
    if (lookout && name === basename(dir)) {
      lookout.close()
      this.lookouts.delete(dir)
    }
    if (entry?.recursive && path !== dir && !skipped(name) && isDirectory(path)) this.watchTree(path, true)
    this.settle(true)
    this.request.onEvent(path)
  }

  private unwatch(dir: string, watcher: FSWatcher): void {
    watcher.close()
    if (this.watched.get(dir)?.watcher === watcher) this.watched.delete(dir)
  }
}

function skipped(name: string): boolean {
  return SKIPPED.has(name) || name.startsWith('.')
}

function inodeOf(path: string): number | undefined {
  try {
    const stats = statSync(path)
    return stats.isDirectory() ? stats.ino : undefined
  } catch {
    return undefined
  }
}

function isDirectory(path: string): boolean {
  return inodeOf(path) !== undefined
}

function existingAncestor(dir: string): string | undefined {
  for (let parent = dirname(dir); ; parent = dirname(parent)) {
    if (isDirectory(parent)) return parent
    if (dirname(parent) === parent) return undefined
  }
}

function entriesOf(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}
