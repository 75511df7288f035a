/**
 * Writing generated files safely: a reader (an editor, a bundler's watcher, tsc) never sees a half-written
 * file, and a file whose content did not change is not touched, so watchers are not woken for nothing.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'

let tempFiles = 0

/**
 * Writes `content` to `path` atomically: into a temp file in the same directory (so the rename stays on one
 * file system), then renamed over the target. Creates missing parent directories and keeps an existing file's mode.
 */
export function writeFileAtomic(path: string, content: string): void {
  const dir = dirname(path)
  mkdirSync(dir, { recursive: true })
  // Unique to this process and write; worker threads share the pid, the random part keeps them apart.
  const temp = join(dir, `.${basename(path)}.${process.pid}.${(++tempFiles).toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`)
  try {
    writeFileSync(temp, content)
    const mode = existingMode(path)
    if (mode !== undefined) chmodSync(temp, mode)
    renameSync(temp, path)
  } catch (error) {
    try {
      unlinkSync(temp)
    } catch {
      // The temp file was never created, or is already gone: nothing to clean up.
    }
    throw error
  }
}

/** Writes `content` to `path` only when the file is missing or holds something else. Returns whether it wrote. */
export function writeIfChanged(path: string, content: string): boolean {
  const bytes = Buffer.from(content, 'utf8')
  if (readIfExists(path)?.equals(bytes)) return false
  writeFileAtomic(path, content)
  return true
}

/** The text of a file, or undefined when it does not exist (other errors are thrown). */
export function readTextIfExists(path: string): string | undefined {
  return readIfExists(path)?.toString('utf8')
}

/** `path` as messages show it: relative to the project root, with `/` separators. */
export function displayPath(root: string, path: string): string {
  return relative(root, path).split('\\').join('/') || '.'
}

function readIfExists(path: string): Buffer | undefined {
  try {
    return readFileSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

function existingMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777
  } catch {
    return undefined
  }
}
