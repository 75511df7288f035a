import { describe, it, expect } from 'vitest'
import type { Default } from '../../src/schema/types'
import { compile, field, hints, problems } from './helpers'

/** The stored default of `f: <type> @default(<value>)`. */
function stored(type: string, value: string, prelude = ''): Default | undefined {
  const schema = compile(`${prelude}\nmodel M { id: ID! f: ${type} @default(${value}) }`)
  const f = field(schema, 'M', 'f')
  return f.kind === 'relation' ? undefined : f.default
}

function problem(type: string, value: string, prelude = ''): string[] {
  return problems(`${prelude}\nmodel M { id: ID! f: ${type} @default(${value}) }`).map((p) => p.replace(/^\d+:\d+ /, ''))
}

describe('@default functions', () => {
  it('uuid on ID and String, now on DateTime, autoincrement on an Int or BigInt primary key', () => {
    expect(stored('ID!', 'uuid')).toEqual({ kind: 'uuid' })
    expect(stored('String', 'uuid')).toEqual({ kind: 'uuid' })
    expect(stored('DateTime!', 'now')).toEqual({ kind: 'now' })
    const schema = compile('model A { id: Int! @id @default(autoincrement) }\nmodel B { id: BigInt! @id @default(autoincrement) }')
    expect(field(schema, 'A', 'id')).toMatchObject({ default: { kind: 'autoincrement' } })
    expect(field(schema, 'B', 'id')).toMatchObject({ default: { kind: 'autoincrement' } })
  })

  it('refuses a function on a type it does not fit', () => {
    expect(problem('Int', 'uuid')).toEqual(["@default(uuid) cannot be used on field 'f' of type Int"])
    expect(problem('String', 'now')).toEqual(["@default(now) cannot be used on field 'f' of type String"])
    expect(problem('Float', 'autoincrement')).toEqual(["@default(autoincrement) cannot be used on field 'f' of type Float"])
    expect(problem('String', 'autoincrement')).toEqual(["@default(autoincrement) cannot be used on field 'f' of type String"])
  })

  it('allows autoincrement only on the single-field primary key', () => {
    expect(problems('model A { id: ID! n: Int @default(autoincrement) }')).toEqual([
      "1:35 @default(autoincrement) can only be used on the single-field primary key, and 'n' is not the primary key of 'A'",
    ])
    expect(problems('model A { a: Int! @default(autoincrement) b: Int! @@id([a, b]) }')).toHaveLength(1)
  })

  it('suggests the function meant for an unknown name', () => {
    expect(problem('ID', 'uid')).toEqual(["Unknown default 'uid' for field 'f' of type ID"])
    expect(hints('model M { id: ID! f: ID @default(uid) }')).toEqual(["Did you mean 'uuid'?"])
    expect(hints('model M { id: ID! f: Int @default(zero) }')).toEqual(['Expected an integer, e.g. @default(0).'])
  })
})

describe('@default literals', () => {
  it('stores numbers for Int and Float, digit strings for BigInt and Decimal', () => {
    expect(stored('Int', '-42')).toEqual({ kind: 'value', value: -42 })
    expect(stored('Float', '1e3')).toEqual({ kind: 'value', value: 1000 })
    expect(stored('Float', '0.5')).toEqual({ kind: 'value', value: 0.5 })
    expect(stored('BigInt', '9007199254740993')).toEqual({ kind: 'value', value: '9007199254740993' })
    expect(stored('BigInt', '"-12"')).toEqual({ kind: 'value', value: '-12' })
    expect(stored('Decimal', '19.990')).toEqual({ kind: 'value', value: '19.990' })
    expect(stored('Decimal', '"0.1"')).toEqual({ kind: 'value', value: '0.1' })
  })

  it('stores strings, booleans, ISO date-times, JSON text and base64 as written', () => {
    expect(stored('String', '"she said \\"hi\\""')).toEqual({ kind: 'value', value: 'she said "hi"' })
    expect(stored('ID', '"fixed"')).toEqual({ kind: 'value', value: 'fixed' })
    expect(stored('Boolean', 'false')).toEqual({ kind: 'value', value: false })
    expect(stored('DateTime', '"2024-01-01T00:00:00.000Z"')).toEqual({ kind: 'value', value: '2024-01-01T00:00:00.000Z' })
    expect(stored('DateTime', '"2024-02-29"')).toEqual({ kind: 'value', value: '2024-02-29' })
    expect(stored('JSON', '"{\\"a\\": [1, 2]}"')).toEqual({ kind: 'value', value: '{"a": [1, 2]}' })
    expect(stored('Bytes', '"aGVsbG8="')).toEqual({ kind: 'value', value: 'aGVsbG8=' })
  })

  it('refuses a literal of the wrong type', () => {
    expect(problem('Int', '"x"')).toEqual(["Invalid default for Int field 'f': expected an integer, got a string"])
    expect(problem('Int', '1.5')).toEqual(["Invalid default for Int field 'f': expected an integer, got 1.5"])
    expect(problem('Boolean', '1')).toEqual(["Invalid default for Boolean field 'f': expected true or false, got the number 1"])
    expect(problem('String', '42')).toEqual(["Invalid default for String field 'f': expected a string, got the number 42"])
    expect(problem('Decimal', '1e3')).toEqual(["Invalid default for Decimal field 'f': expected a decimal number, got 1e3; write its digits, e.g. 1000.50"])
    expect(problem('DateTime', '"2024-13-01"')).toEqual(['Invalid default for DateTime field \'f\': expected an ISO-8601 date-time string, got "2024-13-01"'])
    expect(problem('JSON', '"{a}"')).toEqual(['Invalid default for JSON field \'f\': expected JSON text in a string, got "{a}", which is not valid JSON'])
    expect(problem('JSON', '1')).toEqual(["Invalid default for JSON field 'f': expected JSON text in a string, got the number 1"])
    expect(problem('Bytes', '"not base64!"')).toEqual(['Invalid default for Bytes field \'f\': expected a base64 string, got "not base64!"'])
    expect(problem('String', '["a"]')).toEqual(["Invalid default for String field 'f': expected a string, got a list"])
  })

  it('refuses numbers out of range', () => {
    expect(problem('Int', '2147483648')).toEqual(["Default 2147483648 is out of range for Int field 'f' (-2147483648 to 2147483647)"])
    expect(stored('Int', '-2147483648')).toEqual({ kind: 'value', value: -2147483648 })
    expect(problem('BigInt', '9223372036854775808')).toHaveLength(1)
    expect(problem('Float', '1e999')).toEqual(["Invalid default for Float field 'f': expected a number, got 1e999, which is out of range"])
  })

  it('allows @default(null) on optional fields only', () => {
    expect(stored('String', 'null')).toEqual({ kind: 'value', value: null })
    expect(stored('Role?', 'null', 'enum Role { A }')).toEqual({ kind: 'value', value: null })
    expect(problem('String!', 'null')).toEqual(["@default(null) cannot be used on required field 'f'"])
  })
})

describe('@default on enum fields', () => {
  const roles = 'enum Role { ADMIN USER GUEST uuid }'

  it('stores the value name', () => {
    expect(stored('Role!', 'USER', roles)).toEqual({ kind: 'value', value: 'USER' })
    // An enum value named like a function is the enum value.
    expect(stored('Role!', 'uuid', roles)).toEqual({ kind: 'value', value: 'uuid' })
  })

  it('refuses a name that is not a value of the enum, suggesting the closest', () => {
    expect(problem('Role!', 'GUES', roles)).toEqual(["'GUES' is not a value of enum 'Role'"])
    expect(hints(`${roles}\nmodel M { id: ID! f: Role @default(GUES) }`)).toEqual(["Did you mean 'GUEST'?"])
  })

  it('refuses a quoted value and other kinds of literal', () => {
    expect(problem('Role!', '"USER"', roles)).toEqual(["Default of enum field 'f' must be written without quotes"])
    expect(problem('Role!', '1', roles)).toEqual(["Invalid default for enum field 'f': expected a value of enum 'Role', got the number 1"])
  })
})
