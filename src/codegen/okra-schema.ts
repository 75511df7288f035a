/**
 * DbSchema -> `*.okra.gql` text: what `okra db:pull` writes from a database that exists. Pure and
 * deterministic (the same database gives the same text, byte for byte).
 *
 * The text is written so that compiling it and mapping it back (toPhysical) gives the database again:
 * models named after their tables (`order_items` -> `OrderItem`), fields after their columns
 * (`created_at` -> `createdAt`), with `@@map` / `@map` where the naming rules would give another name;
 * the native type as `@db(type:)` where it is not the scalar's own; `map:` on indexes, unique constraints
 * and foreign keys whose names differ from the generated ones; PostgreSQL enum types and SQLite CHECK
 * lists as enums; a relation per foreign key, with a field on both sides. What the language cannot say
 * (an array column, a default computed by an expression, a table without a primary key) is a `#`
 * comment where it would go, and a note in the result.
 */
import { SCALAR_TYPES, type ReferentialAction, type ScalarType } from '../schema/types'
import type { DbColumn, DbForeignKey, DbIndex, DbSchema, DbTable, TypeRules } from '../schema/physical-types'
import { SAFE_DB_NAME, camelCase, columnName, constraintName, pascalCase, pluralize, singularize, snakeCase, tableName } from '../schema/naming'
import { SAFE_DB_TYPE } from '../schema/rules/fields'

export interface PullNote {
  /** `orders.tags`, `orders`, `enum mood`. */
  where: string
  message: string
}

export interface WrittenSchema {
  text: string
  models: number
  enums: number
  /** What could not be expressed (also written as comments in the text). */
  notes: PullNote[]
}

export interface WriteOptions {
  /** Comment lines for the top of the file (without `# `). */
  header?: readonly string[]
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const RESERVED_TYPES = new Set<string>([...SCALAR_TYPES])

interface EnumOut {
  name: string
  values: string[]
  /** PostgreSQL: the type's name; SQLite: undefined (a CHECK list). */
  dbName?: string
}

interface FieldOut {
  name: string
  /** The table's name, for notes. */
  table: string
  column: DbColumn
  /** A scalar, or an enum's name. */
  type: string
  isEnum: boolean
  dbType?: string
  required: boolean
  directives: string[]
  comments: string[]
}

interface RelationOut {
  name: string
  target: ModelOut
  list: boolean
  required: boolean
  relationName?: string
  /** The side holding the key. */
  key?: { fields: string[]; references: string[]; onDelete?: ReferentialAction; onUpdate?: ReferentialAction; map?: string }
}

interface ModelOut {
  name: string
  table: DbTable
  fields: FieldOut[]
  relations: RelationOut[]
  /** Model-level directives (`@@id`, `@@unique`, `@@index`, `@@map`). */
  directives: string[]
  comments: string[]
  /** Field and relation names taken. */
  taken: Set<string>
}

export function okraSchemaText(db: DbSchema, types: TypeRules, options: WriteOptions = {}): WrittenSchema {
  return new Writer(db, types).write(options)
}

class Writer {
  private readonly notes: PullNote[] = []
  private readonly enums: EnumOut[] = []
  /** PostgreSQL enum type name -> enum. */
  private readonly nativeEnums = new Map<string, EnumOut>()
  /** SQLite: the value list (joined) -> enum. */
  private readonly checkedEnums = new Map<string, EnumOut>()
  private readonly models = new Map<string, ModelOut>()
  private readonly skipped: string[] = []
  /** Relations between two models (`A\0B`, sorted): two or more need names. */
  private readonly pairs = new Map<string, number>()
  private readonly typeNames = new Set<string>(RESERVED_TYPES)

  /** Tables some foreign key points at (an implicit join table never is). */
  private readonly referenced: ReadonlySet<string>

  constructor(
    private readonly db: DbSchema,
    private readonly types: TypeRules,
  ) {
    this.referenced = new Set(db.tables.flatMap((t) => t.foreignKeys.filter((k) => k.refTable !== t.name).map((k) => k.refTable)))
  }

  write(options: WriteOptions): WrittenSchema {
    this.readNativeEnums()
    this.nameModels()
    for (const model of this.models.values()) this.readFields(model)
    this.adoptKeyTypes()
    const implicit = new Set<string>()
    for (const model of this.models.values()) if (this.implicitJoin(model)) implicit.add(model.table.name)
    for (const table of implicit) this.models.delete(table)
    for (const model of this.models.values()) {
      for (const fk of model.table.foreignKeys) {
        const target = this.models.get(fk.refTable)
        if (target) this.countPair(model, target)
      }
    }
    for (const model of this.models.values()) this.readIndexes(model)
    for (const model of this.models.values()) this.readForeignKeys(model)
    return { text: this.render(options), models: this.models.size, enums: this.enums.length, notes: this.notes }
  }

  private countPair(a: ModelOut, b: ModelOut): void {
    const key = [a.name, b.name].sort().join('\0')
    this.pairs.set(key, (this.pairs.get(key) ?? 0) + 1)
  }

  private note(where: string, message: string): void {
    this.notes.push({ where, message })
  }

  // ---- Names

  /** A type name not taken yet: `wanted`, else `wanted2`, `wanted3`... */
  private claimType(wanted: string): string {
    let name = NAME.test(wanted) ? wanted : `T${wanted.replace(/[^A-Za-z0-9_]/g, '_')}`
    for (let n = 2; this.typeNames.has(name); n++) name = `${wanted}${n}`
    this.typeNames.add(name)
    return name
  }

  private claimField(model: ModelOut, wanted: string): string {
    const base = NAME.test(wanted) ? wanted : `f${wanted.replace(/[^A-Za-z0-9_]/g, '_')}`
    let name = base
    for (let n = 2; model.taken.has(name); n++) name = `${base}${n}`
    model.taken.add(name)
    return name
  }

  // ---- Enums

  private readNativeEnums(): void {
    for (const e of this.db.enums) {
      const name = pascalCase(e.name)
      const bad = e.values.filter((v) => !NAME.test(v))
      if (!NAME.test(name) || snakeCase(name) !== e.name) {
        this.note(`enum ${e.name}`, `an enum type named '${e.name}' cannot be declared: OKRA names the type after the enum in snake_case (rename the type to ${snakeCase(name || 'my_enum')})`)
        continue
      }
      if (bad.length) {
        this.note(`enum ${e.name}`, `values ${bad.map((v) => `'${v}'`).join(', ')} are not names (letters, digits, _), so the enum cannot be declared`)
        continue
      }
      const out = { name: this.claimType(name), values: [...e.values], dbName: e.name }
      this.enums.push(out)
      this.nativeEnums.set(e.name, out)
    }
  }

  /** SQLite: the enum of a `CHECK (col IN (...))` list, shared by every column with the same values. */
  private checkedEnum(model: ModelOut, column: DbColumn): EnumOut | undefined {
    const values = column.enumValues!
    const where = `${model.table.name}.${column.name}`
    if (column.type !== 'TEXT') {
      this.note(where, `a CHECK list on a ${column.type} column: OKRA's enums are TEXT on SQLite, so it is written as a String and the CHECK is not kept`)
      return undefined
    }
    const bad = values.filter((v) => !NAME.test(v))
    if (bad.length) {
      this.note(where, `CHECK values ${bad.map((v) => `'${v}'`).join(', ')} are not names (letters, digits, _): written as a String, the CHECK is not kept`)
      return undefined
    }
    const key = [...values].sort().join('\0')
    let out = this.checkedEnums.get(key)
    if (!out) {
      const own = pascalCase(column.name)
      const wanted = this.typeNames.has(own) ? `${model.name}${own}` : own
      out = { name: this.claimType(wanted), values: [...values] }
      this.enums.push(out)
      this.checkedEnums.set(key, out)
    }
    return out
  }

  // ---- Models and fields

  private nameModels(): void {
    const preferred = this.namesFromJoinTables()
    for (const table of this.db.tables) {
      if (!SAFE_DB_NAME.test(table.name)) {
        this.skip(table, `its name '${table.name}' cannot be mapped (@@map takes letters, digits and _)`)
        continue
      }
      if (table.primaryKey.length === 0) {
        this.skip(table, 'it has no primary key, and every OKRA model needs one (add one to the table, then pull again)')
        continue
      }
      const name = this.claimType(preferred.get(table.name) ?? (pascalCase(singularize(table.name)) || 'Model'))
      const model: ModelOut = { name, table, fields: [], relations: [], directives: [], comments: [], taken: new Set() }
      if (tableName(name) !== table.name) model.directives.push(`@@map(${str(table.name)})`)
      this.models.set(table.name, model)
    }
  }

  /**
   * The model names implicit many-to-many tables reveal: OKRA names their columns after the models
   * (`account_id` for a model Account, whatever its table), so a table `members` joined through
   * `account_id` was the model Account. Only names every such column agrees on.
   */
  private namesFromJoinTables(): Map<string, string> {
    const seen = new Map<string, Set<string>>()
    for (const table of this.db.tables) {
      if (table.columns.length !== 2 || table.primaryKey.length !== 2 || table.foreignKeys.length !== 2) continue
      for (const column of table.columns) {
        const fk = table.foreignKeys.find((k) => k.columns.length === 1 && k.columns[0] === column.name)
        const model = /^(.+)_id$/.exec(column.name)?.[1]
        if (!fk || !model || column.name === 'a_id' || column.name === 'b_id' || fk.refTable === table.name) continue
        const name = pascalCase(model)
        if (snakeCase(name) === model) seen.set(fk.refTable, new Set([...(seen.get(fk.refTable) ?? []), name]))
      }
    }
    return new Map([...seen].filter(([, names]) => names.size === 1).map(([table, names]) => [table, [...names][0]!]))
  }

  private skip(table: DbTable, why: string): void {
    this.note(table.name, `table left out: ${why}; db:sync would drop it`)
    this.skipped.push(`table ${table.name} is left out: ${why}`)
  }

  private readFields(model: ModelOut): void {
    const { table } = model
    for (const column of table.columns) {
      const where = `${table.name}.${column.name}`
      if (!SAFE_DB_NAME.test(column.name)) {
        this.note(where, `column left out: its name cannot be mapped (@map takes letters, digits and _); db:sync would drop it`)
        model.comments.push(`column ${column.name} is left out: its name cannot be mapped`)
        continue
      }
      const field = this.fieldOf(model, column, where)
      if (field) model.fields.push(field)
    }
    const key = table.primaryKey.map((c) => model.fields.find((f) => f.column.name === c))
    if (key.some((f) => f === undefined)) return
    if (key.length === 1) {
      if (key[0]!.name !== 'id') key[0]!.directives.unshift('@id')
    } else {
      model.directives.unshift(`@@id([${key.map((f) => f!.name).join(', ')}])`)
    }
  }

  private fieldOf(model: ModelOut, column: DbColumn, where: string): FieldOut | undefined {
    const name = this.claimField(model, camelCase(column.name) || column.name)
    const field: FieldOut = { name, table: model.table.name, column, type: 'String', isEnum: false, required: !column.nullable, directives: [], comments: [] }
    const nativeEnum = this.nativeEnums.get(column.type)
    const checked = column.enumValues ? this.checkedEnum(model, column) : undefined
    if (nativeEnum || checked) {
      field.type = (nativeEnum ?? checked)!.name
      field.isEnum = true
    } else {
      let scalar = this.types.scalarOf(column.type)
      if (scalar === undefined || !SAFE_DB_TYPE.test(column.type)) {
        this.note(where, `column left out: its type ${column.type} cannot be written in @db(type:); db:sync would drop it`)
        model.comments.push(`${column.name} ${column.type}: left out, a type OKRA cannot express`)
        model.taken.delete(name)
        return undefined
      }
      // The function defaults decide between scalars stored alike (SQLite keeps DateTime and String as TEXT).
      if (column.default?.kind === 'now' || column.updatedAt) scalar = 'DateTime'
      if (column.default?.kind === 'uuid' && scalar !== 'ID' && scalar !== 'String') scalar = 'String'
      if (scalar === 'Int' && isBeyondInt(column)) scalar = 'BigInt'
      // A text key filled with UUIDs is what OKRA writes for `ID @default(uuid)` on SQLite.
      if (scalar === 'String' && column.default?.kind === 'uuid' && sameList(model.table.primaryKey, [column.name])) scalar = 'ID'
      field.type = scalar
    }
    this.setDbType(field)
    return field
  }

  /** `@db(type:)` when the column's type is not the one the field's type gets by itself. */
  private setDbType(field: FieldOut): void {
    const native = field.isEnum
      ? this.types.enums === 'native'
        ? this.enums.find((e) => e.name === field.type)!.dbName!
        : 'TEXT'
      : this.types.nativeType(field.type as ScalarType)
    field.dbType = native === field.column.type ? undefined : field.column.type
  }

  /** A foreign key field has the type of the field it references (the language requires it). */
  private adoptKeyTypes(): void {
    for (let pass = 0; pass < 4; pass++) {
      let changed = false
      for (const model of this.models.values()) {
        for (const fk of model.table.foreignKeys) {
          const target = this.models.get(fk.refTable)
          if (!target) continue
          fk.columns.forEach((c, i) => {
            const field = model.fields.find((f) => f.column.name === c)
            const referenced = target.fields.find((f) => f.column.name === fk.refColumns[i])
            if (!field || !referenced || (field.type === referenced.type && field.isEnum === referenced.isEnum)) return
            field.type = referenced.type
            field.isEnum = referenced.isEnum
            this.setDbType(field)
            changed = true
          })
        }
      }
      if (!changed) return
    }
  }

  // ---- Indexes

  private readIndexes(model: ModelOut): void {
    const { table } = model
    const seen = new Set<string>()
    for (const index of table.indexes) {
      const where = `${table.name}.${index.name}`
      const fields = index.columns.map((c) => model.fields.find((f) => f.column.name === c))
      if (fields.some((f) => f === undefined)) {
        this.note(where, `index on ${index.columns.join(', ')} left out: it covers an expression or a column left out; db:sync would drop it`)
        model.comments.push(`index ${index.name} (${index.columns.join(', ')}) is left out`)
        continue
      }
      const key = `${index.unique}\0${index.columns.join('\0')}`
      if (seen.has(key) || sameList(index.columns, table.primaryKey)) {
        this.note(where, `index ${index.name} repeats ${seen.has(key) ? 'another index' : 'the primary key'}: the schema keeps one, db:sync would drop it`)
        continue
      }
      seen.add(key)
      const names = fields.map((f) => f!.name)
      if (index.unique && fields.some((f) => f!.type === 'JSON')) {
        this.note(where, `a unique index on a JSON column cannot be declared; db:sync would drop it`)
        continue
      }
      const generated = constraintName(table.name, index.columns, index.unique ? 'key' : 'idx')
      const map = index.name === generated || this.types.isDatabaseNamedIndex(index.name) ? '' : `map: ${str(index.name)}`
      if (fields.length === 1) {
        fields[0]!.directives.push(`${index.unique ? '@unique' : '@index'}${map ? `(${map})` : ''}`)
      } else {
        model.directives.push(`${index.unique ? '@@unique' : '@@index'}([${names.join(', ')}]${map ? `, ${map}` : ''})`)
      }
    }
  }

  // ---- Relations

  private readForeignKeys(model: ModelOut): void {
    const { table } = model
    for (const fk of table.foreignKeys) {
      const target = this.models.get(fk.refTable)
      const where = `${table.name}.${fk.name}`
      const fields = fk.columns.map((c) => model.fields.find((f) => f.column.name === c))
      const references = fk.refColumns.map((c) => target?.fields.find((f) => f.column.name === c))
      if (!target || fields.includes(undefined) || references.includes(undefined)) {
        this.note(where, `foreign key (${fk.columns.join(', ')}) -> ${fk.refTable} left out: a table or column it uses is left out; db:sync would drop it`)
        continue
      }
      if (!isUniqueSet(target.table, fk.refColumns)) {
        this.note(where, `foreign key (${fk.columns.join(', ')}) -> ${fk.refTable}(${fk.refColumns.join(', ')}) left out: it references columns that are neither the primary key nor unique; db:sync would drop it`)
        continue
      }
      const required = fields.every((f) => f!.required)
      const action = (which: 'onDelete' | 'onUpdate', assumed: ReferentialAction): ReferentialAction | undefined => {
        const given = fk[which]
        const impossible =
          (given === 'SetNull' && fields.some((f) => f!.required)) || (given === 'SetDefault' && fields.some((f) => f!.column.default === null))
        if (!impossible) return given === assumed ? undefined : given
        this.note(where, `${which} ${given} cannot be declared on ${given === 'SetNull' ? 'required' : 'default-less'} key columns: written as ${assumed}; db:sync would change it`)
        return undefined
      }
      const self = target === model
      const ambiguous = self || (this.pairs.get([model.name, target.name].sort().join('\0')) ?? 0) > 1
      const forward = this.claimField(model, forwardName(fields.map((f) => f!.name), references.map((f) => f!.name), target.name, self))
      const oneToOne = isUniqueSet(table, fk.columns)
      const relationName = ambiguous ? `${model.name}${upperFirst(forward)}` : undefined
      const generated = constraintName(table.name, fk.columns, 'fkey')
      model.relations.push({
        name: forward,
        target,
        list: false,
        required,
        relationName,
        key: {
          fields: fields.map((f) => f!.name),
          references: references.map((f) => f!.name),
          onDelete: action('onDelete', required ? 'Restrict' : 'SetNull'),
          onUpdate: action('onUpdate', 'Cascade'),
          map: fk.name === generated ? undefined : fk.name,
        },
      })
      const back = oneToOne ? lowerFirst(model.name) : lowerFirst(pluralize(model.name))
      const backName = this.claimField(target, ambiguous ? `${back}By${upperFirst(forward)}` : back)
      target.relations.push({ name: backName, target: model, list: !oneToOne, required: !oneToOne, relationName })
    }
  }

  /**
   * A table that is exactly what OKRA makes for an implicit many-to-many relation (two key columns named
   * after the models, cascading foreign keys, the index on the second column, the generated names): the
   * two models get list fields and the table no model. Any other join table stays a model of its own.
   */
  private implicitJoin(join: ModelOut): boolean {
    const { table } = join
    if (table.columns.length !== 2 || table.foreignKeys.length !== 2 || table.primaryKey.length !== 2) return false
    if (this.referenced.has(table.name)) return false
    const sides = table.columns.map((column) => {
      const fk = table.foreignKeys.find((k) => k.columns.length === 1 && k.columns[0] === column.name)
      const target = fk && this.models.get(fk.refTable)
      return { column, fk, target }
    })
    if (sides.some((s) => !s.fk || !s.target || s.target === join)) return false
    for (const { column, fk, target } of sides) {
      if (column.nullable || column.default !== null || column.rawDefault !== undefined || column.enumValues) return false
      if (fk!.onDelete !== 'Cascade' || fk!.onUpdate !== 'Cascade' || fk!.name !== constraintName(table.name, [column.name], 'fkey')) return false
      const key = target!.table.primaryKey
      const keyField = target!.fields.find((f) => f.column.name === key[0])
      if (key.length !== 1 || fk!.refColumns[0] !== key[0] || !keyField || keyField.isEnum || keyField.column.type !== column.type) return false
    }
    const [a, b] = sides as { column: DbColumn; fk: DbForeignKey; target: ModelOut }[]
    const self = a.target === b.target
    if (!sameList(table.primaryKey, [a.column.name, b.column.name])) return false
    const second = b.column.name
    if (table.indexes.length !== 1 || table.indexes[0]!.unique || !sameList(table.indexes[0]!.columns, [second]) || table.indexes[0]!.name !== constraintName(table.name, [second], 'idx')) return false
    if (self) {
      if (a.column.name !== 'a_id' || b.column.name !== 'b_id') return false
    } else {
      if (!(a.target.name < b.target.name)) return false
      if (a.column.name !== `${snakeCase(a.target.name)}_id` || b.column.name !== `${snakeCase(b.target.name)}_id`) return false
    }
    const unnamed = [a.target.table.name, b.target.table.name].sort().join('_to_')
    const generatedName = [a.target.name, b.target.name].sort().join('To')
    let relationName: string | undefined
    if (table.name !== unnamed || self) {
      relationName = pascalCase(table.name)
      if (snakeCase(relationName) !== table.name || relationName === generatedName) return false
    }
    this.countPair(a.target, b.target)
    if (self) {
      const plural = lowerFirst(pluralize(a.target.name))
      const first = this.claimField(a.target, plural)
      const other = this.claimField(a.target, `${plural}Of`)
      a.target.relations.push({ name: first, target: a.target, list: true, required: true, relationName })
      a.target.relations.push({ name: other, target: a.target, list: true, required: true, relationName })
      return true
    }
    // A named relation names its fields: `CourseAssistants` is `assistants` on Course, `courseAssistants` on the other side.
    const sideName = (own: ModelOut, other: ModelOut) =>
      relationName === undefined ? lowerFirst(pluralize(other.name)) : lowerFirst(relationName.startsWith(own.name) && relationName !== own.name ? relationName.slice(own.name.length) : relationName)
    a.target.relations.push({ name: this.claimField(a.target, sideName(a.target, b.target)), target: b.target, list: true, required: true, relationName })
    b.target.relations.push({ name: this.claimField(b.target, sideName(b.target, a.target)), target: a.target, list: true, required: true, relationName })
    return true
  }

  // ---- Text

  private render(options: WriteOptions): string {
    const out: string[] = []
    for (const line of options.header ?? []) out.push(`# ${line}`.trimEnd())
    for (const line of this.skipped) out.push(`# ${line}`)
    if (out.length) out.push('')
    for (const e of this.enums) {
      out.push(`enum ${e.name} {`, ...e.values.map((v) => `  ${v}`), '}', '')
    }
    for (const model of this.models.values()) {
      out.push(`model ${model.name} {`)
      for (const comment of model.comments) out.push(`  # ${comment}`)
      const rows: [string, string][] = []
      for (const field of model.fields) {
        const rest = [`${field.type}${field.required ? '!' : '?'}`, ...this.fieldDirectives(field)].join(' ')
        for (const comment of field.comments) rows.push(['#', comment])
        rows.push([field.name, rest])
      }
      // The relations holding a key (in foreign key order), then the other sides by name.
      const relations = [...model.relations.filter((r) => r.key), ...model.relations.filter((r) => !r.key).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))]
      for (const r of relations) rows.push([r.name, [relationType(r), ...relationDirective(r)].join(' ')])
      const width = Math.max(0, ...rows.filter(([name]) => name !== '#').map(([name]) => name.length))
      for (const [name, rest] of rows) out.push(name === '#' ? `  # ${rest}` : `  ${`${name}:`.padEnd(width + 1)} ${rest}`)
      if (model.directives.length) out.push('', ...model.directives.map((d) => `  ${d}`))
      out.push('}', '')
    }
    return out.join('\n').replace(/\n+$/, '\n')
  }

  private fieldDirectives(field: FieldOut): string[] {
    const { column } = field
    const out: string[] = field.directives.filter((d) => d === '@id')
    const value = this.defaultOf(field)
    if (value !== undefined) out.push(`@default(${value})`)
    out.push(...field.directives.filter((d) => d !== '@id'))
    if (column.updatedAt) out.push('@updatedAt')
    if (field.dbType !== undefined) out.push(`@db(type: ${str(field.dbType)})`)
    if (columnName(field.name) !== column.name) out.push(`@map(${str(column.name)})`)
    return out
  }

  /** The `@default(...)` argument, or undefined (a default OKRA cannot write is a note). */
  private defaultOf(field: FieldOut): string | undefined {
    const { column } = field
    const where = `${field.table}.${column.name}`
    if (column.autoincrement) return 'autoincrement'
    if (column.rawDefault !== undefined) {
      this.note(where, `its default ${column.rawDefault} is an expression OKRA cannot write; db:sync would remove it`)
      field.comments.push(`default ${column.rawDefault.replace(/\s+/g, ' ')} is not kept (an expression)`)
      return undefined
    }
    const d = column.default
    if (d === null || d.kind === 'autoincrement') return undefined
    // @updatedAt brings the default now with it.
    if (d.kind === 'now' && column.updatedAt) return undefined
    if (d.kind === 'now' || d.kind === 'uuid') return d.kind
    if (d.value === null) return undefined
    const value = d.value
    const unwritten = () => {
      this.note(where, `its default ${JSON.stringify(value)} does not suit a ${field.type} field; db:sync would remove it`)
      return undefined
    }
    if (field.isEnum) return typeof value === 'string' && this.enums.find((e) => e.name === field.type)?.values.includes(value) ? value : unwritten()
    switch (field.type as ScalarType) {
      case 'Int':
      case 'BigInt':
      case 'Float':
      case 'Decimal':
        if (typeof value === 'number') return Number.isFinite(value) ? String(value) : unwritten()
        return /^[+-]?\d+(\.\d+)?$/.test(String(value)) ? String(value).replace(/^\+/, '') : unwritten()
      case 'Boolean':
        return value === true || value === 1 ? 'true' : value === false || value === 0 ? 'false' : unwritten()
      default:
        return str(String(value))
    }
  }
}

function relationType(r: RelationOut): string {
  if (r.list) return `[${r.target.name}!]!`
  return `${r.target.name}${r.required ? '!' : '?'}`
}

function relationDirective(r: RelationOut): string[] {
  const args: string[] = []
  if (r.relationName) args.push(`name: ${str(r.relationName)}`)
  if (r.key) {
    args.push(`fields: [${r.key.fields.join(', ')}]`, `references: [${r.key.references.join(', ')}]`)
    if (r.key.onDelete) args.push(`onDelete: ${r.key.onDelete}`)
    if (r.key.onUpdate) args.push(`onUpdate: ${r.key.onUpdate}`)
    if (r.key.map) args.push(`map: ${str(r.key.map)}`)
  }
  return args.length ? [`@relation(${args.join(', ')})`] : []
}

/**
 * The relation field of a foreign key: its key field without the referenced field's name (`customerId`
 * -> `customer`, `warehouseCode` -> `warehouse` for a key referencing `code`), else the model pointed at
 * (`crmCustomer`); on a self relation, the key field and the model (`referredByCustomer`).
 */
function forwardName(keyFields: string[], references: string[], targetModel: string, self: boolean): string {
  if (keyFields.length === 1) {
    const key = keyFields[0]!
    for (const suffix of new Set([upperFirst(references[0]!), 'Id'])) {
      if (key.length > suffix.length && key.endsWith(suffix)) return key.slice(0, -suffix.length)
    }
    if (self) return `${key}${targetModel}`
  }
  return lowerFirst(targetModel)
}

/** The primary key, or the columns of a unique index, are exactly these (in any order). */
function isUniqueSet(table: DbTable, columns: readonly string[]): boolean {
  const same = (key: readonly string[]) => key.length === columns.length && key.every((c) => columns.includes(c))
  return same(table.primaryKey) || table.indexes.some((i: DbIndex) => i.unique && same(i.columns))
}

function isBeyondInt(column: DbColumn): boolean {
  const d = column.default
  if (d?.kind !== 'value' || (typeof d.value !== 'number' && typeof d.value !== 'string') || !/^-?\d+$/.test(String(d.value))) return false
  const n = BigInt(String(d.value))
  return n < -(2n ** 31n) || n > 2n ** 31n - 1n
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

function lowerFirst(text: string): string {
  return text === '' ? text : text[0]!.toLowerCase() + text.slice(1)
}

function upperFirst(text: string): string {
  return text === '' ? text : text[0]!.toUpperCase() + text.slice(1)
}

/** A string literal of the language (JSON's escapes). */
function str(text: string): string {
  return JSON.stringify(text)
}

