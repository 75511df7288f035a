/**
 * Schema -> the virtual module `virtual:okra/models`: its JavaScript (the enum objects and `models`,
 * the metadata of every model at run time) and its declaration (`declare module 'virtual:okra/models'`,
 * written to okra.d.ts so `import type { User } from 'virtual:okra/models'` type-checks in the editor).
 *
 * The module exports the same names as the generated TypeScript (an enum `Role` is a const object and
 * a type; a model `User` is an interface), so moving an import between the two is a one-word change.
 */
import type { Enum, Field, Model, Schema } from '../schema/types'
import { header } from './header'
import { descriptionLines, scopeNamer } from './names'
import { TS_RESERVED, TS_SCALARS } from './typescript'

export const VIRTUAL_MODELS_ID = 'virtual:okra/models'

/** What `models.<Model>.fields.<field>` holds at run time. */
export interface VirtualField {
  kind: Field['kind']
  /** The column in the database; null for a relation field, which has none. */
  column: string | null
  /** The OKRA scalar type, or the enum's or the related model's name. */
  type: string
  required: boolean
  /** True for a relation list (`[Post!]!`). */
  list: boolean
}

export interface VirtualModel {
  table: string
  primaryKey: string[]
  fields: Record<string, VirtualField>
}

/** TypeScript's names for the scalars, and the names it cannot use, plus `models`, which this module exports itself. */
const SCALARS = TS_SCALARS
const RESERVED = new Set([...TS_RESERVED, 'models'])

/** The run-time metadata of every model, keyed by model name then field name, in schema order. */
export function virtualModels(schema: Schema): Record<string, VirtualModel> {
  const models: Record<string, VirtualModel> = {}
  for (const model of schema.models) {
    const fields: Record<string, VirtualField> = {}
    for (const field of model.fields) fields[field.name] = virtualField(field)
    models[model.name] = { table: model.table, primaryKey: [...model.primaryKey], fields }
  }
  return models
}

function virtualField(field: Field): VirtualField {
  const column = field.kind === 'relation' ? null : field.column
  const list = field.kind === 'relation' && field.list
  return { kind: field.kind, column, type: field.type, required: field.required, list }
}

/** The module's JavaScript (ESM): one frozen object per enum, and `models`, frozen all the way down. */
export function generateVirtualModule(schema: Schema, opts: { sources: string[] }): string {
  const names = exportNames(schema)
  const lines = [header(opts.sources, '//'), DEEP_FREEZE]
  for (const e of schema.enums) lines.push(`export const ${names.get(e.name)!} = /* @__PURE__ */ Object.freeze(${enumObject(e)});`)
  lines.push(`export const models = /* @__PURE__ */ deepFreeze(${modelsLiteral(schema)});`)
  return lines.join('\n') + '\n'
}

const DEEP_FREEZE = `function deepFreeze(value) {
  if (value !== null && typeof value === 'object') for (const inner of Object.values(Object.freeze(value))) deepFreeze(inner);
  return value;
}`

/**
 * The metadata as an object literal, one line per field (the same values as `virtualModels`). JSON is
 * valid JavaScript and escapes every string safely. Written line by line: a schema of 1,000 models
 * is regenerated on every save.
 */
function modelsLiteral(schema: Schema): string {
  if (schema.models.length === 0) return '{}'
  const lines = ['{']
  schema.models.forEach((model, m) => {
    lines.push(`  ${json(model.name)}: {`, `    "table": ${json(model.table)},`, `    "primaryKey": [${model.primaryKey.map(json).join(', ')}],`, `    "fields": {`)
    model.fields.forEach((field, i) => {
      const f = virtualField(field)
      const comma = i < model.fields.length - 1 ? ',' : ''
      lines.push(`      ${json(field.name)}: { "kind": ${json(f.kind)}, "column": ${json(f.column)}, "type": ${json(f.type)}, "required": ${f.required}, "list": ${f.list} }${comma}`)
    })
    lines.push('    }', m < schema.models.length - 1 ? '  },' : '  }')
  })
  lines.push('}')
  return lines.join('\n')
}

/** JSON.stringify, without its cost for the plain names that make up nearly all of the metadata. */
function json(value: string | null): string {
  return value !== null && PLAIN.test(value) ? `"${value}"` : JSON.stringify(value)
}

const PLAIN = /^[\w$ .-]*$/

function enumObject(e: Enum): string {
  return `{ ${e.values.map((v) => `${propertyKey(v.name)}: ${quote(v.name)}`).join(', ')} }`
}

/**
 * The declaration of the module for okra.d.ts: a script (no top-level import or export), so the
 * `declare module` applies wherever the file is part of the TypeScript program.
 */
export function generateVirtualDeclaration(schema: Schema, opts: { sources: string[] }): string {
  const names = exportNames(schema)
  const blocks = [
    ...schema.enums.map((e) => enumDeclaration(e, names.get(e.name)!)),
    ...schema.models.map((m) => modelInterface(m, names)),
    modelsDeclaration(schema),
  ]
  const body = blocks.map((block) => indent(block)).join('\n\n')
  return `${header(opts.sources, '//')}\ndeclare module '${VIRTUAL_MODELS_ID}' {\n${body}\n}\n`
}

/** The exported name of each enum and model: its schema name, with `_` added where the language forbids it. */
function exportNames(schema: Schema): Map<string, string> {
  const claim = scopeNamer(RESERVED)
  const names = new Map<string, string>()
  for (const { name } of [...schema.enums, ...schema.models]) names.set(name, claim(name))
  return names
}

function enumDeclaration(e: Enum, name: string): string {
  const doc = jsDoc(e.description)
  const members = e.values.map((v) => `${jsDoc(v.description, '  ')}  readonly ${propertyKey(v.name)}: ${quote(v.name)};`)
  const object = members.length === 0 ? '{}' : `{\n${members.join('\n')}\n}`
  return `${doc}export const ${name}: ${object};\n${doc}export type ${name} = (typeof ${name})[keyof typeof ${name}];`
}

function modelInterface(model: Model, names: Map<string, string>): string {
  const properties = model.fields.map((field) => `${jsDoc(field.description, '  ')}  ${property(field, names)};`)
  return `${jsDoc(model.description)}export interface ${names.get(model.name)!} {\n${properties.join('\n')}\n}`
}

function property(field: Field, names: Map<string, string>): string {
  const key = propertyKey(field.name)
  if (field.kind === 'relation') {
    const target = names.get(field.type)!
    return field.list ? `${key}?: ${target}[]` : `${key}?: ${target} | null`
  }
  const type = field.kind === 'enum' ? names.get(field.type)! : SCALARS[field.type]
  return field.required ? `${key}: ${type}` : `${key}?: ${type} | null`
}

/** `models` typed with its literal values, as `as const` would type the object. */
function modelsDeclaration(schema: Schema): string {
  const lines = ['/** Every model with a table: its table, primary key and fields (column, type, required, list). */', 'export const models: {']
  for (const model of schema.models) {
    lines.push(`  readonly ${propertyKey(model.name)}: {`, `    readonly table: ${quote(model.table)};`, `    readonly primaryKey: readonly [${model.primaryKey.map(quote).join(', ')}];`, '    readonly fields: {')
    for (const field of model.fields) {
      const f = virtualField(field)
      const column = f.column === null ? 'null' : quote(f.column)
      lines.push(
        `      readonly ${propertyKey(field.name)}: { readonly kind: ${quote(f.kind)}; readonly column: ${column}; readonly type: ${quote(f.type)}; readonly required: ${f.required}; readonly list: ${f.list} };`,
      )
    }
    lines.push('    };', '  };')
  }
  lines.push('};')
  return lines.join('\n')
}

/** Two spaces before every line that is not empty. */
function indent(block: string): string {
  return block.replace(/^(?=.)/gm, '  ')
}

/** A property name: bare when it is an identifier, quoted otherwise. */
function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : quote(name)
}

function quote(text: string): string {
  if (PLAIN.test(text)) return `'${text}'`
  return `'${text.replace(/[\\']/g, '\\$&').replace(/[\r\n\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`
}

/** A JSDoc block (with its trailing newline) at the given indent, or '' without a description. */
function jsDoc(description: string | undefined, indentation = ''): string {
  const lines = descriptionLines(description).map((line) => line.replace(/\*\//g, '*\\/'))
  if (lines.length === 0) return ''
  if (lines.length === 1) return `${indentation}/** ${lines[0]} */\n`
  return `${indentation}/**\n${lines.map((line) => `${indentation} *${line === '' ? '' : ' ' + line}`).join('\n')}\n${indentation} */\n`
}
