/**
 * Reads one schema of a live PostgreSQL database into the physical model (src/schema/physical-types.ts,
 * whose doc comment fixes every normalisation used here). Five set-based catalog queries, whatever the
 * number of tables: columns, constraints, other indexes, enum types, triggers.
 */
import type { DbSchema, DbTable } from '../../schema/physical-types'
import type { Default, ReferentialAction } from '../../schema/types'
import { canonicalJson, finiteNumber, hexToBase64, timestampToIso } from '../default-values'
import type { Queryable } from '../driver'

const COLUMNS = `
  SELECT c.relname AS table_name, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS formatted,
         tn.nspname AS type_schema, t.typname AS type_name, etn.nspname AS elem_schema, et.typname AS elem_name,
         a.attnotnull AS not_null, a.attidentity AS identity, a.attgenerated AS generated,
         pg_get_expr(d.adbin, d.adrelid) AS default_expr
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_type t ON t.oid = a.atttypid
  JOIN pg_namespace tn ON tn.oid = t.typnamespace
  LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
  LEFT JOIN pg_namespace etn ON etn.oid = et.typnamespace
  LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
  WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  ORDER BY c.relname, a.attnum`

/** Column names of a constraint's (or index's) key, in key order. */
const keyColumns = (keys: string, rel: string) => `
  ARRAY(SELECT a.attname::text FROM unnest(${keys}) WITH ORDINALITY k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.attnum ORDER BY k.ord)`

const CONSTRAINTS = `
  SELECT cl.relname AS table_name, con.conname AS name, con.contype AS type,
         ${keyColumns('con.conkey', 'con.conrelid')} AS columns,
         rcl.relname AS ref_table, ${keyColumns('con.confkey', 'con.confrelid')} AS ref_columns,
         con.confupdtype AS on_update, con.confdeltype AS on_delete
  FROM pg_constraint con
  JOIN pg_class cl ON cl.oid = con.conrelid
  JOIN pg_namespace n ON n.oid = cl.relnamespace
  LEFT JOIN pg_class rcl ON rcl.oid = con.confrelid
  WHERE n.nspname = $1 AND con.contype IN ('p', 'u', 'f')`

/** Indexes that no constraint owns (CREATE [UNIQUE] INDEX); an expression part shows as its text. */
const INDEXES = `
  SELECT tc.relname AS table_name, ic.relname AS name, i.indisunique AS is_unique,
         ARRAY(SELECT CASE WHEN k.attnum = 0 THEN pg_get_indexdef(i.indexrelid, k.ord::int, true) ELSE a.attname::text END
               FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
               LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
               WHERE k.ord <= i.indnkeyatts ORDER BY k.ord) AS columns
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_class tc ON tc.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = tc.relnamespace
  WHERE n.nspname = $1 AND tc.relkind IN ('r', 'p') AND NOT i.indisprimary
    AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))`

const ENUMS = `
  SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
  WHERE n.nspname = $1
  GROUP BY t.typname`

const TRIGGERS = `
  SELECT c.relname AS table_name, t.tgtype AS type, t.tgargs AS args, p.prosrc AS body
  FROM pg_trigger t
  JOIN pg_class c ON c.oid = t.tgrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_proc p ON p.oid = t.tgfoid
  WHERE n.nspname = $1 AND NOT t.tgisinternal`

/** pg_trigger.tgtype bits. */
const TRIGGER_ROW = 1
const TRIGGER_UPDATE = 16

const ACTIONS: Record<string, ReferentialAction> = { a: 'NoAction', r: 'Restrict', c: 'Cascade', n: 'SetNull', d: 'SetDefault' }

interface ColumnRow {
  table_name: string
  name: string
  formatted: string
  type_schema: string
  type_name: string
  elem_schema: string | null
  elem_name: string | null
  not_null: boolean
  identity: string
  generated: string
  default_expr: string | null
}

/**
 * One query after another: `db` may be a transaction, that is one connection, which runs one query at a
 * time anyway (node-postgres only queues concurrent ones, and pg@9 will refuse them).
 */
export async function introspectPostgres(db: Queryable, schema: string): Promise<DbSchema> {
  const columnRows = await db.query<ColumnRow>(COLUMNS, [schema])
  const constraintRows = await db.query<{ table_name: string; name: string; type: 'p' | 'u' | 'f'; columns: string[]; ref_table: string | null; ref_columns: string[]; on_update: string; on_delete: string }>(CONSTRAINTS, [schema])
  const indexRows = await db.query<{ table_name: string; name: string; is_unique: boolean; columns: string[] }>(INDEXES, [schema])
  const enumRows = await db.query<{ name: string; values: string[] }>(ENUMS, [schema])
  const triggerRows = await db.query<{ table_name: string; type: number; args: Uint8Array; body: string }>(TRIGGERS, [schema])

  const tables = new Map<string, DbTable>()
  for (const row of columnRows) {
    if (row.table_name.startsWith('_okra_')) continue
    let table = tables.get(row.table_name)
    if (!table) tables.set(row.table_name, (table = { name: row.table_name, columns: [], primaryKey: [], indexes: [], foreignKeys: [] }))
    const type = columnType(row)
    table.columns.push({ name: row.name, type, nullable: !row.not_null, ...readDefault(row, type), autoincrement: row.identity !== '' || isSerial(row.default_expr), updatedAt: false })
  }

  for (const row of constraintRows) {
    const table = tables.get(row.table_name)
    if (!table) continue
    if (row.type === 'p') table.primaryKey = row.columns
    else if (row.type === 'u') table.indexes.push({ name: row.name, columns: row.columns, unique: true })
    else {
      table.foreignKeys.push({
        name: row.name,
        columns: row.columns,
        refTable: row.ref_table!,
        refColumns: row.ref_columns,
        onDelete: ACTIONS[row.on_delete] ?? 'NoAction',
        onUpdate: ACTIONS[row.on_update] ?? 'NoAction',
      })
    }
  }
  for (const row of indexRows) tables.get(row.table_name)?.indexes.push({ name: row.name, columns: row.columns, unique: row.is_unique })

  for (const row of triggerRows) {
    const table = tables.get(row.table_name)
    if (!table || (row.type & TRIGGER_ROW) === 0 || (row.type & TRIGGER_UPDATE) === 0) continue
    for (const name of updatedAtColumns(row.body, row.args)) {
      const column = table.columns.find((c) => c.name === name)
      if (column) column.updatedAt = true
    }
  }

  const sorted = [...tables.values()].sort(byName)
  for (const table of sorted) {
    table.indexes.sort(byName)
    table.foreignKeys.sort(byName)
  }
  return { provider: 'postgres', tables: sorted, enums: enumRows.map((e) => ({ name: e.name, values: e.values })).sort(byName) }
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}

/** A type of the system catalog in its agreed spelling; any other type (enum, domain, extension) by its name. */
function columnType(row: ColumnRow): string {
  if (row.elem_schema !== null && row.elem_schema !== 'pg_catalog') return row.elem_name + '[]'
  if (row.type_schema !== 'pg_catalog') return row.type_name
  return normalisePgType(row.formatted)
}

const TYPE_NAMES: Record<string, string> = {
  'character varying': 'VARCHAR',
  character: 'CHAR',
  bpchar: 'CHAR',
  numeric: 'DECIMAL',
  'bit varying': 'VARBIT',
}

/** format_type's spelling -> the agreed one: `timestamp(3) without time zone` -> `TIMESTAMP(3)`, `numeric(65,30)` -> `DECIMAL(65,30)`. */
export function normalisePgType(formatted: string): string {
  const dims = /(\[\])*$/.exec(formatted)![0]
  const base = formatted.slice(0, formatted.length - dims.length)
  const match = /^([a-z][a-z0-9_ ]*?)(?:\(([^)]*)\))?(?: (with|without) time zone)?$/.exec(base)
  if (!match) return formatted.toUpperCase()
  const [, name, args, zone] = match
  let spelled = TYPE_NAMES[name!] ?? name!.toUpperCase()
  if (name === 'timestamp' || name === 'time') spelled = spelled + (zone === 'with' ? 'TZ' : '')
  return spelled + (args === undefined ? '' : `(${args.replace(/\s+/g, '')})`) + dims
}

function isSerial(expr: string | null): boolean {
  return expr !== null && /^nextval\(/i.test(expr)
}

const NOW = /^(?:(?:CURRENT_TIMESTAMP|LOCALTIMESTAMP)(?:\(\d+\))?|(?:now|transaction_timestamp|statement_timestamp)\(\))$/i
const UUID = /^(?:gen_random_uuid|uuid_generate_v4)\(\)$/i
const IDENT = `(?:"(?:[^"]|"")+"|[A-Za-z_][\\w$]*)`
/** `::character varying`, `::timestamp(3) without time zone`, `::public."Role"`, `::numeric(65,30)[]`, repeated. */
const CASTS = new RegExp(`(?:::${IDENT}(?:\\.${IDENT})?(?: [a-z]+)*(?:\\(\\d+(?:, ?\\d+)?\\))?(?: [a-z]+)*(?:\\[\\])*)+$`)
const STRING_LITERAL = /^'((?:[^']|'')*)'/
const NUMBER_LITERAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/

function readDefault(row: ColumnRow, type: string): { default: Default | null; rawDefault?: string } {
  const expr = row.default_expr
  if (row.identity !== '' || isSerial(expr)) return { default: { kind: 'autoincrement' } }
  if (expr === null) return { default: null }
  if (row.generated !== '') return { default: null, rawDefault: `GENERATED ALWAYS AS (${expr}) STORED` }
  const bare = stripCastsAndParentheses(expr.trim())
  if (NOW.test(bare)) return { default: { kind: 'now' } }
  if (UUID.test(bare)) return { default: { kind: 'uuid' } }
  if (/^null$/i.test(bare)) return { default: null }
  const value = literalValue(bare, type)
  return value === undefined ? { default: null, rawDefault: expr } : { default: { kind: 'value', value } }
}

/** `('-1.5'::numeric)::double precision` -> `'-1.5'`; a string literal is never cut into. */
function stripCastsAndParentheses(expr: string): string {
  let text = expr
  for (;;) {
    const withoutCast = stripCast(text)
    const next = withoutCast.startsWith('(') && withoutCast.endsWith(')') && balanced(withoutCast.slice(1, -1)) ? withoutCast.slice(1, -1).trim() : withoutCast
    if (next === text) return text
    text = next
  }
}

function stripCast(text: string): string {
  const literal = STRING_LITERAL.exec(text)
  if (!literal) return text.replace(CASTS, '')
  // After a string literal, only casts may follow for it to stay a literal.
  const rest = text.slice(literal[0].length)
  return rest !== '' && rest.replace(CASTS, '') === '' ? literal[0] : text
}

function balanced(text: string): boolean {
  let depth = 0
  let inString = false
  for (const c of text) {
    if (c === "'") inString = !inString
    else if (!inString && c === '(') depth++
    else if (!inString && c === ')' && --depth < 0) return false
  }
  return depth === 0 && !inString
}

/** The JS value of a literal default for a column of `type`, or undefined when it is not a plain literal. */
function literalValue(bare: string, type: string): string | number | boolean | undefined {
  const string = STRING_LITERAL.exec(bare)
  const quoted = string && string[0].length === bare.length ? string[1]!.replace(/''/g, "'") : undefined
  const number = NUMBER_LITERAL.exec(bare)?.[0] === bare ? bare : undefined
  const text = quoted ?? number ?? (/^(true|false)$/i.test(bare) ? bare.toLowerCase() : undefined)
  if (text === undefined) return undefined
  if (/^(INTEGER|SMALLINT|REAL|DOUBLE PRECISION)$/.test(type)) return finiteNumber(text)
  if (type === 'BIGINT') return /^[+-]?\d+$/.test(text) ? BigInt(text).toString() : undefined
  if (/^DECIMAL\b/.test(type)) return NUMBER_LITERAL.exec(text)?.[0] === text ? text.replace(/^\+/, '') : undefined
  if (type === 'BOOLEAN') return /^(t|true|y|yes|on|1)$/i.test(text) ? true : /^(f|false|n|no|off|0)$/i.test(text) ? false : undefined
  if (/^TIMESTAMP/.test(type)) return timestampToIso(text)
  if (type === 'JSON' || type === 'JSONB') return canonicalJson(text)
  if (type === 'BYTEA') return text.startsWith('\\x') ? hexToBase64(text.slice(2)) : undefined
  return quoted
}

/**
 * Columns an UPDATE trigger keeps current: its first argument when the function reads TG_ARGV (OKRA's
 * shared `okra_set_updated_at`), else every `NEW.col :=` its body assigns.
 */
function updatedAtColumns(body: string, args: Uint8Array): string[] {
  if (/\bTG_ARGV\b/i.test(body)) {
    // bytea: a Buffer from pg, a plain Uint8Array from other clients (PGlite).
    const first = Buffer.from(args).toString('utf8').split('\0')[0]
    return first ? [first] : []
  }
  const assigned = /(?:^|;|\bBEGIN\b|\bTHEN\b|\bELSE\b)\s*NEW\s*\.\s*("(?:[^"]|"")+"|[A-Za-z_][\w$]*)\s*:?=/gi
  return [...body.matchAll(assigned)].map((m) => (m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replace(/""/g, '"') : m[1]!.toLowerCase()))
}
