import { describe, expect, it } from 'vitest'
import { POSTGRES_SYNTAX } from '../../src/dialects/postgres/syntax'
import { SQLITE_SYNTAX } from '../../src/dialects/sqlite/syntax'
import { splitStatements, tokenize } from '../../src/sql/sql-text'

describe('splitStatements', () => {
  it('splits on semicolons outside strings, identifiers and comments, with each statement line', () => {
    const script = `-- head; comment\nINSERT INTO "a;b" VALUES ('x;y', 'it''s;');\n/* block; */ SELECT [c;d], \`e;f\`;\n\n;;SELECT 3`
    expect(splitStatements(script, SQLITE_SYNTAX)).toEqual([
      { text: `INSERT INTO "a;b" VALUES ('x;y', 'it''s;')`, line: 2 },
      { text: 'SELECT [c;d], `e;f`', line: 3 },
      { text: 'SELECT 3', line: 5 },
    ])
  })

  it('keeps a SQLite trigger body whole, CASE ... END inside it included', () => {
    const trigger = `CREATE TEMP TRIGGER t AFTER UPDATE ON a BEGIN UPDATE a SET y = CASE WHEN x THEN 1 ELSE 0 END; DELETE FROM b; END`
    expect(splitStatements(`${trigger};\nSELECT 1;`, SQLITE_SYNTAX).map((s) => s.text)).toEqual([trigger, 'SELECT 1'])
  })

  it('respects PostgreSQL dollar quotes and E-strings, and treats [ ] as plain punctuation there', () => {
    const fn = `CREATE FUNCTION f() RETURNS int AS $fn$ BEGIN RETURN 1; END; $fn$ LANGUAGE plpgsql`
    const statements = splitStatements(`${fn};\nSELECT E'a\\';b', $$;$$, (ARRAY[1,2])[1];\nSELECT 2`, POSTGRES_SYNTAX)
    expect(statements.map((s) => s.text)).toEqual([fn, `SELECT E'a\\';b', $$;$$, (ARRAY[1,2])[1]`, 'SELECT 2'])
    expect(statements.map((s) => s.line)).toEqual([1, 2, 3])
  })
})

describe('tokenize', () => {
  it('unquotes identifiers and strings', () => {
    const tokens = tokenize(`"we""ird" 'it''s' [br] X'0aFF' ?1 $2 :n -1.5e3`, SQLITE_SYNTAX)
    expect(tokens.map((t) => [t.kind, t.value])).toEqual([
      ['ident', 'we"ird'],
      ['string', "it's"],
      ['ident', 'br'],
      ['blob', '0aFF'],
      ['param', '?1'],
      ['param', '$2'],
      ['param', ':n'],
      ['punct', '-'],
      ['number', '1.5e3'],
    ])
  })

  it('tells numbered placeholders from bare ones', () => {
    const params = (sql: string) => tokenize(sql, SQLITE_SYNTAX).filter((t) => t.kind === 'param').map((t) => t.text)
    expect(params('SELECT $1, ?2')).toEqual(['$1', '?2'])
    expect(params("SELECT ?, '$1'")).toEqual(['?'])
  })
})

describe('splitStatements: bodies and comments', () => {
  it('nests PostgreSQL block comments; in SQLite the first closing mark ends one', () => {
    const script = 'SELECT 1; /* outer /* inner; */ still comment; */ SELECT 2;'
    expect(splitStatements(script, POSTGRES_SYNTAX).map((s) => s.text)).toEqual(['SELECT 1', 'SELECT 2'])
    expect(splitStatements('SELECT 1; /* a; */ SELECT 2;', SQLITE_SYNTAX).map((s) => s.text)).toEqual(['SELECT 1', 'SELECT 2'])
  })

  it("keeps a PostgreSQL BEGIN ATOMIC ... END body whole, CASE ... END inside it included", () => {
    const fn = [
      'CREATE FUNCTION grade(n int) RETURNS text LANGUAGE SQL',
      'BEGIN ATOMIC',
      "  SELECT CASE WHEN n > 5 THEN 'high' ELSE 'low' END;",
      'END',
    ].join('\n')
    const parts = splitStatements(`${fn};\nSELECT grade(3);`, POSTGRES_SYNTAX)
    expect(parts.map((s) => [s.text, s.line])).toEqual([
      [fn, 1],
      ['SELECT grade(3)', 5],
    ])
  })

  it('keeps a dollar-quoted function body whole, whatever words and semicolons it holds', () => {
    const body = "CREATE FUNCTION f() RETURNS void AS $fn$ BEGIN COMMIT; END $fn$ LANGUAGE plpgsql"
    expect(splitStatements(`${body}; SELECT 1;`, POSTGRES_SYNTAX).map((s) => s.text)).toEqual([body, 'SELECT 1'])
  })
})
