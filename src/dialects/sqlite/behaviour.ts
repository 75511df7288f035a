/** How SQLite stores and compares what OKRA maps onto it, as compatibility warnings say it (see PortableFeature). */
import type { Dialect } from '../dialect'

export const sqliteBehaviour: Dialect['behaviour'] = {
  JSON: 'TEXT: any text is accepted (no JSON check), kept as written; no JSON operators or path indexes without the json_* functions',
  DateTime: 'ISO-8601 TEXT: kept as written, a time zone offset included, and compared as text',
  Decimal: 'TEXT: the digits are kept exactly, but compared and sorted as text ("10" < "9"); arithmetic needs a CAST, through floating point',
  BigInt: 'INTEGER: 64-bit; better-sqlite3 reads it as a JavaScript number, exact only up to 2^53 - 1',
  Boolean: 'INTEGER 0 or 1: reads back as 0 or 1, and any other integer is accepted too',
  enum: 'TEXT with a CHECK: adding or removing a value rebuilds the table; ORDER BY sorts the values alphabetically',
  uniqueText: 'compared byte for byte ("Ada" and "ada" are two values); LIKE ignores ASCII case; ORDER BY sorts by code point',
}
