/**
 * What a renderer returns: SQL statements to run one by one, in order. Each is a single statement
 * (a PostgreSQL `DO` block or function body is one statement), without a trailing semicolon.
 */

export interface Statement {
  sql: string
  /**
   * False for the few statements that must run outside the migration's transaction: SQLite's
   * `PRAGMA foreign_keys = OFF` before it and `= ON` after it (the pragma does nothing inside a
   * transaction). They only ever come first or last; see `transactionParts`.
   */
  transactional: boolean
}

export function sql(text: string): Statement {
  return { sql: text, transactional: true }
}

export function outsideTransaction(text: string): Statement {
  return { sql: text, transactional: false }
}

/**
 * How to run a rendered list: `before` outside any transaction, then `inside` in ONE transaction,
 * then `after` outside it — also when the transaction failed (it restores the connection's settings).
 */
export function transactionParts(statements: readonly Statement[]): { before: Statement[]; inside: Statement[]; after: Statement[] } {
  const first = statements.findIndex((s) => s.transactional)
  if (first < 0) return { before: [...statements], inside: [], after: [] }
  let last = statements.length - 1
  while (!statements[last]!.transactional) last--
  const inside = statements.slice(first, last + 1)
  const stray = inside.find((s) => !s.transactional)
  if (stray) throw new Error(`A non-transactional statement sits between transactional ones: ${stray.sql}`)
  return { before: statements.slice(0, first), inside, after: statements.slice(last + 1) }
}

/** The statements as a script (`migration.sql`, `db:diff --sql`): each ends with `;` and a blank line. */
export function toScript(statements: readonly Statement[]): string {
  return statements.map((s) => `${s.sql};\n`).join('\n')
}
