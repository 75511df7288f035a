/**
 * The peer tools the whole-process benchmarks run side by side with okra (drizzle-kit, prisma), from
 * bench/peers/: a package.json of its own, installed on first use (`npm install --prefix bench/peers`),
 * never a dependency of unplugin-okra. What cannot run here is reported, never replaced by a guess.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { projectRoot } from './dist.mjs'

export const peersDir = join(projectRoot, 'bench', 'peers')
export const peersModules = join(peersDir, 'node_modules')

function installed() {
  return existsSync(join(peersModules, 'drizzle-kit', 'package.json')) && existsSync(join(peersModules, 'prisma', 'package.json'))
}

/** Installs bench/peers when it is not yet; returns { drizzleKit, prisma } (each a bin path, or null with `reason`). */
export function ensurePeers() {
  if (!installed()) {
    console.log('Installing the peer tools into bench/peers (first use) ...')
    // The proxy's certificates, which bench/run.mjs takes away from the measured processes, are npm's way out.
    const certs = process.env.OKRA_BENCH_NODE_EXTRA_CA_CERTS
    const env = certs ? { ...process.env, NODE_EXTRA_CA_CERTS: certs } : process.env
    const run = spawnSync('npm', ['install', '--prefix', peersDir, '--no-audit', '--no-fund'], { stdio: 'inherit', env })
    if (run.status !== 0 || !installed()) return { drizzleKit: null, prisma: null, reason: 'npm install --prefix bench/peers failed' }
  }
  const version = (name) => JSON.parse(readFileSync(join(peersModules, name, 'package.json'), 'utf8')).version
  return {
    drizzleKit: join(peersModules, 'drizzle-kit', 'bin.cjs'),
    prisma: join(peersModules, 'prisma', 'build', 'index.js'),
    versions: { 'drizzle-kit': version('drizzle-kit'), 'drizzle-orm': version('drizzle-orm'), prisma: version('prisma') },
  }
}

/**
 * The environment `prisma generate` runs in. Prisma's CLI insists on its schema-engine binary, which it
 * downloads from binaries.prisma.sh (unreachable offline); `generate` itself never runs it (the schema is
 * read by Prisma's WebAssembly module), so the path points at /bin/false: were the engine ever run, the
 * command would fail, not be faster. CHECKPOINT_DISABLE turns off Prisma's update check over the network.
 */
export function prismaEnv() {
  return { ...process.env, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1', PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false', PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: '1' }
}

const PRISMA_TYPES = { ID: 'String', String: 'String', Int: 'Int', Float: 'Float', Boolean: 'Boolean', DateTime: 'DateTime', JSON: 'Json', Bytes: 'Bytes', BigInt: 'BigInt', Decimal: 'Decimal' }

function prismaDefault(field) {
  const d = field.default
  if (!d) return ''
  if (d.kind === 'uuid') return ' @default(uuid())'
  if (d.kind === 'now') return ' @default(now())'
  if (d.kind === 'autoincrement') return ' @default(autoincrement())'
  if (d.kind === 'value' && field.kind === 'enum') return ` @default(${d.value})`
  if (d.kind === 'value' && (typeof d.value === 'number' || typeof d.value === 'boolean')) return ` @default(${d.value})`
  if (d.kind === 'value' && typeof d.value === 'string') return ` @default(${JSON.stringify(d.value)})`
  return ''
}

/**
 * The same tables as a compiled OKRA schema, as a Prisma schema: every model with its scalar and enum
 * columns (the foreign-key columns included), primary keys and enums. Relation fields are left out:
 * they only make Prisma's client bigger, so the comparison is, if anything, kind to Prisma.
 */
export function prismaSchemaOf(schema, provider) {
  const out = [
    'generator client {\n  provider = "prisma-client"\n  output   = "./prisma-generated"\n}',
    `datasource db {\n  provider = "${provider === 'postgres' ? 'postgresql' : 'sqlite'}"\n}`,
  ]
  if (provider === 'postgres') for (const e of schema.enums) out.push(`enum ${e.name} {\n${e.values.map((v) => `  ${v.name}`).join('\n')}\n}`)
  for (const model of schema.models) {
    const lines = []
    for (const field of model.fields) {
      if (field.kind !== 'scalar' && field.kind !== 'enum') continue
      const autoincrement = field.default?.kind === 'autoincrement'
      // SQLite has no enums in Prisma: the column is a String there, as it is a TEXT column in OKRA's table.
      const type = field.kind === 'enum' ? (provider === 'postgres' ? field.type : 'String') : autoincrement ? 'Int' : PRISMA_TYPES[field.type]
      if (!type) continue
      const id = model.primaryKey.length === 1 && model.primaryKey[0] === field.name ? ' @id' : ''
      const dflt = field.kind === 'enum' && provider !== 'postgres' && field.default ? ` @default("${field.default.value}")` : prismaDefault(field)
      lines.push(`  ${field.name} ${type}${field.required ? '' : '?'}${id}${dflt} @map("${field.column}")`)
    }
    if (model.primaryKey.length > 1) lines.push(`  @@id([${model.primaryKey.join(', ')}])`)
    lines.push(`  @@map("${model.table}")`)
    out.push(`model ${model.name} {\n${lines.join('\n')}\n}`)
  }
  return out.join('\n\n') + '\n'
}

const DRIZZLE_SQLITE = { ID: 'text', String: 'text', DateTime: 'text', Decimal: 'text', JSON: 'text', Int: 'integer', Boolean: 'integer', BigInt: 'integer', Float: 'real', Bytes: 'blob' }
const DRIZZLE_PG = { ID: 'text', String: 'text', DateTime: 'timestamp', Decimal: 'numeric', JSON: 'jsonb', Int: 'integer', Boolean: 'boolean', BigInt: 'bigint', Float: 'doublePrecision', Bytes: 'text' }

/**
 * The same tables as a compiled OKRA schema, as a drizzle schema (schema.ts): every model's columns with
 * their types, NOT NULL, primary keys, foreign keys and (PostgreSQL) enums. drizzle-kit creates them with
 * its first `push`; `drizzle-kit pull` cannot be used instead: on SQLite it writes a schema that its own
 * `push` fails on (CHECK constraints and SQL defaults mangled).
 */
export function drizzleSchemaOf(schema, dialect) {
  const pg = dialect === 'postgresql'
  const types = pg ? DRIZZLE_PG : DRIZZLE_SQLITE
  const used = new Set(['text'])
  const out = []
  const enumVar = (name) => `enum_${name}`
  if (pg) for (const e of schema.enums) out.push(`export const ${enumVar(e.name)} = pgEnum("${e.dbName}", [${e.values.map((v) => JSON.stringify(v.name)).join(', ')}])`)
  const tableVar = (name) => `t_${name}`
  let composite = false
  for (const model of schema.models) {
    const fks = new Map()
    for (const fk of model.foreignKeys) if (fk.fields.length === 1) fks.set(fk.fields[0], fk)
    const columns = []
    for (const field of model.fields) {
      if (field.kind !== 'scalar' && field.kind !== 'enum') continue
      const builder = field.kind === 'enum' ? (pg ? enumVar(field.type) : 'text') : types[field.default?.kind === 'autoincrement' ? 'Int' : field.type]
      if (!builder) continue
      used.add(builder)
      let column = `${builder}("${field.column}"${builder === 'bigint' ? ', { mode: "number" }' : ''})`
      if (model.primaryKey.length === 1 && model.primaryKey[0] === field.name) column += '.primaryKey()'
      else if (field.required) column += '.notNull()'
      const fk = fks.get(field.name)
      const target = fk && schema.models.find((m) => m.name === fk.referencedModel)
      const targetField = target?.fields.find((f) => f.name === fk.references[0])
      if (target && targetField) column += `.references((): AnyColumn => ${tableVar(target.name)}.${targetField.name})`
      columns.push(`  ${field.name}: ${column},`)
    }
    const keys = model.primaryKey.length > 1 ? `, (t) => [primaryKey({ columns: [${model.primaryKey.map((k) => `t.${k}`).join(', ')}] })]` : ''
    if (keys) composite = true
    out.push(`export const ${tableVar(model.name)} = ${pg ? 'pgTable' : 'sqliteTable'}("${model.table}", {\n${columns.join('\n')}\n}${keys})`)
  }
  const builders = [...used].filter((b) => !b.startsWith('enum_'))
  const core = pg ? 'drizzle-orm/pg-core' : 'drizzle-orm/sqlite-core'
  const imports = [pg ? 'pgTable' : 'sqliteTable', ...(pg && schema.enums.length ? ['pgEnum'] : []), ...(composite ? ['primaryKey'] : []), ...builders]
  return `import type { AnyColumn } from "drizzle-orm"\nimport { ${imports.join(', ')} } from "${core}"\n\n${out.join('\n\n')}\n`
}
