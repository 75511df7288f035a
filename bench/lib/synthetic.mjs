/**
 * A realistic synthetic schema of N models, as `*.okra.gql` source text, for benchmarks.
 *
 * Deterministic for a given (n, seed). Each model has a primary key (mostly uuid, some autoincrement),
 * 3 to 8 scalar fields of mixed types (optional ones, defaults, @unique, @db, @index), often an enum
 * field with a default, 0 to 2 relations to EARLIER models (so required relations never form a
 * cycle), named on both sides, half of them with a list back reference, sometimes a many-to-many,
 * sometimes the `...Audit` mixin, @@index and @@unique, and now and then a top-level @index.
 */

import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

const NOUNS = [
  'Account', 'Organization', 'Project', 'Product', 'Variant', 'Order', 'LineItem', 'Invoice', 'Payment', 'Shipment',
  'Customer', 'Supplier', 'Warehouse', 'Category', 'Review', 'Coupon', 'Ticket', 'Comment', 'Document', 'Folder',
  'Report', 'Metric', 'Event', 'Subscription', 'Plan', 'Device', 'Session', 'Message', 'Channel', 'Campaign',
]

const ENUM_NAMES = ['Status', 'Kind', 'Priority', 'Stage', 'Tier', 'Visibility', 'Source', 'Region']
const ENUM_VALUES = ['ACTIVE', 'PENDING', 'DRAFT', 'CLOSED', 'ARCHIVED', 'FAILED', 'QUEUED', 'DONE']

/** [name, type, what it may carry] */
const SCALARS = [
  ['name', 'String', 'text'], ['title', 'String', 'text'], ['code', 'String', 'key'], ['slug', 'String', 'key'],
  ['email', 'String', 'key'], ['notes', 'String', 'long'], ['quantity', 'Int', 'zero'], ['position', 'Int', 'zero'],
  ['amount', 'Decimal', ''], ['price', 'Decimal', ''], ['weight', 'Float', ''], ['score', 'Float', ''],
  ['active', 'Boolean', 'flag'], ['archived', 'Boolean', 'flag'], ['startsAt', 'DateTime', 'time'],
  ['endsAt', 'DateTime', 'time'], ['metadata', 'JSON', ''], ['payload', 'JSON', ''], ['checksum', 'Bytes', ''],
  ['externalRef', 'BigInt', ''], ['avatarUrl', 'String', 'text'], ['ipAddress', 'String', 'text'],
]

/**
 * mulberry32: a tiny seeded PRNG, the same sequence for the same seed on every machine, so every run
 * benchmarks the same schema (and a fault or fuzz test's failing sequence can be replayed from its seed).
 */
export function prng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const lowerFirst = (s) => s[0].toLowerCase() + s.slice(1)

function modelName(i) {
  const round = Math.floor(i / NOUNS.length)
  return NOUNS[i % NOUNS.length] + (round ? String(round + 1) : '')
}

function enumName(i) {
  const round = Math.floor(i / ENUM_NAMES.length)
  return ENUM_NAMES[i % ENUM_NAMES.length] + (round ? String(round + 1) : '')
}

/** A field name not yet used in `model`. */
function freshName(model, base) {
  let name = base
  for (let k = 2; model.names.has(name); k++) name = `${base}${k}`
  model.names.add(name)
  return name
}

function buildModels(n, random) {
  const pick = (list) => list[Math.floor(random() * list.length)]
  const chance = (p) => random() < p

  const enums = Array.from({ length: Math.max(2, Math.ceil(n / 25)) }, (_, i) => {
    const count = 3 + Math.floor(random() * 4)
    const start = Math.floor(random() * ENUM_VALUES.length)
    const values = Array.from({ length: count }, (_, k) => ENUM_VALUES[(start + k) % ENUM_VALUES.length])
    return { name: enumName(i), values }
  })

  const models = []
  const topLevel = []
  for (let i = 0; i < n; i++) {
    const model = { name: modelName(i), description: chance(0.3), lines: [], blockDirectives: [], names: new Set(), pk: 'ID' }
    models.push(model)
    model.names.add('id')
    if (chance(0.1)) {
      model.pk = 'Int'
      model.lines.push('id: Int! @id @default(autoincrement)')
    } else {
      model.lines.push('id: ID! @default(uuid)')
    }

    const scalars = []
    const fieldCount = 3 + Math.floor(random() * 6)
    for (let k = 0; k < fieldCount; k++) {
      const [base, type, trait] = pick(SCALARS)
      if (model.names.has(base)) continue
      const name = freshName(model, base)
      const required = chance(0.6)
      let line = `${name}: ${type}${required ? '!' : '?'}`
      if (trait === 'key' && required && chance(0.7)) line += ' @unique'
      if (trait === 'long' && chance(0.5)) line += ' @db(type: "TEXT")'
      if (trait === 'text' && chance(0.2)) line += ' @db(type: "VARCHAR(200)")'
      if (trait === 'zero' && chance(0.6)) line += ' @default(0)'
      if (trait === 'flag' && chance(0.8)) line += ' @default(false)'
      if (trait === 'time' && chance(0.2)) line += ' @index'
      if (chance(0.15)) model.lines.push(`"The ${name} of a ${model.name}."`)
      model.lines.push(line)
      if (type !== 'JSON' && type !== 'Bytes') scalars.push(name)
    }

    if (chance(0.5)) {
      const e = pick(enums)
      model.lines.push(`${freshName(model, lowerFirst(e.name))}: ${e.name}! @default(${e.values[0]})`)
    }

    const relationCount = i === 0 ? 0 : Math.floor(random() * 3)
    const keys = []
    for (let r = 0; r < relationCount; r++) {
      const target = models[Math.floor(random() * i)]
      const relationName = `${model.name}_${r}`
      const field = freshName(model, lowerFirst(target.name))
      const key = freshName(model, `${field}Id`)
      const required = chance(0.6)
      const onDelete = required ? pick(['Cascade', 'Restrict']) : 'SetNull'
      const mark = required ? '!' : '?'
      model.lines.push(`${key}: ${target.pk}${mark}`)
      model.lines.push(
        `${field}: ${target.name}${mark} @relation(name: "${relationName}", fields: [${key}], references: [id], onDelete: ${onDelete})`,
      )
      keys.push(key)
      if (chance(0.5)) {
        target.lines.push(`${freshName(target, `${lowerFirst(model.name)}List`)}: [${model.name}!]! @relation(name: "${relationName}")`)
      }
    }

    if (i > 0 && i % 20 === 0) {
      const target = models[Math.floor(random() * i)]
      const relationName = `${model.name}_many`
      model.lines.push(`${freshName(model, `${lowerFirst(target.name)}Set`)}: [${target.name}!]! @relation(name: "${relationName}")`)
      target.lines.push(`${freshName(target, `${lowerFirst(model.name)}Set`)}: [${model.name}!]! @relation(name: "${relationName}")`)
    }

    if (chance(0.4)) {
      for (const f of ['createdAt', 'updatedAt', 'createdBy']) model.names.add(f)
      model.lines.push('...Audit')
    }
    if (keys.length > 0 && scalars.length > 0 && chance(0.5)) model.blockDirectives.push(`@@index([${keys[0]}, ${scalars[0]}])`)
    if (scalars.length > 1 && chance(0.15)) model.blockDirectives.push(`@@unique([${scalars[0]}, ${scalars[1]}])`)
    if (i % 50 === 49 && scalars.length > 0) topLevel.push(`@index(model: "${model.name}", fields: ["${scalars[0]}", "id"])`)
  }
  return { enums, models, topLevel }
}

function renderModel(model) {
  const head = model.description ? `"""\nSynthetic model ${model.name}.\n"""\n` : ''
  const body = [...model.lines, ...model.blockDirectives].map((l) => `  ${l}`).join('\n')
  return `${head}model ${model.name} {\n${body}\n}\n`
}

const MIXIN = `"Who changed a row and when."
model Audit {
  createdAt: DateTime! @default(now)
  updatedAt: DateTime! @updatedAt
  createdBy: String?
}
`

/**
 * The schema as source files of at most `modelsPerFile` models each (the mixin, the enums and the
 * top-level directives go in the first file), with paths under `dir`. Models refer across files.
 */
export function syntheticSources(n, { seed = 42, modelsPerFile = 100, dir = 'bench/synthetic' } = {}) {
  const { enums, models, topLevel } = buildModels(n, prng(seed))
  const header = [
    '@okra(namespace: "bench", version: "v1")\n',
    MIXIN,
    ...enums.map((e) => `enum ${e.name} { ${e.values.join(' ')} }\n`),
    ...topLevel.map((d) => `${d}\n`),
  ].join('\n')
  const sources = []
  for (let start = 0; start < Math.max(n, 1); start += modelsPerFile) {
    const chunk = models.slice(start, start + modelsPerFile).map(renderModel).join('\n')
    const index = String(sources.length + 1).padStart(3, '0')
    sources.push({ path: `${dir}/part-${index}.okra.gql`, text: start === 0 ? `${header}\n${chunk}` : chunk })
  }
  return sources
}

/** The same schema as one source text. */
export function syntheticSchema(n, options = {}) {
  return syntheticSources(n, { ...options, modelsPerFile: Math.max(n, 1) })[0].text
}

/** Writes `sources` (as syntheticSources gives them) into a project folder, creating their directories. */
export function writeSources(root, sources) {
  for (const source of sources) {
    mkdirSync(dirname(join(root, source.path)), { recursive: true })
    writeFileSync(join(root, source.path), source.text)
  }
}
