/**
 * `okra models:generate`: renders every configured target from the schema and writes the files
 * whose content changed. A schema with errors writes nothing.
 */
import { relative } from 'node:path'
import type { CommandWiring } from '../cli'
import { configOptions } from '../config/load'
import type { GenerateTarget, ResolvedConfig } from '../config/types'
import { generateGo } from '../codegen/go'
import { generatePython } from '../codegen/python'
import { generateTypeScript } from '../codegen/typescript'
import { SchemaError } from '../errors'
import { writeIfChanged } from '../fs'
import { type Diagnostic, diagnosticToJSON, formatDiagnostic } from '../language/diagnostics'
import { type LoadProjectOptions, type Project, loadProject } from '../project'
import type { Schema } from '../schema/types'

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
    path: relative(root, file).split('\\').join('/'),
    written: writeIfChanged(file, content),
  }))
  return { files, warnings: project.diagnostics }
}

export const command: CommandWiring<GenerateResult> = {
  description: 'Writes every output configured under "generate" (TypeScript, Go, Python, GraphQL), only the files whose content changed.',
  flags: {},
  run: (context) => generate(configOptions(context)),
  printText(result, { stdout, stderr }) {
    for (const d of result.warnings) stderr.line(formatDiagnostic(d, stderr.paint) + '\n')
    if (result.files.length === 0) stdout.line('No outputs configured: add generate.typescript.out (or go, python, graphql) to okra.config.json.')
    for (const file of result.files) {
      stdout.line(file.written ? `${stdout.paint.cyan('written')}   ${file.path}` : `${stdout.paint.dim('unchanged')} ${file.path}`)
    }
  },
  toJSON: (result) => ({
    ok: true,
    files: result.files.map(({ target, path, written }) => ({ target, path, status: written ? 'written' : 'unchanged' })),
    warnings: result.warnings.map(diagnosticToJSON),
  }),
}
