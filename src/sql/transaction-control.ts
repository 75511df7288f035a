/**
 * Transaction control written into a SQL file that OKRA runs inside its own transaction (a migration, a
 * `down.sql`, a seed). OKRA records a migration in the same transaction as its statements, so a COMMIT in
 * the middle would commit half a migration without its record, and a failure after it could not be rolled
 * back. A file wrapped whole in one BEGIN ... COMMIT (as confiture and many SQL guides teach) means the same
 * as OKRA's transaction: that outer pair is taken as OKRA's own and left out. Any other transaction control
 * is refused before a statement runs. Pure.
 */
import { OkraError } from '../errors'
import type { LocatedStatement } from './sql-text'

/** BEGIN [TRANSACTION | WORK | DEFERRED | IMMEDIATE | EXCLUSIVE | ISOLATION ...], START TRANSACTION. */
const OPENS = /^(?:BEGIN(?![ \t\r\n]+ATOMIC\b)\b|START[ \t\r\n]+TRANSACTION\b)/i
/** COMMIT / END [TRANSACTION | WORK], but not COMMIT PREPARED (a two-phase commit of another transaction). */
const CLOSES = /^(?:COMMIT|END)\b(?![ \t\r\n]+PREPARED\b)/i
/** Anything else that ends, nests or hands over a transaction. */
const OTHER = /^(?:ROLLBACK|ABORT|SAVEPOINT|RELEASE|PREPARE[ \t\r\n]+TRANSACTION|COMMIT[ \t\r\n]+PREPARED)\b/i

/** Whether a statement (as `splitStatements` returns it: from its first token) controls the transaction. */
export function isTransactionControl(statement: string): boolean {
  return OPENS.test(statement) || CLOSES.test(statement) || OTHER.test(statement)
}

export interface TransactionBody {
  /** The statements to run in OKRA's transaction: the file's, without an outer BEGIN ... COMMIT pair. */
  statements: LocatedStatement[]
  /** Whether the file was wrapped in such a pair. */
  unwrapped: boolean
  /** Transaction control other than that pair, in file order. */
  stray: LocatedStatement[]
}

export function transactionBody(statements: readonly LocatedStatement[]): TransactionBody {
  const first = statements[0]
  const last = statements[statements.length - 1]
  const wrapped = statements.length >= 2 && OPENS.test(first!.text) && CLOSES.test(last!.text)
  const body = wrapped ? statements.slice(1, -1) : [...statements]
  return { statements: body, unwrapped: wrapped, stray: body.filter((s) => isTransactionControl(s.text)) }
}

/**
 * The statements to run in OKRA's transaction, or an error naming every stray transaction statement with
 * `file:line` and the two ways out.
 */
export function statementsForTransaction(statements: readonly LocatedStatement[], file: string): LocatedStatement[] {
  const { statements: body, stray } = transactionBody(statements)
  if (stray.length === 0) return body
  const lines = stray.map((s) => `  ${file}:${s.line}: ${firstLine(s.text)}`).join('\n')
  throw new OkraError(
    `${file} controls the transaction OKRA runs it in (nothing was run):\n${lines}`,
    'OKRA runs the file in one transaction and records it in the same one, so a BEGIN, COMMIT, ROLLBACK, END or ' +
      'SAVEPOINT inside it would commit or undo part of it. Remove those statements (a BEGIN; ... COMMIT; around ' +
      'the whole file is fine), or put a line `-- okra:no-transaction` in the file to run it statement by ' +
      'statement with your own transaction control.',
  )
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0]!
  return line.length > 80 ? `${line.slice(0, 77)}...` : line
}
