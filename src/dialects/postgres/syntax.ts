/** PostgreSQL's lexical syntax, for splitting scripts: dollar-quoted bodies and E'' strings stay whole. */
import type { SqlSyntax } from '../../sql/sql-text'

export const POSTGRES_SYNTAX: SqlSyntax = {
  quotes: { '"': '"', "'": "'" },
  params: /\$\d+/y,
  dollarAndEscapeStrings: true,
  nestedComments: true,
  blobLiterals: false,
}
