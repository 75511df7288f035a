/**
 * Every directive of the language, where it may be written and what arguments it takes. The generic
 * rules live here (unknown directive or argument, wrong place, missing or repeated, wrong kind of
 * value); what a directive means is checked by the rule that uses it.
 */
import type { ArgumentNode, DirectiveNode, ValueNode } from '../../language/ast'
import type { Location } from '../../language/source'
import { MAX_IDENTIFIER_BYTES, SAFE_DB_NAME, byteLength } from '../naming'
import type { ReferentialAction } from '../types'
import { type CheckContext, type NameRef, directiveNameLoc } from './context'
import { didYouMean } from './suggest'

/** On a field, in a model body (`@@name`), or at the top level of a file. */
export type Place = 'field' | 'model' | 'top'

/**
 * `string`: `"text"`; `modelName`: `"User"` or `User`; `fieldList`: `[a, b]` or `["a", "b"]`;
 * `action`: a referential action; `value`: anything (checked by its rule).
 */
type ArgKind = 'string' | 'modelName' | 'fieldList' | 'action' | 'value'

interface ArgSpec {
  readonly name: string
  readonly kind: ArgKind
  readonly required?: boolean
}

export interface DirectiveSpec {
  /** With its `@` or `@@`. */
  readonly name: string
  readonly place: Place
  readonly args: readonly ArgSpec[]
  /** The argument an unnamed argument stands for (`@map("col")` = `@map(name: "col")`). */
  readonly positional?: string
  /** May be written more than once on the same owner. */
  readonly repeatable?: boolean
  /** A correct use, shown in hints. */
  readonly example: string
  /** The names of `args`, in order. */
  readonly argNames: readonly string[]
  /** `args` by name. */
  readonly argsByName: ReadonlyMap<string, ArgSpec>
  /** The names of the required `args`. */
  readonly requiredArgs: readonly string[]
}

export const REFERENTIAL_ACTIONS: readonly ReferentialAction[] = ['Cascade', 'SetNull', 'Restrict', 'NoAction', 'SetDefault']

/** `map: "name"`: the database name of an index, unique constraint or foreign key, instead of the generated one. */
const MAP: ArgSpec = { name: 'map', kind: 'string' }

const DEFINITIONS: readonly Omit<DirectiveSpec, 'argNames' | 'argsByName' | 'requiredArgs'>[] = [
  { name: '@id', place: 'field', args: [], example: '@id' },
  { name: '@default', place: 'field', args: [{ name: 'value', kind: 'value', required: true }], positional: 'value', example: '@default(uuid)' },
  { name: '@unique', place: 'field', args: [MAP], example: '@unique' },
  { name: '@index', place: 'field', args: [MAP], example: '@index' },
  { name: '@updatedAt', place: 'field', args: [], example: '@updatedAt' },
  { name: '@db', place: 'field', args: [{ name: 'type', kind: 'string', required: true }], positional: 'type', example: '@db(type: "VARCHAR(100)")' },
  { name: '@map', place: 'field', args: [{ name: 'name', kind: 'string', required: true }], positional: 'name', example: '@map("column_name")' },
  {
    name: '@relation',
    place: 'field',
    args: [
      { name: 'name', kind: 'string' },
      { name: 'fields', kind: 'fieldList' },
      { name: 'references', kind: 'fieldList' },
      { name: 'onDelete', kind: 'action' },
      { name: 'onUpdate', kind: 'action' },
      MAP,
    ],
    positional: 'name',
    example: '@relation(fields: [authorId], references: [id])',
  },
  { name: '@renamed', place: 'field', args: [{ name: 'from', kind: 'string', required: true }], positional: 'from', repeatable: true, example: '@renamed(from: "oldName")' },
  { name: '@@id', place: 'model', args: [{ name: 'fields', kind: 'fieldList', required: true }], positional: 'fields', example: '@@id([a, b])' },
  { name: '@@index', place: 'model', args: [{ name: 'fields', kind: 'fieldList', required: true }, MAP], positional: 'fields', repeatable: true, example: '@@index([a, b])' },
  { name: '@@unique', place: 'model', args: [{ name: 'fields', kind: 'fieldList', required: true }, MAP], positional: 'fields', repeatable: true, example: '@@unique([a, b])' },
  { name: '@@map', place: 'model', args: [{ name: 'name', kind: 'string', required: true }], positional: 'name', example: '@@map("table_name")' },
  { name: '@@renamed', place: 'model', args: [{ name: 'from', kind: 'string', required: true }], positional: 'from', repeatable: true, example: '@@renamed(from: "OldName")' },
  {
    name: '@okra',
    place: 'top',
    args: [
      { name: 'namespace', kind: 'string' },
      { name: 'version', kind: 'string' },
    ],
    example: '@okra(namespace: "myapp", version: "v1")',
  },
  {
    name: '@index',
    place: 'top',
    args: [
      { name: 'model', kind: 'modelName', required: true },
      { name: 'fields', kind: 'fieldList', required: true },
      MAP,
    ],
    repeatable: true,
    example: '@index(model: "User", fields: ["name", "createdAt"])',
  },
  {
    name: '@unique',
    place: 'top',
    args: [
      { name: 'model', kind: 'modelName', required: true },
      { name: 'fields', kind: 'fieldList', required: true },
      MAP,
    ],
    repeatable: true,
    example: '@unique(model: "User", fields: ["email", "tenantId"])',
  },
]

const SPECS: readonly DirectiveSpec[] = DEFINITIONS.map((spec) => ({
  ...spec,
  argNames: spec.args.map((a) => a.name),
  argsByName: new Map(spec.args.map((a) => [a.name, a])),
  requiredArgs: spec.args.filter((a) => a.required).map((a) => a.name),
}))

const SPECS_BY_PLACE = new Map<Place, Map<string, DirectiveSpec>>(
  (['field', 'model', 'top'] as const).map((place) => [place, new Map(SPECS.filter((s) => s.place === place).map((s) => [s.name, s]))]),
)

/** The same by name without its `@` / `@@`, so a lookup builds no string (tens of thousands per schema). */
const SPECS_BY_BARE_NAME = new Map<Place, { single: Map<string, DirectiveSpec>; double: Map<string, DirectiveSpec> }>(
  (['field', 'model', 'top'] as const).map((place) => {
    const specs = SPECS.filter((s) => s.place === place)
    const byBare = (prefix: string) => new Map(specs.filter((s) => s.name.startsWith(prefix) && s.name[prefix.length] !== '@').map((s) => [s.name.slice(prefix.length), s]))
    return [place, { single: byBare('@'), double: byBare('@@') }]
  }),
)

const PLACE_TEXT: Record<Place, string> = { field: 'on a field', model: 'in a model body', top: 'at the top level of a file' }

/** A directive that passed the generic rules; `args` holds only arguments of the right kind. */
export interface ReadDirective {
  readonly spec: DirectiveSpec
  readonly node: DirectiveNode
  /** The `@name` token. */
  readonly loc: Location
  readonly args: Arguments
}

/** Arguments by name (a plain object: a Map per directive costs too much on 5,000-model schemas). */
export type Arguments = { readonly [name: string]: ArgumentNode | undefined }

const NO_ARGUMENTS: Arguments = Object.freeze({})
const NO_DIRECTIVES: readonly ReadDirective[] = Object.freeze([])

function ownerText(place: Place, ownerName: string): string {
  return place === 'field' ? `on field '${ownerName}'` : place === 'model' ? `on model '${ownerName}'` : 'at the top level'
}

/**
 * Applies the generic rules to the directives of one owner, the field or model `ownerName` (unused at
 * the top level). Returns the usable ones.
 */
export function readDirectives(ctx: CheckContext, nodes: readonly DirectiveNode[], place: Place, ownerName = ''): readonly ReadDirective[] {
  // Most fields have no directive: they share one empty list.
  if (nodes.length === 0) return NO_DIRECTIVES
  const specs = SPECS_BY_BARE_NAME.get(place)!
  const read: ReadDirective[] = []
  for (const node of nodes) {
    const spec = (node.modelLevel ? specs.double : specs.single).get(node.name.value)
    const loc = directiveNameLoc(node)
    if (!spec) {
      reportUnknownDirective(ctx, (node.modelLevel ? '@@' : '@') + node.name.value, loc, place, ownerText(place, ownerName))
      continue
    }
    const name = spec.name
    if (!spec.repeatable && read.length > 0 && readBefore(read, spec)) {
      ctx.error(loc, `Duplicate directive '${name}' ${ownerText(place, ownerName)}`, `Remove one of the two '${name}'.`)
      continue
    }
    read.push({ spec, node, loc, args: readArguments(ctx, spec, node, loc) })
  }
  return read
}

/** Whether a directive of this spec was read already (an owner has a handful of directives). */
function readBefore(read: readonly ReadDirective[], spec: DirectiveSpec): boolean {
  for (let i = 0; i < read.length; i++) if (read[i].spec === spec) return true
  return false
}

function reportUnknownDirective(ctx: CheckContext, name: string, loc: Location, place: Place, owner: string): void {
  const elsewhere = SPECS.filter((s) => s.name === name).map((s) => s.place)
  if (elsewhere.length > 0) {
    const plain = name.replace(/^@+/, '')
    const modelForm = place === 'model' && SPECS_BY_PLACE.get('model')!.has(`@@${plain}`) ? ` In a model body write '@@${plain}(...)'.` : ''
    ctx.error(loc, `Directive '${name}' cannot be used ${owner}`, `'${name}' is written ${elsewhere.map((p) => PLACE_TEXT[p]).join(' or ')}.${modelForm}`)
    return
  }
  const other = name.startsWith('@@') ? name.slice(1) : `@${name}`
  const otherPlaces = SPECS.filter((s) => s.name === other).map((s) => PLACE_TEXT[s.place])
  const hint =
    otherPlaces.length > 0
      ? `Did you mean '${other}'? It is written ${otherPlaces.join(' or ')}.`
      : (didYouMean(name, SPECS_BY_PLACE.get(place)!.keys()) ?? `Known here: ${[...SPECS_BY_PLACE.get(place)!.keys()].join(', ')}.`)
  ctx.error(loc, `Unknown directive '${name}' ${owner}`, hint)
}

function readArguments(ctx: CheckContext, spec: DirectiveSpec, node: DirectiveNode, loc: Location): Arguments {
  if (node.arguments.length === 0 && spec.requiredArgs.length === 0) return NO_ARGUMENTS
  const args: Record<string, ArgumentNode> = {}
  /** Arguments given (even with a bad value), so a bad one is not also reported as missing. */
  const given: string[] = []
  /** A misspelt argument is most likely the missing one: report it alone. */
  let misspelt = false
  const names = spec.argNames
  for (const arg of node.arguments) {
    let name: string
    if (arg.name === null) {
      if (!spec.positional) {
        const modelForm = `@${spec.name}`
        const several = SPECS_BY_PLACE.get('model')!.has(modelForm) ? ` For several fields write ${modelForm}([a, b]) in the model body.` : ''
        ctx.error(
          arg.value.loc,
          names.length === 0 ? `'${spec.name}' takes no arguments` : `'${spec.name}' takes named arguments only`,
          names.length === 0 || several ? `Write it as ${spec.example}.${several}` : `Name the argument: ${spec.example}.`,
        )
        continue
      }
      name = spec.positional
    } else {
      name = arg.name.value
    }
    const argSpec = spec.argsByName.get(name)
    const nameLoc = arg.name?.loc ?? arg.value.loc
    if (!argSpec) {
      misspelt = true
      ctx.error(
        nameLoc,
        `Unknown argument '${name}' on '${spec.name}'`,
        names.length === 0 ? `'${spec.name}' takes no arguments.` : (didYouMean(name, names) ?? `'${spec.name}' takes ${names.map((n) => `'${n}'`).join(', ')}.`),
      )
      continue
    }
    if (given.includes(name)) {
      ctx.error(nameLoc, `Duplicate argument '${name}' on '${spec.name}'`, 'Give each argument once.')
      continue
    }
    given.push(name)
    const problem = kindProblem(argSpec.kind, arg.value)
    if (problem) {
      ctx.error(arg.value.loc, `Argument '${name}' of '${spec.name}' ${problem.message}`, problem.hint ?? `Write it as ${spec.example}.`)
      continue
    }
    args[name] = arg
  }
  if (!misspelt) {
    for (const required of spec.requiredArgs) {
      if (!given.includes(required)) ctx.error(loc, `Missing argument '${required}' on '${spec.name}'`, `Write it as ${spec.example}.`)
    }
  }
  return args
}

/** A field name in a list: `a` or `"a"`. */
const isNameValue = (value: ValueNode): boolean => value.kind === 'Identifier' || value.kind === 'String'

function kindProblem(kind: ArgKind, value: ValueNode): { message: string; hint?: string } | null {
  switch (kind) {
    case 'value':
      return null
    case 'string':
      return value.kind === 'String' ? null : { message: 'must be a string' }
    case 'modelName':
      return value.kind === 'String' || value.kind === 'Identifier' ? null : { message: 'must be a model name' }
    case 'fieldList':
      return value.kind === 'List' && value.values.every(isNameValue)
        ? null
        : { message: 'must be a list of field names' }
    case 'action':
      if (value.kind === 'Identifier') {
        if ((REFERENTIAL_ACTIONS as readonly string[]).includes(value.value)) return null
        return {
          message: `has an unknown referential action '${value.value}'`,
          hint: didYouMean(value.value, REFERENTIAL_ACTIONS) ?? `Use one of ${REFERENTIAL_ACTIONS.join(', ')}.`,
        }
      }
      return {
        message: `must be one of ${REFERENTIAL_ACTIONS.join(', ')}`,
        hint: value.kind === 'String' ? `Write it without quotes: ${value.value}.` : undefined,
      }
  }
}

/** Helpers reading the (already kind-checked) arguments of a directive. */
export function stringArg(d: ReadDirective, name: string): NameRef | undefined {
  const arg = d.args[name]
  return arg && arg.value.kind === 'String' ? { value: arg.value.value, loc: arg.value.loc } : undefined
}

export function nameArg(d: ReadDirective, name: string): NameRef | undefined {
  const arg = d.args[name]
  return arg && (arg.value.kind === 'String' || arg.value.kind === 'Identifier') ? { value: arg.value.value, loc: arg.value.loc } : undefined
}

/**
 * The `map:` argument when it is a usable database name (letters, digits, underscores; at most 63 bytes),
 * else undefined after reporting it.
 */
export function mapArg(ctx: CheckContext, d: ReadDirective): NameRef | undefined {
  const map = stringArg(d, 'map')
  if (!map) return undefined
  if (SAFE_DB_NAME.test(map.value) && byteLength(map.value) <= MAX_IDENTIFIER_BYTES) return map
  ctx.error(map.loc, `Invalid database name '${map.value}' in map: of '${d.spec.name}'`, `Use letters, digits and underscores, starting with a letter or an underscore, at most ${MAX_IDENTIFIER_BYTES} bytes.`)
  return undefined
}

/** A list of names and the location of the whole list. */
export interface NameList {
  readonly items: readonly NameRef[]
  readonly loc: Location
}

export function fieldListArg(d: ReadDirective, name: string): NameList | undefined {
  const arg = d.args[name]
  if (!arg || arg.value.kind !== 'List') return undefined
  const items: NameRef[] = []
  for (const v of arg.value.values) if (v.kind === 'Identifier' || v.kind === 'String') items.push({ value: v.value, loc: v.loc })
  return { items, loc: arg.value.loc }
}

export function actionArg(d: ReadDirective, name: string): { value: ReferentialAction; loc: Location } | undefined {
  const arg = d.args[name]
  return arg && arg.value.kind === 'Identifier' ? { value: arg.value.value as ReferentialAction, loc: arg.value.loc } : undefined
}
