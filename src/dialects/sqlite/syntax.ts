/** SQLite's lexical syntax, for splitting scripts and reading back CREATE TABLE text. */
import type { SqlSyntax } from '../../sql/sql-text'

export const SQLITE_SYNTAX: SqlSyntax = {
  quotes: { '"': '"', '`': '`', '[': ']', "'": "'" },
  params: /(?:\?\d*|[$:@][A-Za-z0-9_]+)/y,
  dollarAndEscapeStrings: false,
  nestedComments: false,
  blobLiterals: true,
}
