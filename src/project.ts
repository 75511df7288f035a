/**
 * The project as the commands and the plugin see it: the resolved config, the schema files it names,
 * their text, and the compiled schema with every diagnostic. The only I/O around the pure compiler.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { loadConfig } from './config/load'
import { findFiles, hasMagic } from './config/glob'
import type { LoadConfigOptions, ResolvedConfig } from './config/types'
import { OkraError } from './errors'
import type { Diagnostic } from './language/diagnostics'
import type { Source } from './language/source'
import { compileSchema } from './schema/compile'
import type { Schema } from './schema/types'

export interface Project {
  config: ResolvedConfig
  /** The schema files, relative to the root with `/`, sorted. */
  files: string[]
  sources: Source[]
  /** Null iff some diagnostic is an error. */
  schema: Schema | null
  diagnostics: Diagnostic[]
}

export interface LoadProjectOptions extends LoadConfigOptions {
  /** A config already loaded (the plugin keeps one): skips loading it again. */
  loadedConfig?: ResolvedConfig
}

export async function loadProject(options: LoadProjectOptions = {}): Promise<Project> {
  const config = options.loadedConfig ?? (await loadConfig(options))
  const files = findSchemaFiles(config)
  const sources = readSources(config.root, files)
  const { schema, diagnostics } = compileSchema(sources)
  return { config, files, sources, schema, diagnostics }
}

/** The files `database.schemas` names. None at all, or a named file missing, is an error. */
export function findSchemaFiles(config: ResolvedConfig): string[] {
  const { files, unmatched } = findFiles(config.root, config.database.schemas)
  if (files.length === 0) {
    throw new OkraError(
      `No schema file found (looked for ${config.database.schemas.join(', ')})`,
      'Run `okra init` to create models.okra.gql and okra.config.json, or point database.schemas at your *.okra.gql files.',
    )
  }
  const missing = unmatched.filter((pattern) => !hasMagic(pattern))
  if (missing.length > 0) {
    throw new OkraError(
      `Schema file not found: ${missing.join(', ')} (listed in database.schemas)`,
      'Fix the path in okra.config.json (paths are relative to the project root).',
    )
  }
  return files
}

/** Each file's text (a leading byte order mark removed), under the path users know it by. */
export function readSources(root: string, files: string[]): Source[] {
  return files.map((path) => ({ path, text: readFileSync(resolve(root, path), 'utf8').replace(/^\uFEFF/, '') }))
}
