/**
 * Compatibility warnings: when the environments of a project use different providers (SQLite in
 * development, PostgreSQL in production), the same schema is stored differently by each. For every
 * portable feature the schema uses whose behaviour differs between those databases, one warning says
 * which fields use it and what each database does. Pure; `db:validate` and `db:migrate:snapshot` print
 * them (once per run, never on every save of the dev loop).
 */
import { type PortableFeature, dialectOf } from '../dialects/index'
import type { Provider } from '../schema/physical-types'
import type { Field, Model, Schema } from '../schema/types'

export interface CompatibilityWarning {
  feature: PortableFeature
  /** `Post.metadata`, in schema order. */
  fields: string[]
  /** What each provider does, by provider, in the order given. */
  behaviour: { provider: Provider; database: string; does: string }[]
  /** The whole warning, several lines. */
  message: string
}

const FEATURE_NAMES: Record<PortableFeature, string> = {
  JSON: 'JSON',
  DateTime: 'DateTime',
  Decimal: 'Decimal',
  BigInt: 'BigInt',
  Boolean: 'Boolean',
  enum: 'enum',
  uniqueText: 'unique String',
}

const ORDER: readonly PortableFeature[] = ['JSON', 'DateTime', 'Decimal', 'BigInt', 'Boolean', 'enum', 'uniqueText']

/** The features a field uses, stored by OKRA's own mapping (a `@db(type:)` is the user's own choice of storage). */
function featuresOf(model: Model, field: Field): PortableFeature[] {
  if (field.kind === 'relation' || field.dbType !== undefined) return []
  if (field.kind === 'enum') return ['enum']
  const features: PortableFeature[] = []
  if (field.type === 'JSON' || field.type === 'DateTime' || field.type === 'Decimal' || field.type === 'BigInt' || field.type === 'Boolean') features.push(field.type)
  const unique = [model.primaryKey, ...model.uniques.map((u) => u.fields)].some((key) => key.includes(field.name))
  if (field.type === 'String' && unique) features.push('uniqueText')
  return features
}

export function compatibilityWarnings(schema: Schema, providers: readonly Provider[]): CompatibilityWarning[] {
  const distinct = [...new Set(providers)]
  if (distinct.length < 2) return []
  const dialects = distinct.map((p) => dialectOf(p))
  const fields = new Map<PortableFeature, string[]>()
  for (const model of schema.models) {
    for (const field of model.fields) {
      for (const feature of featuresOf(model, field)) fields.set(feature, [...(fields.get(feature) ?? []), `${model.name}.${field.name}`])
    }
  }
  const warnings: CompatibilityWarning[] = []
  for (const feature of ORDER) {
    const using = fields.get(feature)
    if (!using) continue
    const behaviour = dialects.map((d) => ({ provider: d.provider, database: d.displayName, does: d.behaviour[feature] }))
    if (new Set(behaviour.map((b) => b.does)).size < 2) continue
    const shown = using.length > 4 ? `${using.slice(0, 4).join(', ')} and ${using.length - 4} more` : using.join(', ')
    const message = [
      `${FEATURE_NAMES[feature]} fields behave differently on ${behaviour.map((b) => b.database).join(' and ')} (${shown}):`,
      ...behaviour.map((b) => `  ${b.database}: ${b.does}`),
    ].join('\n')
    warnings.push({ feature, fields: using, behaviour, message })
  }
  return warnings
}
