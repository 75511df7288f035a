/**
 * The project as the commands and the plugin see it: the resolved config, the schema files it names,
 * their text, and the compiled schema with every diagnostic. The only I/O around the pure compiler.
 */
import { loadConfig } from '../config/load'
import type { LoadConfigOptions, ResolvedConfig } from '../config/types'
import type { Diagnostic } from '../language/diagnostics'
import type { Source } from '../language/source'
import { compileCached } from './compile-cache'
import { findSchemaFiles, readSources } from './schema-files'
import type { Schema } from '../schema/types'

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
  const { schema, diagnostics } = await compileCached(config.root, sources)
  return { config, files, sources, schema, diagnostics }
}
