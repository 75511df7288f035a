/**
 * Schema -> Python: a dataclass per model (snake_case fields, required ones first so the dataclass is
 * valid, optional ones and relations `= None`) and a `str` Enum per enum. Written for Python 3.9+
 * and pyright's strict mode, in Black's layout.
 */
import type { Enum, Field, Model, ScalarType, Schema } from '../schema/types'
import { header } from './header'
import { descriptionLines, memoized, scopeNamer, splitWords } from './names'
import type { GenerateOptions } from './options'

const SCALARS: Record<ScalarType, string> = {
  ID: 'str',
  String: 'str',
  DateTime: 'str',
  BigInt: 'str',
  Decimal: 'str',
  Bytes: 'str',
  Int: 'int',
  Float: 'float',
  Boolean: 'bool',
  JSON: 'Any',
}

const KEYWORDS =
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  )

/** Names the module itself uses: a class or field of that name would hide them. */
const MODULE_NAMES = ['annotations', 'dataclass', 'Enum', 'Optional', 'Any', 'str', 'int', 'float', 'bool', 'list']

/** What no class or field may be named. */
const RESERVED: ReadonlySet<string> = new Set([...KEYWORDS, ...MODULE_NAMES])

/** Attributes a `str` Enum member must not hide: `str`'s methods and Enum's `name` and `value`. */
const STR_ENUM_ATTRIBUTES =
  'capitalize casefold center count encode endswith expandtabs find format format_map index isalnum isalpha isascii isdecimal isdigit isidentifier islower isnumeric isprintable isspace istitle isupper join ljust lower lstrip maketrans partition removeprefix removesuffix replace rfind rindex rjust rpartition rsplit rstrip split splitlines startswith strip swapcase title translate upper zfill name value mro'.split(
    ' ',
  )

const INDENT = '    '

export function generatePython(schema: Schema, opts: GenerateOptions): string {
  const className = classNames(schema)
  // Field names repeat across models: each is converted once.
  const fieldName = memoized(pythonName)
  const classes = [
    ...schema.enums.map((e) => enumClass(e, className.get(e.name)!)),
    ...schema.models.map((m) => dataclass(m, className, fieldName)),
  ]
  const body = classes.join('\n\n\n')
  const sections = [header(opts.sources, '#'), 'from __future__ import annotations\n', imports(schema), body].filter((s) => s !== '')
  return sections.join('\n') + (body === '' ? '' : '\n')
}

/** snake_case of a field name (`createdAt` -> `created_at`, `avatarURL` -> `avatar_url`). */
export function pythonName(name: string): string {
  const snake = splitWords(name)
    .map((word) => word.toLowerCase())
    .join('_')
  return /^[a-z]/.test(snake) ? snake : `field_${snake}`
}

/** The schema name of each enum and model, or with `_` added when it is a keyword or a name the module uses. */
function classNames(schema: Schema): Map<string, string> {
  const claim = scopeNamer(RESERVED)
  return new Map([...schema.enums, ...schema.models].map(({ name }) => [name, claim(name)]))
}

/** Only the imports the classes use (pyright's strict mode rejects unused ones), in isort's order. */
function imports(schema: Schema): string {
  const anyField = (test: (field: Field) => boolean) => schema.models.some((m) => m.fields.some(test))
  const typing = [
    anyField((f) => f.kind === 'scalar' && f.type === 'JSON') && 'Any',
    anyField((f) => f.kind === 'relation' || !f.required) && 'Optional',
  ].filter((name) => name !== false)
  const lines = [
    schema.models.length > 0 && 'from dataclasses import dataclass',
    schema.enums.length > 0 && 'from enum import Enum',
    typing.length > 0 && `from typing import ${typing.join(', ')}`,
  ].filter((line) => line !== false)
  return lines.length === 0 ? '' : lines.join('\n') + '\n\n'
}

function enumClass(e: Enum, name: string): string {
  // Member names that are keywords, private or sunder (`_x`, `_x_`), or that hide an attribute of str or Enum get a trailing `_`.
  const claim = scopeNamer()
  const members = e.values.map((value) => {
    const base = value.name.replace(/^_+/, '') || 'VALUE'
    const wanted = base !== value.name || KEYWORDS.includes(base) || STR_ENUM_ATTRIBUTES.includes(base) ? `${base}_` : base
    return `${INDENT}${claim(wanted)} = ${JSON.stringify(value.name)}\n${docstring(value.description, INDENT)}`
  })
  return classBlock(`class ${name}(str, Enum):`, e.description, members.length === 0 ? `${INDENT}pass\n` : members.join(''))
}

function dataclass(model: Model, className: Map<string, string>, fieldName: (name: string) => string): string {
  // A field named like a type its class refers to would hide that type from typing.get_type_hints, which looks in the class first.
  const referenced: string[] = []
  for (const f of model.fields) if (f.kind !== 'scalar') referenced.push(className.get(f.type)!)
  const claim = scopeNamer(RESERVED, referenced)
  // A dataclass field without a default may not follow one with a default.
  const required: string[] = []
  const optional: string[] = []
  for (const field of model.fields) {
    const type = fieldType(field, className)
    const text = `${INDENT}${claim(fieldName(field.name))}: ${type.annotation}${type.optional ? ' = None' : ''}\n${docstring(field.description, INDENT)}`
    ;(type.optional ? optional : required).push(text)
  }
  // Joined, not grown with `+=`: one flat string per class rather than a rope of its pieces.
  return '@dataclass\n' + classBlock(`class ${className.get(model.name)!}:`, model.description, required.concat(optional).join(''))
}

/** Scalars and enums are required or `Optional[...] = None`; relations are always optional (present when loaded). */
function fieldType(field: Field, className: Map<string, string>): { annotation: string; optional: boolean } {
  if (field.kind === 'relation') {
    const target = className.get(field.type)!
    return { annotation: `Optional[${field.list ? `list[${target}]` : target}]`, optional: true }
  }
  const type = field.kind === 'scalar' ? SCALARS[field.type] : className.get(field.type)!
  return field.required ? { annotation: type, optional: false } : { annotation: `Optional[${type}]`, optional: true }
}

function classBlock(declaration: string, description: string | undefined, members: string): string {
  const doc = docstring(description, INDENT)
  const block = `${declaration}\n${doc}${doc === '' ? '' : '\n'}${members}`
  return block.endsWith('\n') ? block.slice(0, -1) : block
}

/** A docstring statement (with trailing newline) at the given indent, or '' without a description. */
function docstring(description: string | undefined, indent: string): string {
  const lines = descriptionLines(description)
  if (lines.length === 0) return ''
  const text = lines
    .join('\n')
    .replace(/\\/g, '\\\\')
    // Quotes need escaping only where they would end the string early: a run of three, or at the very end.
    .replace(/"{3,}|"+$/g, (quotes) => quotes.replace(/"/g, '\\"'))
  const [first, ...rest] = text.split('\n')
  if (rest.length === 0) return `${indent}"""${first}"""\n`
  return `${indent}"""${first}\n${rest.map((line) => (line === '' ? '\n' : `${indent}${line}\n`)).join('')}${indent}"""\n`
}
