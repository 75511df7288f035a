/**
 * The outputs the config asks for (`generate.typescript`, `go`, `python`, `graphql`): rendered from the
 * compiled schema and written only when their content changed, atomically.
 */
import { displayPath } from '../fs'
import type { GenerateTarget, ResolvedConfig } from '../config/types'
import { generateGo } from '../codegen/go'
import { generatePython } from '../codegen/python'
import { generateTypeScript } from '../codegen/typescript'
import { SchemaError } from '../errors'
import { writeIfChanged } from '../fs'
import type { Diagnostic } from '../language/diagnostics'
import type { Schema } from '../schema/types'
import { type LoadProjectOptions, type Project, loadProject } from './load'

export interface GenerateCommandOptions extends LoadProjectOptions {
  /** A project already loaded (skips loading). */
  project?: Project
}

export interface GeneratedFile {
  target: GenerateTarget
  /** Relative to the project root, with `/`. */
  path: string
  /** False when the file already had this content. */
  written: boolean
}

export interface GenerateResult {
  files: GeneratedFile[]
  /** The schema's warnings (a schema with errors throws a SchemaError instead). */
  warnings: Diagnostic[]
}

export interface RenderedOutput {
  target: GenerateTarget
  /** Absolute. */
  file: string
  content: string
}

/**
 * The content of every configured output, in a fixed order; writes nothing (the plugin renders with it
 * too). The GraphQL generator, which loads the graphql package, is imported only when that target is on.
 */
export async function renderOutputs(schema: Schema, generate: ResolvedConfig['generate'], schemaFiles: string[]): Promise<RenderedOutput[]> {
  const opts = { sources: schemaFiles }
  const outputs: RenderedOutput[] = []
  if (generate.typescript) outputs.push({ target: 'typescript', file: generate.typescript.out, content: generateTypeScript(schema, opts) })
  if (generate.go) outputs.push({ target: 'go', file: generate.go.out, content: generateGo(schema, { ...opts, package: generate.go.package }) })
  if (generate.python) outputs.push({ target: 'python', file: generate.python.out, content: generatePython(schema, opts) })
  if (generate.graphql) {
    const { generateGraphQL } = await import('../codegen/graphql')
    outputs.push({ target: 'graphql', file: generate.graphql.out, content: generateGraphQL(schema, opts) })
  }
  return outputs
}

export async function generate(options: GenerateCommandOptions = {}): Promise<GenerateResult> {
  const project = options.project ?? (await loadProject(options))
  if (!project.schema) throw new SchemaError(project.diagnostics)
  const { root } = project.config
  const outputs = await renderOutputs(project.schema, project.config.generate, project.files)
  const files = outputs.map(({ target, file, content }) => ({
    target,
    path: displayPath(root, file),
    written: writeIfChanged(file, content),
  }))
  return { files, warnings: project.diagnostics }
}
