/**
 * The invalid corpus: each file (or folder of files) under test/fixtures/invalid holds one fault (a few
 * hold two), and its first lines say exactly what must be reported:
 *
 *     # expect: 7:9 Unknown type 'Strin'
 *     # hint: Did you mean 'String'?        (optional: the hint of the diagnostic above)
 *
 * Each case asserts the exact messages, lines and columns, nothing more, and that every diagnostic
 * prints as `path:line:col: error: message`, the source line, a caret and a hint.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, it, expect } from 'vitest'
import { formatDiagnostic } from '../../src/language/diagnostics'
import { type Source, lineColumn, lineText } from '../../src/language/source'
import { compileSchema } from '../../src/schema/compile'

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const invalidDir = join(projectRoot, 'test', 'fixtures', 'invalid')
const SCHEMA_FILE = /\.okra\.gql$/

interface Case {
  name: string
  sources: Source[]
}

interface Expected {
  path: string
  line: number
  column: number
  message: string
  hint?: string
}

function read(file: string): Source {
  return { path: relative(projectRoot, file).split('\\').join('/'), text: readFileSync(file, 'utf8') }
}

const cases: Case[] = readdirSync(invalidDir)
  .sort()
  .flatMap((entry): Case[] => {
    const full = join(invalidDir, entry)
    if (statSync(full).isDirectory()) {
      const files = readdirSync(full).filter((f) => SCHEMA_FILE.test(f)).sort()
      return [{ name: entry, sources: files.map((f) => read(join(full, f))) }]
    }
    return SCHEMA_FILE.test(entry) ? [{ name: entry.replace(SCHEMA_FILE, ''), sources: [read(full)] }] : []
  })

/** The `# expect:` / `# hint:` lines at the top of a file. */
function expectations(source: Source): Expected[] {
  const expected: Expected[] = []
  for (const line of source.text.split('\n')) {
    const expect = /^# expect: (\d+):(\d+) (.+)$/.exec(line)
    const hint = /^# hint: (.+)$/.exec(line)
    if (expect) expected.push({ path: source.path, line: Number(expect[1]), column: Number(expect[2]), message: expect[3] })
    else if (hint && expected.length > 0) expected[expected.length - 1].hint = hint[1]
    else if (!line.startsWith('#')) break
  }
  return expected
}

describe('the invalid corpus', () => {
  const all = cases.map((c) => c.sources.flatMap(expectations))

  it('has at least 35 cases, several with two faults and several made of several files', () => {
    expect(cases.length).toBeGreaterThanOrEqual(35)
    expect(all.filter((e) => e.length >= 2).length).toBeGreaterThanOrEqual(3)
    expect(cases.filter((c) => c.sources.length > 1).length).toBeGreaterThanOrEqual(3)
    for (const [i, c] of cases.entries()) expect(all[i].length, `${c.name} has no '# expect:' line`).toBeGreaterThan(0)
  })

  it('covers every class of error', () => {
    const messages = all.flat().map((e) => e.message)
    const classes = [
      /^Unknown type '/,
      /^Duplicate model '.+' \(first defined at .+:\d+:\d+\)$/,
      /^Duplicate field '.+' in model '.+' \(first defined/,
      /^Duplicate field '.+', brought by \.\.\./,
      /^Duplicate value '.+' in enum/,
      /^Unknown directive '@\w+' on field '/,
      /^Unknown argument '/,
      /^Missing argument '/,
      /^Argument '.+' of '.+' must be a string$/,
      /^Directive '.+' cannot be used at the top level$/,
      /^Duplicate directive '/,
      /^Lists of scalars and enums are not supported/,
      /^Duplicate @okra header/,
      /^@default\(uuid\) cannot be used/,
      /^@default\(now\) cannot be used/,
      /^@default\(autoincrement\) cannot be used on field '.+' of type String$/,
      /^Invalid default for Int field/,
      /is not a value of enum/,
      /^@default\(null\) cannot be used on required field/,
      /^Invalid default for DateTime field/,
      /^Invalid default for JSON field/,
      /^@unique cannot be used on JSON field/,
      /^@@unique cannot include JSON field/,
      /^@updatedAt cannot be used on field/,
      /^Invalid database type/,
      /^Model '.+' has no primary key$/,
      /^Cannot spread '.+': it has a primary key/,
      /^Circular spread: /,
      /^Primary key field '.+' must be required$/,
      /^Model '.+' has more than one @id field$/,
      /in 'fields' but \d+ in 'references'$/,
      /^Unknown field '.+' in @relation\(fields:\)/,
      /^Type mismatch in @relation/,
      /which is neither its primary key nor unique$/,
      /^Relation list '.+' has no opposite field on '.+' holding the key$/,
      /^Relation field '.+' needs @relation\(fields:, references:\)$/,
      /^Ambiguous relation between User and Post: /,
      /^onDelete: SetNull needs optional key fields/,
      /^The back side of a one-to-one relation must be optional/,
      /^Circular dependency detected between (User and Post|Post and User)$/,
      /^Circular dependency detected between Category and itself$/,
      /^Table name '.+' is already used by model/,
      /both map to column/,
      /is reserved: names starting with _okra_/,
      /still exists in model '.+', so '.+' cannot be renamed from it$/,
      /^Unknown field '.+' in @@index of model/,
      /^Field '.+' in @@index of model '.+' is a relation$/,
      /^Unknown model '.+' in @index$/,
      /unknown referential action/,
      /^Many-to-many relation '.+' needs a single-field scalar primary key/,
      /is a mixin \(a model without a primary key\) and cannot be the type of field/,
      /is required but its key field '.+' is optional$/,
      /^Both sides of relation '.+' hold a key/,
      /^@default\(autoincrement\) can only be used on the single-field primary key/,
      /^Relation name '.+' is used by more than two fields/,
    ]
    for (const pattern of classes) expect(messages.some((m) => pattern.test(m)), `no case reports ${pattern}`).toBe(true)
  })
})

describe.each(cases)('invalid fixture $name', ({ sources }) => {
  const { schema, diagnostics } = compileSchema(sources)

  it('reports exactly the expected errors, at the expected lines and columns', () => {
    const expected = sources.flatMap(expectations)
    const actual = diagnostics.map((d) => {
      const { line, column } = lineColumn(d.location.source.text, d.location.start)
      return { path: d.location.source.path, line, column, message: d.message, hint: d.hint }
    })
    expect(actual.map(({ hint: _hint, ...rest }) => rest)).toEqual(expected.map(({ hint: _hint, ...rest }) => rest))
    expected.forEach((e, i) => {
      if (e.hint !== undefined) expect(actual[i].hint).toBe(e.hint)
    })
    expect(diagnostics.every((d) => d.severity === 'error')).toBe(true)
    expect(schema).toBeNull()
  })

  it('prints each error as path:line:col, the source line, a caret and a hint', () => {
    for (const d of diagnostics) {
      const { line, column } = lineColumn(d.location.source.text, d.location.start)
      const printed = formatDiagnostic(d).split('\n')
      const gutter = String(line)
      expect(printed[0]).toBe(`${d.location.source.path}:${line}:${column}: error: ${d.message}`)
      expect(printed[1]).toBe(`  ${gutter} | ${lineText(d.location.source.text, line)}`)
      expect(printed[2]).toMatch(new RegExp(`^  ${' '.repeat(gutter.length)} \\| ${' '.repeat(column - 1)}\\^+$`))
      expect(d.hint).toBeTruthy()
      expect(printed[3]).toBe(`  hint: ${d.hint}`)
    }
  })
})
