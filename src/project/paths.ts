/**
 * Where OKRA keeps its bookkeeping files (schema-states.ts, renames.ts), in a module without dependencies so that code
 * needing only the paths (the bundler plugin's build cache) loads nothing else.
 */
import { join } from 'node:path'
import type { ResolvedConfig } from '../config/types'

/** OKRA's local state in a project (backups, the build cache): never committed. */
export const OKRA_DIR = '.okra'

/** Where the declaration of `virtual:okra/models` goes unless the plugin's `dts` option says otherwise. */
export const DEFAULT_DTS = 'okra.d.ts'

export interface MigrationPaths {
  /** `database.migrations.dir` (absolute). */
  dir: string
  snapshotDir: string
  /** `<dir>/snapshot/schema.json`. */
  snapshotSchema: string
  currentDir: string
  /** `<dir>/current/schema.json`. */
  currentSchema: string
  /** `<dir>/current/renames.json`. */
  currentRenames: string
}

export function migrationPaths(config: ResolvedConfig): MigrationPaths {
  const dir = config.database.migrations.dir
  const snapshotDir = join(dir, 'snapshot')
  const currentDir = join(dir, 'current')
  return {
    dir,
    snapshotDir,
    snapshotSchema: join(snapshotDir, 'schema.json'),
    currentDir,
    currentSchema: join(currentDir, 'schema.json'),
    currentRenames: join(currentDir, 'renames.json'),
  }
}
