import { describe, expect, it } from 'vitest'
import { POSTGRES_SYNTAX } from '../../src/dialects/postgres/syntax'
import { SQLITE_SYNTAX } from '../../src/dialects/sqlite/syntax'
import { splitStatements } from '../../src/sql/sql-text'
import { isTransactionControl, statementsForTransaction, transactionBody } from '../../src/sql/transaction-control'

const pg = (script: string) => splitStatements(script, POSTGRES_SYNTAX)
const lite = (script: string) => splitStatements(script, SQLITE_SYNTAX)
const texts = (statements: { text: string }[]) => statements.map((s) => s.text)

describe('transaction control', () => {
  it('knows every statement that begins, ends, nests or hands over a transaction', () => {
    const control = [
      'BEGIN', 'begin transaction', 'BEGIN WORK', 'BEGIN IMMEDIATE', 'BEGIN ISOLATION LEVEL SERIALIZABLE', 'START TRANSACTION',
      'COMMIT', 'commit work', 'END', 'END TRANSACTION', 'ROLLBACK', 'ROLLBACK TO SAVEPOINT a', 'ABORT', 'SAVEPOINT a',
      'RELEASE SAVEPOINT a', 'RELEASE a', "PREPARE TRANSACTION 'x'", "COMMIT PREPARED 'x'",
    ]
    for (const statement of control) expect(isTransactionControl(statement), statement).toBe(true)
    const plain = ['CREATE TABLE begin_log (id int)', 'DO $$ BEGIN PERFORM 1; END $$', 'SELECT 1', 'UPDATE t SET endpoint = 1', 'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE', 'BEGINNING']
    for (const statement of plain) expect(isTransactionControl(statement), statement).toBe(false)
  })

  it('takes an outer BEGIN ... COMMIT around the whole file as OKRA\'s own, and leaves it out', () => {
    const body = transactionBody(pg('BEGIN;\nCREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\nCOMMIT;\n'))
    expect(body.unwrapped).toBe(true)
    expect(body.stray).toEqual([])
    expect(body.statements.map((s) => [s.text, s.line])).toEqual([
      ['CREATE TABLE a (id int)', 2],
      ['INSERT INTO a VALUES (1)', 3],
    ])
    expect(texts(transactionBody(lite('START TRANSACTION; CREATE TABLE a (id int); END TRANSACTION;')).statements)).toEqual(['CREATE TABLE a (id int)'])
  })

  it('finds a COMMIT in the middle (the issue: COMMIT; CREATE TABLE extra appended), with its line', () => {
    const script = 'BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\nCREATE TABLE extra (id int);\n'
    const body = transactionBody(pg(script))
    expect(body.unwrapped).toBe(false)
    expect(body.stray.map((s) => [s.text, s.line])).toEqual([
      ['BEGIN', 1],
      ['COMMIT', 3],
    ])
    expect(() => statementsForTransaction(pg(script), 'migrations/x/migration.sql')).toThrow(
      'migrations/x/migration.sql controls the transaction OKRA runs it in (nothing was run):\n  migrations/x/migration.sql:1: BEGIN\n  migrations/x/migration.sql:3: COMMIT',
    )
  })

  it('finds savepoints and rollbacks inside a wrapped file, but never words inside bodies, strings or comments', () => {
    const script = [
      'BEGIN;',
      "INSERT INTO t VALUES ('COMMIT;');",
      '/* ROLLBACK; */ -- END;',
      'CREATE FUNCTION f() RETURNS int LANGUAGE SQL BEGIN ATOMIC SELECT 1; END;',
      'DO $$ BEGIN RAISE NOTICE $q$ROLLBACK;$q$; END $$;',
      'SAVEPOINT s;',
      'ROLLBACK TO SAVEPOINT s;',
      'COMMIT;',
    ].join('\n')
    expect(transactionBody(pg(script)).stray.map((s) => [s.text, s.line])).toEqual([
      ['SAVEPOINT s', 6],
      ['ROLLBACK TO SAVEPOINT s', 7],
    ])
  })

  it('a file without transaction control runs as it is', () => {
    const statements = lite('CREATE TABLE a (id int);\nCREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;\n')
    expect(statementsForTransaction(statements, 'seeds/a.sql')).toEqual(statements)
  })
})
