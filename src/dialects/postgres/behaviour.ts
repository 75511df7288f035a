/** How PostgreSQL stores and compares what OKRA maps onto it, as compatibility warnings say it (see PortableFeature). */
import type { Dialect } from '../dialect'

export const postgresBehaviour: Dialect['behaviour'] = {
  JSON: 'JSONB: only valid JSON is accepted; keys are reordered, duplicate keys and white space dropped; ->, ->> and GIN indexes',
  DateTime: 'TIMESTAMP(3) without time zone: a time zone offset in the input is dropped (not converted), milliseconds kept',
  Decimal: 'DECIMAL(65,30): exact, compared and summed as a number, at most 30 digits after the point',
  BigInt: 'BIGINT: 64-bit; node-postgres reads it as a string',
  Boolean: 'BOOLEAN: reads back as true or false, and only booleans are accepted',
  enum: 'an enum type: a value is added in place, removing one replaces the type; ORDER BY sorts the values in declaration order',
  uniqueText: 'compared by the database collation ("Ada" and "ada" are two values); LIKE is case-sensitive; ORDER BY follows the collation\'s language rules',
}
