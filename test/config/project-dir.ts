/** A real temporary project directory holding the given files, removed when the test ends. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'
import { writeFiles } from '../helpers/tmp'

export function projectDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'okra-test-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  writeFiles(dir, files)
  return dir
}

/** The configuration guide's example (docs/configuration.md), verbatim. */
export const GUIDE_CONFIG = {
  database: {
    provider: 'sqlite',
    url: 'sqlite://./dev.db',
    schemas: ['./models.okra.gql'],
    migrations: {
      dir: './migrations',
      generateSQL: false,
      development: { autoSync: true, syncDebounce: 500 },
    },
    environments: {
      local: { provider: 'sqlite', url: 'sqlite://./dev.db', autoSync: true },
      test: { provider: 'sqlite', url: 'sqlite://:memory:', autoSync: false },
      production: { provider: 'postgres', url: '${DATABASE_URL}', generateSQL: true, autoSync: false },
    },
  },
  generate: {
    typescript: { out: './src/generated/models.ts' },
    go: { out: './gen/models.go', package: 'models' },
    python: { out: './gen/models.py' },
  },
}

export function configJSON(config: unknown): string {
  return JSON.stringify(config, null, 2)
}
