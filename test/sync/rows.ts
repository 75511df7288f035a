/**
 * Rows for any schema: one new row per table, parents first, every column given a value of its type
 * (nullable columns NULL every other round), every foreign key pointing at the parent row made in the
 * same round. Values come from one counter, so unique columns and keys never collide. Used by the
 * evolution corpus to prove that rows survive every step.
 */
import type { Driver } from '../../src/dialects/index'
import type { DbColumn, DbSchema, DbTable } from '../../src/schema/physical-types'

type Row = Record<string, unknown>

const id = (name: string) => `"${name.replace(/"/g, '""')}"`

export class RowFactory {
  private seq = 0
  private round = 0
  /** The row made last in each table (by table name). */
  private readonly last = new Map<string, Row>()

  /** Inserts one row into every table of `db` (the database's current shape); returns the tables filled. */
  async insertRound(driver: Driver, db: DbSchema): Promise<string[]> {
    this.round++
    const filled: string[] = []
    const previous = new Map(this.last)
    for (const table of parentsFirst(db.tables)) {
      const row = this.makeRow(table, db, previous)
      if (!row) continue
      const columns = Object.keys(row)
      await driver.query(
        `INSERT INTO ${id(table.name)} (${columns.map(id).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
        columns.map((c) => row[c]),
      )
      this.last.set(table.name, row)
      filled.push(table.name)
    }
    return filled
  }

  /** Follows renames so that the next round's foreign keys still find their parents. */
  renameTable(from: string, to: string): void {
    const row = this.last.get(from)
    if (!row) return
    this.last.delete(from)
    this.last.set(to, row)
  }

  renameColumn(table: string, from: string, to: string): void {
    const row = this.last.get(table)
    if (!row || !(from in row)) return
    row[to] = row[from]
    delete row[from]
  }

  private makeRow(table: DbTable, db: DbSchema, previous: Map<string, Row>): Row | undefined {
    const row: Row = {}
    const keyColumns = new Set(table.foreignKeys.flatMap((fk) => fk.columns))
    for (const fk of table.foreignKeys) {
      // A self-reference points at the row made in an earlier round.
      const parent = fk.refTable === table.name ? previous.get(table.name) : this.last.get(fk.refTable)
      fk.columns.forEach((column, i) => {
        const value = parent?.[fk.refColumns[i]!]
        row[column] = value === undefined ? null : value
      })
    }
    for (const column of table.columns) {
      if (keyColumns.has(column.name)) {
        if (row[column.name] === null && !column.nullable) return undefined
        continue
      }
      row[column.name] = column.nullable && this.round % 2 === 1 && !table.primaryKey.includes(column.name) ? null : this.value(column, db)
    }
    return row
  }

  private value(column: DbColumn, db: DbSchema): unknown {
    const n = ++this.seq
    switch (column.logicalType) {
      case 'ID':
        return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`
      case 'String':
        return `s${n}`
      case 'Int':
        return n
      case 'BigInt':
        return db.provider === 'postgres' ? String(n) : n
      case 'Float':
        return n + 0.5
      case 'Decimal':
        return `${n}.25`
      case 'Boolean':
        return n % 2 === 0
      case 'DateTime':
        return new Date(Date.UTC(2024, 0, 1) + n * 1000).toISOString()
      case 'JSON':
        return JSON.stringify({ n })
      case 'Bytes':
        return Buffer.from([n % 256, 1, 2])
      default: {
        const values = column.enumValues ?? db.enums.find((e) => e.name === column.type)?.values
        if (!values?.length) throw new Error(`RowFactory: no value for ${column.name} of type ${column.logicalType ?? column.type}`)
        return values[0]
      }
    }
  }
}

/** Tables ordered so that every table comes after the tables its foreign keys reference (self-references aside). */
export function parentsFirst(tables: readonly DbTable[]): DbTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]))
  const out: DbTable[] = []
  const seen = new Set<string>()
  const visit = (table: DbTable) => {
    if (seen.has(table.name)) return
    seen.add(table.name)
    for (const fk of table.foreignKeys) {
      const parent = byName.get(fk.refTable)
      if (parent && parent !== table) visit(parent)
    }
    out.push(table)
  }
  for (const table of tables) visit(table)
  return out
}

/** Rows per table, and non-null values per column, as the database holds them now. */
export async function census(driver: Driver, db: DbSchema): Promise<Map<string, { rows: number; values: Map<string, number> }>> {
  const out = new Map<string, { rows: number; values: Map<string, number> }>()
  for (const table of db.tables) {
    const parts = [`COUNT(*) AS "rows"`, ...table.columns.map((c, i) => `COUNT(${id(c.name)}) AS "c${i}"`)]
    const [row] = await driver.query<Record<string, number | string>>(`SELECT ${parts.join(', ')} FROM ${id(table.name)}`)
    out.set(table.name, { rows: Number(row!.rows), values: new Map(table.columns.map((c, i) => [c.name, Number(row![`c${i}`])])) })
  }
  return out
}
