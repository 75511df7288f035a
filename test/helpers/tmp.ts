/**
 * Temporary project directories for tests, always removed afterwards.
 * - `useTempDir()` at file or describe level: a fresh directory for every test (`dir.path`).
 * - `makeTempDir()` inside a test: one directory, removed when that test finishes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, onTestFinished } from 'vitest'

export function useTempDir(prefix = 'okra-'): { readonly path: string } {
  let current: string | undefined
  beforeEach(() => {
    current = mkdtempSync(join(tmpdir(), prefix))
  })
  afterEach(() => {
    if (current) rmSync(current, { recursive: true, force: true })
    current = undefined
  })
  return {
    get path() {
      if (!current) throw new Error('useTempDir(): the directory exists only while a test runs')
      return current
    },
  }
}

export function makeTempDir(prefix = 'okra-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Writes `{ 'models/user.okra.gql': '...' }` under `root`, creating folders. */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path)
    mkdirSync(dirname(full), { recursive: true })
    writeFileSync(full, content)
  }
}
