/**
 * First pass: every model, enum and top-level directive of every file, by name. Duplicates, enums
 * (complete after this pass) and the `@okra` header are checked here.
 */
import type { DocumentNode, EnumNode, ModelNode } from '../../language/ast'
import type { Location } from '../../language/source'
import { SCALAR_TYPES, type Enum } from '../types'
import { snakeCase } from '../naming'
import { type CheckContext, where } from './context'
import { type ReadDirective, readDirectives, stringArg } from './directives'

export interface ModelDef {
  readonly node: ModelNode
  readonly name: string
  /** Position in file-path then source order: the order models are checked and reported in. */
  readonly order: number
}

export interface EnumDef {
  readonly node: EnumNode
  readonly values: ReadonlySet<string>
  readonly output: Enum
}

export interface Definitions {
  readonly models: ReadonlyMap<string, ModelDef>
  readonly enums: ReadonlyMap<string, EnumDef>
  readonly namespace?: string
  readonly version?: string
  /** Top-level `@index(model:, fields:)` and `@unique(model:, fields:)`. */
  readonly topIndexes: readonly ReadDirective[]
}

const SCALARS: ReadonlySet<string> = new Set(SCALAR_TYPES)

export function collectDefinitions(ctx: CheckContext, documents: readonly DocumentNode[]): Definitions {
  const models = new Map<string, ModelDef>()
  const enums = new Map<string, EnumDef>()
  const firstByName = new Map<string, { kind: 'model' | 'enum'; loc: Location }>()
  const topIndexes: ReadDirective[] = []
  let header: { loc: Location; namespace?: string; version?: string } | undefined

  const ordered = [...documents].sort((a, b) => (a.source.path < b.source.path ? -1 : a.source.path > b.source.path ? 1 : 0))
  for (const document of ordered) {
    for (const definition of document.definitions) {
      if (definition.kind === 'TopDirective') {
        for (const directive of readDirectives(ctx, [definition.directive], 'top')) {
          if (directive.spec.name !== '@okra') {
            topIndexes.push(directive)
          } else if (header) {
            ctx.error(directive.loc, `Duplicate @okra header (first at ${where(header.loc)})`, 'Keep a single @okra(...) header for the whole schema.')
          } else {
            header = { loc: directive.loc, namespace: stringArg(directive, 'namespace')?.value, version: stringArg(directive, 'version')?.value }
          }
        }
        continue
      }
      const kind = definition.kind === 'Model' ? 'model' : 'enum'
      const { value: name, loc } = definition.name
      if (SCALARS.has(name)) {
        ctx.error(loc, `'${name}' is a built-in scalar type and cannot be the name of ${kind === 'model' ? 'a model' : 'an enum'}`, 'Choose another name.')
        continue
      }
      const first = firstByName.get(name)
      if (first) {
        const as = first.kind === kind ? '' : ` as ${first.kind === 'model' ? 'a model' : 'an enum'}`
        ctx.error(loc, `Duplicate ${kind} '${name}' (first defined${as} at ${where(first.loc)})`, `Rename or remove one of the two definitions of '${name}'.`)
        continue
      }
      firstByName.set(name, { kind, loc })
      if (definition.kind === 'Model') models.set(name, { node: definition, name, order: models.size })
      else enums.set(name, checkEnum(ctx, definition))
    }
  }
  return { models, enums, namespace: header?.namespace, version: header?.version, topIndexes }
}

function checkEnum(ctx: CheckContext, node: EnumNode): EnumDef {
  const name = node.name.value
  const values = new Map<string, Location>()
  const output: Enum = { name, dbName: snakeCase(name), description: node.description?.value, values: [] }
  for (const value of node.values) {
    const first = values.get(value.name.value)
    if (first) {
      ctx.error(value.name.loc, `Duplicate value '${value.name.value}' in enum '${name}' (first defined at ${where(first)})`, 'Remove one of the two.')
      continue
    }
    values.set(value.name.value, value.name.loc)
    output.values.push({ name: value.name.value, description: value.description?.value })
  }
  if (node.values.length === 0) ctx.error(node.name.loc, `Enum '${name}' has no values`, `Add its values: enum ${name} { A B C }.`)
  return { node, values: new Set(values.keys()), output }
}
