/**
 * Each model's generated code, as the generators write it: the whole file is generated once per
 * schema and language, then cut into one snippet per model. The generators emit one declaration per
 * model in schema order, so the n-th model declaration of a file is the n-th model; a snippet is that
 * declaration with the doc comment above it.
 */
import { generateGo } from '../codegen/go'
import { generatePython } from '../codegen/python'
import { generateTypeScript } from '../codegen/typescript'
import type { Schema } from '../schema/types'
import type { Language } from './protocol'

export interface SnippetOptions {
  /** The Go package name (default `models`). */
  goPackage?: string
}

/** Model name -> its declaration in `language`. */
export function modelSnippets(schema: Schema, language: Language, options: SnippetOptions = {}): Map<string, string> {
  const generated = generate(schema, language, options).split('\n')
  const starts = declarationStarts(generated, language)
  const out = new Map<string, string>()
  schema.models.forEach((model, i) => {
    const start = starts[i]
    if (start === undefined) return
    out.set(model.name, generated.slice(docStart(generated, start, language), declarationEnd(generated, start, language)).join('\n'))
  })
  return out
}

function generate(schema: Schema, language: Language, options: SnippetOptions): string {
  const opts = { sources: [], package: options.goPackage }
  if (language === 'go') return generateGo(schema, opts)
  if (language === 'python') return generatePython(schema, opts)
  return generateTypeScript(schema, opts)
}

/** The line of each model declaration, in order. */
const DECLARATION: Record<Language, RegExp> = {
  typescript: /^export interface \S+ \{$/,
  go: /^type \S+ struct \{$/,
  python: /^@dataclass$/,
}

function declarationStarts(lines: string[], language: Language): number[] {
  const pattern = DECLARATION[language]
  const starts: number[] = []
  lines.forEach((line, i) => {
    if (pattern.test(line)) starts.push(i)
  })
  return starts
}

/** The first line of the doc comment right above `start` (TypeScript's `/** *\/`, Go's `//`), or `start`. */
function docStart(lines: string[], start: number, language: Language): number {
  const isDoc = language === 'typescript' ? (line: string) => line.startsWith('/**') || line.startsWith(' *') : language === 'go' ? (line: string) => line.startsWith('//') : () => false
  let first = start
  while (first > 0 && isDoc(lines[first - 1]!)) first--
  return first
}

/** The line after the declaration: its closing `}` (TypeScript, Go), or the next top-level line (Python). */
function declarationEnd(lines: string[], start: number, language: Language): number {
  if (language === 'python') {
    let end = start + 2
    while (end < lines.length && !/^\S/.test(lines[end]!)) end++
    while (end > start && lines[end - 1] === '') end--
    return end
  }
  let end = start + 1
  while (end < lines.length && lines[end] !== '}') end++
  return Math.min(end + 1, lines.length)
}
