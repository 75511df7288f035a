/**
 * Schema -> TypeScript: one interface per model, and per enum a const object with its type.
 * Relations are optional properties: they are present only when the caller loaded them.
 */
import type { Enum, Field, Model, ScalarType, Schema } from '../schema/types'
import { header } from './header'
import { descriptionLines, scopeNamer } from './names'
import type { GenerateOptions } from './options'

export const TS_SCALARS: Record<ScalarType, string> = {
  ID: 'string',
  String: 'string',
  DateTime: 'string',
  BigInt: 'string',
  Decimal: 'string',
  Bytes: 'string',
  Int: 'number',
  Float: 'number',
  Boolean: 'boolean',
  JSON: 'unknown',
}

/** Words that cannot name an interface or a const in an ES module (strict mode), TypeScript's own type names and type operators. */
export const TS_RESERVED: ReadonlySet<string> = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'implements interface let package private protected public static yield await arguments eval ' +
    'any unknown never object string number boolean symbol bigint undefined as keyof infer readonly unique'
  ).split(' '),
)

export function generateTypeScript(schema: Schema, opts: GenerateOptions): string {
  const typeName = typeNames(schema)
  const blocks = [
    ...schema.enums.map((e) => enumBlock(e, typeName.get(e.name)!)),
    ...schema.models.map((m) => modelBlock(m, typeName)),
  ]
  // A file without exports would be a script, not a module.
  if (blocks.length === 0) blocks.push('export {};')
  return header(opts.sources, '//') + '\n' + blocks.join('\n\n') + '\n'
}

/** The TypeScript name of each enum and model: the schema name, with `_` added where the language forbids it. */
function typeNames(schema: Schema): Map<string, string> {
  const claim = scopeNamer(TS_RESERVED)
  const names = new Map<string, string>()
  for (const { name } of [...schema.enums, ...schema.models]) names.set(name, claim(name))
  return names
}

function enumBlock(e: Enum, name: string): string {
  const doc = jsDoc(e.description, '')
  const members = e.values.map((v) => `${jsDoc(v.description, '  ')}  ${propertyKey(v.name)}: ${quote(v.name)},`)
  const object = members.length === 0 ? '{}' : `{\n${members.join('\n')}\n}`
  return `${doc}export const ${name} = ${object} as const;\n${doc}export type ${name} = (typeof ${name})[keyof typeof ${name}];`
}

function modelBlock(model: Model, typeName: Map<string, string>): string {
  const properties = model.fields.map((field) => `${jsDoc(field.description, '  ')}  ${property(field, typeName)};`)
  return `${jsDoc(model.description, '')}export interface ${typeName.get(model.name)!} {\n${properties.join('\n')}\n}`
}

function property(field: Field, typeName: Map<string, string>): string {
  const key = propertyKey(field.name)
  switch (field.kind) {
    case 'relation': {
      const target = typeName.get(field.type)!
      return field.list ? `${key}?: ${target}[]` : `${key}?: ${target} | null`
    }
    case 'enum':
    case 'scalar': {
      const type = field.kind === 'enum' ? typeName.get(field.type)! : TS_SCALARS[field.type]
      return field.required ? `${key}: ${type}` : `${key}?: ${type} | null`
    }
  }
}

/** A property name as written in an interface or object literal: bare when it is an identifier, quoted otherwise. */
function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : quote(name)
}

function quote(text: string): string {
  return `'${text.replace(/[\\']/g, '\\$&').replace(/[\r\n\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`
}

/** A JSDoc block (with its trailing newline) at the given indent, or '' without a description. */
function jsDoc(description: string | undefined, indent: string): string {
  const described = descriptionLines(description)
  if (described.length === 0) return ''
  const lines = described.map((line) => line.replace(/\*\//g, '*\\/'))
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`
  return `${indent}/**\n${lines.map((line) => `${indent} *${line === '' ? '' : ' ' + line}`).join('\n')}\n${indent} */\n`
}
