/**
 * Relations: every relation field is matched with its opposite (by `@relation(name:)`, else by the
 * pair of models), then each relation is one of: a key side standing alone, one-to-many, one-to-one,
 * or many-to-many through an implicit join table. Grouping uses maps, so this is linear in the fields.
 */
import type { Location } from '../../language/source'
import { constraintName } from '../naming'
import type { JoinTable } from '../types'
import { type CheckContext, quoteList } from './context'
import type { CheckedModel, TableModel } from './drafts'
import { isUniqueSet } from './indexes'
import { manyToMany } from './join-tables'
import { type KeyInfo, type Side, checkKey, checkNoActions, holdsKey, keyExample, suggestedKey } from './relation-keys'

/** "`from` cannot be inserted before `to`": a required relation, for cycle detection. */
export interface RequiredEdge {
  readonly from: string
  readonly to: string
  readonly field: string
  readonly loc: Location
}

export interface RelationResult {
  readonly joinTables: (JoinTable & { readonly loc: Location })[]
  readonly requiredEdges: RequiredEdge[]
}

export function checkRelations(ctx: CheckContext, models: ReadonlyMap<string, CheckedModel>, tables: ReadonlyMap<string, TableModel>): RelationResult {
  const result: RelationResult = { joinTables: [], requiredEdges: [] }
  const groups = groupSides(ctx, models, tables)
  /** Named relations whose key side has no opposite yet: a hint when the other side forgot the name. */
  const loneNamed = new Map<string, Side>()
  for (const [key, sides] of groups) {
    if (key.startsWith('n:') && sides.length === 1 && holdsKey(sides[0])) loneNamed.set(pairKey(sides[0].target.name, sides[0].model.name), sides[0])
  }
  const generatedNames = new Map<string, Side>()
  const resolver = new Resolver(ctx, result, loneNamed)
  for (const [key, sides] of groups) {
    if (key.startsWith('n:')) {
      resolver.named(sides, sides[0].draft.relation!.name!.value)
    } else {
      const name = generatedName(sides[0].model.name, sides[0].target.name)
      generatedNames.set(name, sides[0])
      resolver.unnamed(sides, name)
    }
  }
  for (const [key, sides] of groups) {
    const clash = key.startsWith('n:') ? generatedNames.get(key.slice(2)) : undefined
    if (clash) {
      ctx.error(
        sides[0].draft.relation!.name!.loc,
        `Relation name '${key.slice(2)}' is also the generated name of the unnamed relation between ${clash.model.name} and ${clash.target.name}`,
        'Choose another name, or name that relation too.',
      )
    }
  }
  resolver.addOneToOneUniques()
  return result
}

/** `PostToUser`: the two model names sorted, joined with `To`. */
function generatedName(a: string, b: string): string {
  return [a, b].sort().join('To')
}

function pairKey(a: string, b: string): string {
  return `${a}\0${b}`
}

/** Relation fields grouped by relation name, or by the (unordered) pair of models when unnamed. */
function groupSides(ctx: CheckContext, models: ReadonlyMap<string, CheckedModel>, tables: ReadonlyMap<string, TableModel>): Map<string, Side[]> {
  const groups = new Map<string, Side[]>()
  for (const model of tables.values()) {
    for (const { draft } of model.fields) {
      if (draft.kind !== 'relation') continue
      const target = tables.get(draft.type)
      if (!target) {
        if (models.has(draft.type)) {
          ctx.error(draft.node.type.name.loc, `'${draft.type}' is a mixin (a model without a primary key) and cannot be the type of field '${draft.name}'`, `Spread it with ...${draft.type}, or give ${draft.type} a primary key.`)
        }
        continue
      }
      const name = draft.relation?.name?.value
      const key = name !== undefined ? `n:${name}` : model.name < target.name ? `p:${model.name}\0${target.name}` : `p:${target.name}\0${model.name}`
      const group = groups.get(key)
      if (group) group.push({ model, draft, target })
      else groups.set(key, [{ model, draft, target }])
    }
  }
  return groups
}

class Resolver {
  private readonly oneToOne: { model: TableModel; fields: string[]; loc: Location }[] = []

  constructor(
    private readonly ctx: CheckContext,
    private readonly result: RelationResult,
    private readonly loneNamed: ReadonlyMap<string, Side>,
  ) {}

  /** Fields sharing one `@relation(name:)`: at most two, the two sides of one relation. */
  named(sides: readonly Side[], name: string): void {
    for (const side of sides) this.out(side, name)
    if (sides.length > 2) {
      this.ctx.error(
        sides[2].draft.relation!.name!.loc,
        `Relation name '${name}' is used by more than two fields: ${sides.map((s) => `${s.model.name}.${s.draft.name}`).join(', ')}`,
        'A relation name joins exactly two fields, one on each side; give the other relations their own names.',
      )
      return
    }
    const [a, b] = sides
    if (!b) return this.single(a, name, true)
    if (a.model !== b.target || b.model !== a.target) {
      this.ctx.error(
        b.draft.relation!.name!.loc,
        `Relation '${name}' joins fields that are not two sides of one relation: ${a.model.name}.${a.draft.name} points to ${a.target.name}, ${b.model.name}.${b.draft.name} points to ${b.target.name}`,
        'Use a different name for each relation.',
      )
      return
    }
    this.pair(a, b, name, true)
  }

  /** Unnamed fields between one pair of models (or of one model with itself). */
  unnamed(sides: readonly Side[], name: string): void {
    for (const side of sides) this.out(side, name)
    const first = sides[0]
    const here = sides.filter((s) => s.model === first.model)
    const there = sides.filter((s) => s.model !== first.model)
    const self = first.model === first.target
    // Two key-holding fields of a model pointing at itself are two relations, not the two sides of one.
    const selfAmbiguous = self && (sides.length > 2 || (sides.length === 2 && holdsKey(sides[0]) && holdsKey(sides[1])))
    if (self ? selfAmbiguous : here.length > 1 || there.length > 1) return this.ambiguous(self ? sides : here.length > 1 ? here : there, self)
    if (sides.length === 1) return this.single(first, name, false)
    this.pair(sides[0], sides[1], name, false)
  }

  private ambiguous(crowded: readonly Side[], self: boolean): void {
    const { model, target } = crowded[0]
    const names = crowded.map((s) => s.draft.name)
    this.ctx.error(
      crowded[1].draft.loc,
      `Ambiguous relation between ${model.name} and ${self ? 'itself' : target.name}: fields ${quoteList(names)} of ${model.name} ${names.length === 2 ? 'both' : 'all'} point to ${target.name}`,
      'Tell the relations apart with @relation(name: "...") on both sides of each one.',
    )
  }

  /** A relation field with no opposite: legal only when it holds the key. */
  private single(side: Side, name: string, named: boolean): void {
    if (holdsKey(side)) {
      this.key(side)
      return
    }
    checkNoActions(this.ctx, side)
    const lone = named ? undefined : this.loneNamed.get(pairKey(side.model.name, side.target.name))
    const nameHint = lone
      ? `${lone.model.name}.${lone.draft.name} holds the key with @relation(name: "${lone.draft.relation!.name!.value}"): give this field the same name.`
      : undefined
    if (side.draft.list) {
      const back = side.model.name[0].toLowerCase() + side.model.name.slice(1)
      const example = suggestedKey({ model: side.target, target: side.model, draft: { ...side.draft, name: back, required: true } })
      const relName = named ? `name: "${name}", ` : ''
      this.ctx.error(
        side.draft.loc,
        `Relation list '${side.draft.name}' of model '${side.model.name}' has no opposite field on '${side.target.name}' holding the key`,
        nameHint ??
          `Add the key side to ${side.target.name}: ${back}: ${side.model.name}! @relation(${relName}fields: [${example.names.join(', ')}], references: [${example.references.join(', ')}]), with ${example.names.map((n, i) => `${n}: ${example.types[i]}!`).join(', ')}.`,
      )
      return
    }
    this.needsKey(side, nameHint)
  }

  private needsKey(side: Side, hint?: string): void {
    const { names, types } = suggestedKey(side)
    const mark = side.draft.required ? '!' : '?'
    this.ctx.error(
      side.draft.loc,
      `Relation field '${side.draft.name}' of model '${side.model.name}' needs @relation(fields:, references:)`,
      hint ?? `Hold the key on this side: ${side.draft.name}: ${side.target.name}${mark} ${keyExample(side)}, with ${names.map((n, i) => `${n}: ${types[i]}${mark}`).join(', ')} declared on ${side.model.name}.`,
    )
  }

  /** Two opposite fields; `a` is the one declared first. */
  private pair(a: Side, b: Side, name: string, named: boolean): void {
    this.out(a, name).opposite = b.draft.name
    this.out(b, name).opposite = a.draft.name
    const aKey = holdsKey(a)
    const bKey = holdsKey(b)
    if (aKey && bKey) {
      this.ctx.error(
        b.draft.relation!.loc,
        `Both sides of relation '${name}' hold a key: ${a.model.name}.${a.draft.name} and ${b.model.name}.${b.draft.name} both have fields/references`,
        'Keep @relation(fields:, references:) on the side whose table stores the key, and remove it from the other.',
      )
      return
    }
    if (aKey || bKey) {
      const [key, back] = aKey ? [a, b] : [b, a]
      checkNoActions(this.ctx, back)
      const info = this.key(key)
      if (!key.draft.list && !back.draft.list) {
        if (back.draft.required) {
          this.ctx.error(
            back.draft.node.type.loc,
            `The back side of a one-to-one relation must be optional: '${back.draft.name}' of model '${back.model.name}'`,
            `Write ${back.draft.name}: ${back.model === back.target ? back.model.name : back.target.name}? (the database cannot require a row of ${key.model.name} to exist).`,
          )
        }
        if (info) this.oneToOne.push({ model: key.model, fields: info.fields, loc: key.draft.relation!.fields!.loc })
      }
      return
    }
    checkNoActions(this.ctx, a)
    checkNoActions(this.ctx, b)
    if (a.draft.list && b.draft.list) {
      const joinTable = manyToMany(this.ctx, a, b, name, named)
      if (joinTable) this.result.joinTables.push(joinTable)
      return
    }
    this.needsKey(!a.draft.list ? a : b)
  }

  /** Checks a key side and records its foreign key. */
  private key(side: Side): KeyInfo | undefined {
    const info = checkKey(this.ctx, side)
    if (!info) return undefined
    const out = side.model.relations.get(side.draft.name)!
    out.fields = info.fields
    out.references = info.references
    out.onDelete = info.onDelete
    out.onUpdate = info.onUpdate
    const columns = info.fields.map((f) => side.model.byName.get(f)!.column)
    side.model.foreignKeys.push({
      name: side.draft.relation?.map?.value ?? constraintName(side.model.table, columns, 'fkey'),
      relationField: side.draft.name,
      fields: info.fields,
      referencedModel: side.target.name,
      references: info.references,
      onDelete: info.onDelete,
      onUpdate: info.onUpdate,
      loc: side.draft.relation!.loc,
    })
    if (info.required) this.result.requiredEdges.push({ from: side.model.name, to: side.target.name, field: side.draft.name, loc: side.draft.loc })
    return info
  }

  private out(side: Side, relationName: string) {
    let out = side.model.relations.get(side.draft.name)
    if (!out) side.model.relations.set(side.draft.name, (out = { relationName }))
    return out
  }

  /** One-to-one: the key fields are unique, unless they already are. Added last so order never matters. */
  addOneToOneUniques(): void {
    for (const { model, fields, loc } of this.oneToOne) {
      if (!isUniqueSet(model, fields)) model.indexes.push({ fields, unique: true, loc })
    }
  }
}
