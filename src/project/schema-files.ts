/**
 * Finding and reading the schema files a config names: the I/O of a project without the compiler, in a
 * module of its own so that what needs only the files (the bundler plugin's build cache) loads no compiler.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { findFiles, hasMagic } from '../config/glob'
import type { ResolvedConfig } from '../config/types'
import { OkraError } from '../errors'
import type { Source } from '../language/source'

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
