/**
 * Schema -> Go: a struct per model with `json` tags naming the schema fields, and per enum a string
 * type with typed constants. The text is exactly what gofmt prints, so `gofmt -l` stays quiet and
 * regenerating never fights the user's formatter: see gofmt.ts for the layout rules it follows.
 */
import { OkraError } from '../errors'
import type { Enum, Field, Model, ScalarType, Schema } from '../schema/types'
import { alignedBlock, goDocComment, type AlignedLine } from './gofmt'
import { header } from './header'
import { descriptionLines, memoized, scopeNamer, splitWords } from './names'
import type { GenerateOptions } from './options'

const SCALARS: Record<ScalarType, string> = {
  ID: 'string',
  String: 'string',
  DateTime: 'string',
  BigInt: 'string',
  Decimal: 'string',
  Bytes: 'string',
  Int: 'int32',
  Float: 'float64',
  Boolean: 'bool',
  JSON: 'any',
}

/** golint's list of initialisms, written all in capitals in Go names (`userId` -> `UserID`). */
const INITIALISMS = new Set(
  'ACL API ASCII CPU CSS DNS EOF GUID HTML HTTP HTTPS ID IP JSON LHS QPS RAM RHS RPC SLA SMTP SQL SSH TCP TLS TTL UDP UI UID UUID URI URL UTF8 VM XML XMPP XSRF XSS'.split(' '),
)

const KEYWORDS = new Set(
  'break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var'.split(' '),
)

export function generateGo(schema: Schema, opts: GenerateOptions): string {
  const pkg = packageName(opts.package)
  const names = packageNames(schema)
  // Field names repeat across models: each is converted once.
  const fieldName = memoized(goName)
  const blocks = [
    ...schema.enums.flatMap((e) => enumBlocks(e, names)),
    ...schema.models.map((m) => structBlock(m, names, fieldName)),
  ]
  return [header(opts.sources, '//'), `package ${pkg}\n`, ...blocks].join('\n')
}

/** An exported Go name: PascalCase, initialisms in capitals (`avatarUrl` -> `AvatarURL`, `SUPER_ADMIN` -> `SuperAdmin`). */
export function goName(name: string): string {
  const joined = splitWords(name).map(goWord).join('')
  // Only a name starting with an upper-case letter is exported (and so seen by encoding/json).
  return /^[A-Z]/.test(joined) ? joined : `X${joined}`
}

function goWord(word: string): string {
  const upper = word.toUpperCase()
  if (INITIALISMS.has(upper)) return upper
  if (upper.length > 2 && upper.endsWith('S') && INITIALISMS.has(upper.slice(0, -1))) return `${upper.slice(0, -1)}s`
  return upper[0] + word.slice(1).toLowerCase()
}

function packageName(name = 'models'): string {
  if (!/^[\p{L}_][\p{L}\p{Nd}_]*$/u.test(name) || KEYWORDS.has(name) || name === '_') {
    throw new OkraError(
      `Invalid Go package name '${name}' (generate.go.package)`,
      'Use a Go identifier that is not a keyword, conventionally short and lower-case, such as "models".',
    )
  }
  return name
}

interface PackageNames {
  /** Schema enum or model name -> Go type name. */
  types: Map<string, string>
  /** `Enum.VALUE` -> Go constant name. */
  constants: Map<string, string>
}

/** Every package-level name, made unique: types first (enums, then models), then the enum constants. */
function packageNames(schema: Schema): PackageNames {
  const claim = scopeNamer()
  const types = new Map<string, string>()
  for (const { name } of [...schema.enums, ...schema.models]) types.set(name, claim(goName(name)))
  const constants = new Map<string, string>()
  for (const e of schema.enums) {
    for (const value of e.values) constants.set(`${e.name}.${value.name}`, claim(types.get(e.name)! + goName(value.name)))
  }
  return { types, constants }
}

function enumBlocks(e: Enum, names: PackageNames): string[] {
  const type = names.types.get(e.name)!
  const blocks = [`${goDocComment(descriptionLines(e.description))}type ${type} string\n`]
  if (e.values.length > 0) {
    const lines: AlignedLine[] = e.values.map((value) => ({
      comment: descriptionLines(value.description),
      cells: [names.constants.get(`${e.name}.${value.name}`)!, type],
      rest: `= ${JSON.stringify(value.name)}`,
    }))
    blocks.push(`const (\n${alignedBlock(lines)})\n`)
  }
  return blocks
}

function structBlock(model: Model, names: PackageNames, fieldName: (name: string) => string): string {
  const claim = scopeNamer()
  const lines: AlignedLine[] = model.fields.map((field) => {
    const { type, omitEmpty } = fieldType(field, names)
    return {
      comment: descriptionLines(field.description),
      cells: [claim(fieldName(field.name)), type],
      rest: `\`json:"${field.name}${omitEmpty ? ',omitempty' : ''}"\``,
    }
  })
  return `${goDocComment(descriptionLines(model.description))}type ${names.types.get(model.name)!} struct {\n${alignedBlock(lines)}}\n`
}

/**
 * Optional values are pointers (nil = NULL) and omitted from JSON when nil. Relations, loaded on
 * demand, are a slice or a pointer (a struct cannot hold itself by value) and omitted when not loaded.
 */
function fieldType(field: Field, names: PackageNames): { type: string; omitEmpty: boolean } {
  const type = field.kind === 'scalar' ? SCALARS[field.type] : names.types.get(field.type)!
  if (field.kind === 'relation') return { type: field.list ? `[]${type}` : `*${type}`, omitEmpty: true }
  if (field.required) return { type, omitEmpty: false }
  // An interface is nil-able already: no pointer to it.
  return { type: type === 'any' ? type : `*${type}`, omitEmpty: true }
}
