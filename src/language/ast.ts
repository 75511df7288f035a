/**
 * The syntax tree of one `*.okra.gql` file, exactly as written (no defaults, no resolution).
 * Every node keeps its location so the checker can point at it.
 */
import type { Location, Source } from './source'

export interface NameNode {
  readonly kind: 'Name'
  readonly value: string
  readonly loc: Location
}

/** `Type`, `Type!`, `Type?`, `[Type!]!`, `[Type]`… */
export interface TypeNode {
  readonly kind: 'Type'
  readonly name: NameNode
  /** `[...]` */
  readonly list: boolean
  /** For a list: whether the items are required (`[T!]`). For a non-list: same as `required`. */
  readonly itemRequired: boolean
  /** The outer `!`. `?` and a bare type are both optional. */
  readonly required: boolean
  readonly loc: Location
}

export type ValueNode =
  | { readonly kind: 'String'; readonly value: string; readonly block: boolean; readonly loc: Location }
  /** The number as written (`42`, `-1.5`, `1e3`): kept as text so BigInt and Decimal lose nothing. */
  | { readonly kind: 'Number'; readonly value: string; readonly loc: Location }
  | { readonly kind: 'Boolean'; readonly value: boolean; readonly loc: Location }
  | { readonly kind: 'Null'; readonly loc: Location }
  /** A bare name: `uuid`, `now`, `autoincrement`, `Cascade`, an enum value, a field name in a list. */
  | { readonly kind: 'Identifier'; readonly value: string; readonly loc: Location }
  | { readonly kind: 'List'; readonly values: readonly ValueNode[]; readonly loc: Location }

/** `name: value`, or a positional argument (`@default(uuid)`, `@map("col")`, `@@index([a, b])`) with no name. */
export interface ArgumentNode {
  readonly kind: 'Argument'
  readonly name: NameNode | null
  readonly value: ValueNode
  readonly loc: Location
}

/** `@name(args)` or, for model-level directives, `@@name(args)`. */
export interface DirectiveNode {
  readonly kind: 'Directive'
  readonly name: NameNode
  /** true for `@@name` */
  readonly modelLevel: boolean
  readonly arguments: readonly ArgumentNode[]
  readonly loc: Location
}

export interface DescriptionNode {
  readonly kind: 'Description'
  /** The text with block-string indentation removed (as GraphQL does). */
  readonly value: string
  readonly loc: Location
}

export interface FieldNode {
  readonly kind: 'Field'
  readonly description: DescriptionNode | null
  readonly name: NameNode
  readonly type: TypeNode
  readonly directives: readonly DirectiveNode[]
  readonly loc: Location
}

/** `...Audit`: copies the fields of another model (a mixin) into this one, at this position. */
export interface SpreadNode {
  readonly kind: 'Spread'
  readonly name: NameNode
  readonly loc: Location
}

export interface ModelNode {
  readonly kind: 'Model'
  readonly description: DescriptionNode | null
  readonly name: NameNode
  /** Fields and spreads in source order. */
  readonly members: readonly (FieldNode | SpreadNode)[]
  /** `@@id`, `@@index`, `@@unique`, `@@map`, `@@renamed` written inside the body. */
  readonly directives: readonly DirectiveNode[]
  readonly loc: Location
}

export interface EnumValueNode {
  readonly kind: 'EnumValue'
  readonly description: DescriptionNode | null
  readonly name: NameNode
  readonly loc: Location
}

export interface EnumNode {
  readonly kind: 'Enum'
  readonly description: DescriptionNode | null
  readonly name: NameNode
  readonly values: readonly EnumValueNode[]
  readonly loc: Location
}

/** A directive at the top level of a file: `@okra(...)`, `@index(model:, fields:)`, `@unique(model:, fields:)`. */
export interface TopDirectiveNode {
  readonly kind: 'TopDirective'
  readonly directive: DirectiveNode
  readonly loc: Location
}

export type DefinitionNode = ModelNode | EnumNode | TopDirectiveNode

export interface DocumentNode {
  readonly kind: 'Document'
  readonly source: Source
  readonly definitions: readonly DefinitionNode[]
}
