/**
 * Schema -> GraphQL SDL: an object type per model (relations as fields of the other type), an enum
 * per enum, and custom scalars for DateTime, JSON, BigInt, Decimal and Bytes when used. Built with
 * graphql-js and printed by its printType, so the SDL is valid and formatted as GraphQL tools expect.
 */
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLFloat,
  GraphQLID,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLString,
  printType,
  type GraphQLNamedType,
  type GraphQLOutputType,
} from 'graphql'
import { SCALAR_TYPES, type Field, type Model, type ScalarType, type Schema } from '../schema/types'
import { OkraError } from '../errors'
import { header } from './header'
import { descriptionLines, memoized } from './names'
import type { GenerateOptions } from './options'

/** What each custom scalar carries, for its description in the SDL. */
const CUSTOM_SCALARS: Partial<Record<ScalarType, string>> = {
  DateTime: 'An ISO-8601 date and time, such as 2024-01-20T14:30:22.000Z.',
  JSON: 'Any JSON value.',
  BigInt: 'A 64-bit integer, as a string of digits so no precision is lost.',
  Decimal: 'An exact decimal number, as a string.',
  Bytes: 'Binary data, as a base64 string.',
}

const BUILT_IN: Partial<Record<ScalarType, GraphQLScalarType>> = {
  ID: GraphQLID,
  String: GraphQLString,
  Int: GraphQLInt,
  Float: GraphQLFloat,
  Boolean: GraphQLBoolean,
}

export function generateGraphQL(schema: Schema, opts: GenerateOptions): string {
  assertExpressible(schema)
  // The custom scalars the models use, in SCALAR_TYPES order so the SDL lists them first.
  const used = new Set<ScalarType>()
  for (const model of schema.models) for (const field of model.fields) if (field.kind === 'scalar') used.add(field.type)
  const scalars = new Map(
    SCALAR_TYPES.filter((type) => used.has(type) && !BUILT_IN[type]).map((type) => [
      type,
      new GraphQLScalarType({ name: type, description: CUSTOM_SCALARS[type] }),
    ]),
  )
  const scalar = (type: ScalarType) => BUILT_IN[type] ?? scalars.get(type)!

  const enums = new Map(
    schema.enums.map((e) => [
      e.name,
      new GraphQLEnumType({
        name: e.name,
        description: describe(e.description),
        values: Object.fromEntries(e.values.map((v) => [v.name, { value: v.name, description: describe(v.description) }])),
      }),
    ]),
  )
  const objects = new Map<string, GraphQLObjectType>()
  // One NonNull and one list type per type, shared by every field using it.
  const nonNull = memoized((type: NullableOutputType) => new GraphQLNonNull(type))
  const listOf = memoized((target: GraphQLObjectType) => new GraphQLList(nonNull(target)))
  const nullableType = (field: Field): NullableOutputType => {
    if (field.kind === 'scalar') return scalar(field.type)
    if (field.kind === 'enum') return enums.get(field.type)!
    const target = objects.get(field.type)!
    return field.list ? listOf(target) : target
  }
  const outputType = (field: Field): GraphQLOutputType => (field.required ? nonNull(nullableType(field)) : nullableType(field))
  const objectType = (model: Model) =>
    new GraphQLObjectType({
      name: model.name,
      description: describe(model.description),
      // A thunk: relations may point at models defined later, or at the model itself.
      fields: () => Object.fromEntries(model.fields.map((f) => [f.name, { type: outputType(f), description: describe(f.description) }])),
    })
  for (const model of schema.models) objects.set(model.name, objectType(model))

  // What printSchema(new GraphQLSchema({ types })) prints, without building the schema: it would only
  // collect these same types (names are unique, and no query type means no schema definition).
  const types: GraphQLNamedType[] = [...scalars.values(), ...enums.values(), ...objects.values()]
  const sdl = types.map(printType).join('\n\n')
  // printSchema indents the blank lines of block strings: drop that trailing whitespace (it is not part of any value).
  return header(opts.sources, '#') + '\n' + sdl.replace(/[ \t]+$/gm, '') + '\n'
}

/**
 * Names the schema language accepts but GraphQL SDL cannot hold: an enum value `true`, `false` or `null`,
 * and names starting with `__` (reserved for introspection). One error lists them all.
 */
function assertExpressible(schema: Schema): void {
  const problems = [
    ...schema.enums.flatMap((e) => e.values.filter((v) => ['true', 'false', 'null'].includes(v.name)).map((v) => `enum value ${e.name}.${v.name} is a GraphQL literal`)),
    ...[...schema.enums, ...schema.models].filter((t) => t.name.startsWith('__')).map((t) => `type ${t.name} starts with "__"`),
    ...schema.enums.flatMap((e) => e.values.filter((v) => v.name.startsWith('__')).map((v) => `enum value ${e.name}.${v.name} starts with "__"`)),
    ...schema.models.flatMap((m) => m.fields.filter((f) => f.name.startsWith('__')).map((f) => `field ${m.name}.${f.name} starts with "__"`)),
  ]
  if (problems.length > 0) {
    throw new OkraError(
      `Cannot generate GraphQL SDL: ${problems.join('; ')}`,
      'Rename them in the schema (GraphQL reserves these names), or remove generate.graphql from okra.config.json.',
    )
  }
}

/** The description as the other targets see it (see descriptionLines), or undefined. */
function describe(description: string | undefined): string | undefined {
  const lines = descriptionLines(description)
  return lines.length === 0 ? undefined : lines.join('\n')
}

/** The output types that may be wrapped in NonNull. */
type NullableOutputType = GraphQLScalarType | GraphQLObjectType | GraphQLEnumType | GraphQLList<GraphQLOutputType>
