/**
 * How schema names become database names. The results are stored in the canonical Schema, so a later
 * change here never silently renames anything in an existing database (only new schemas see it).
 */
import { sha256Hex } from '../hash'

/** Table, column, index and constraint names given by `@map`, `@@map` and `map:`. */
export const SAFE_DB_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** PostgreSQL truncates identifiers longer than this many bytes; we never let it. */
export const MAX_IDENTIFIER_BYTES = 63

/**
 * snake_case of a camelCase, PascalCase or already snake name. An acronym stays one word:
 * `createdAt` -> `created_at`, `userID` -> `user_id`, `HTMLParser` -> `html_parser`.
 */
export function snakeCase(name: string): string {
  let snake = snakeCache.get(name)
  if (snake === undefined) {
    snake = toSnakeCase(name)
    snakeCache.set(name, snake)
  }
  return snake
}

/** Field names repeat across models (`id`, `createdAt`...): each is converted once. */
const snakeCache = new Map<string, string>()

function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[\s\-.]+/g, '_')
    .replace(/_+/g, '_')
    .toLowerCase()
}

/** Plurals that no suffix rule produces. */
const IRREGULAR = new Map<string, string>(Object.entries({
  person: 'people',
  man: 'men',
  woman: 'women',
  child: 'children',
  mouse: 'mice',
  goose: 'geese',
  tooth: 'teeth',
  foot: 'feet',
  ox: 'oxen',
  leaf: 'leaves',
  life: 'lives',
  knife: 'knives',
  wife: 'wives',
  half: 'halves',
  shelf: 'shelves',
  wolf: 'wolves',
  calf: 'calves',
  thief: 'thieves',
  hero: 'heroes',
  potato: 'potatoes',
  tomato: 'tomatoes',
  echo: 'echoes',
  quiz: 'quizzes',
  criterion: 'criteria',
  phenomenon: 'phenomena',
}))

/** Words that are their own plural. */
const UNCOUNTABLE = new Set([
  'data',
  'metadata',
  'information',
  'equipment',
  'news',
  'series',
  'species',
  'sheep',
  'fish',
  'deer',
  'feedback',
  'software',
  'hardware',
  'media',
  'staff',
])

/** The last word of snake_case, camelCase or PascalCase text: `order_item` -> `item`, `SalesPerson` -> `Person`. */
const LAST_WORD = /(?:[A-Z]?[a-z]+|[A-Z]+)$/

/**
 * English plural of the last word of `word` (`category` -> `categories`, `order_item` -> `order_items`,
 * `Person` -> `People`). The case of the word's first letter is kept.
 */
export function pluralize(word: string): string {
  const match = LAST_WORD.exec(word)
  if (!match) return word
  const last = match[0]
  const head = word.slice(0, match.index)
  const lower = last.toLowerCase()
  const plural = UNCOUNTABLE.has(lower) ? lower : (IRREGULAR.get(lower) ?? pluralByRule(lower))
  return head + sameCaseAs(last, plural)
}

/** `plural` written in the case of `word`: `USER` -> `USERS`, `Person` -> `People`, `item` -> `items`. */
function sameCaseAs(word: string, plural: string): string {
  if (word.length > 1 && word === word.toUpperCase()) return plural.toUpperCase()
  if (word[0] !== word[0].toLowerCase()) return plural[0].toUpperCase() + plural.slice(1)
  return plural
}

function pluralByRule(word: string): string {
  // Already plural (`settings`, `days`, `notes`, `statuses`); `-ss`, `-us`, `-is` are singular endings.
  if (/(es|[^aeious]s)$/.test(word) && !/(ss|us|is)$/.test(word)) return word
  if (/is$/.test(word)) return word.slice(0, -2) + 'es'
  if (/([sxz]|ch|sh)$/.test(word)) return word + 'es'
  if (/[^aeiou]y$/.test(word)) return word.slice(0, -1) + 'ies'
  return word + 's'
}

/**
 * The singular of the last word of snake_case text, the word whose `pluralize` gives it back
 * (`categories` -> `category`, `people` -> `person`, `statuses` -> `status`); the text itself when none does.
 */
export function singularize(word: string): string {
  const match = LAST_WORD.exec(word)
  if (!match) return word
  const last = match[0].toLowerCase()
  const head = word.slice(0, match.index)
  const irregular = [...IRREGULAR].find(([, plural]) => plural === last)?.[0]
  // Where both give the word back, English decides: `addresses`, `boxes`, `statuses` lose -es; `houses`, `courses` only -s.
  const esFirst = /(sses|xes|ches|shes|zzes|[^aeiou]uses)$/.test(last)
  const strip = last.endsWith('es') ? (esFirst ? [last.slice(0, -2), last.slice(0, -1)] : [last.slice(0, -1), last.slice(0, -2)]) : last.endsWith('s') ? [last.slice(0, -1)] : []
  const candidates = [
    ...(UNCOUNTABLE.has(last) ? [last] : []),
    ...(irregular ? [irregular] : []),
    ...(last.endsWith('ies') ? [last.slice(0, -3) + 'y'] : []),
    ...strip,
    last,
  ]
  const singular = candidates.find((c) => pluralize(c) === last) ?? last
  return head + sameCaseAs(match[0], singular)
}

/** `order_items` -> `OrderItems`: the words of snake_case (or camelCase) text, each capitalised, joined. */
export function pascalCase(text: string): string {
  return snakeCase(text)
    .split('_')
    .filter((w) => w !== '')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('')
}

/** `created_at` -> `createdAt`, `CustomerID` -> `customerId`; leading underscores are kept. */
export function camelCase(text: string): string {
  const lead = /^_*/.exec(text)![0]
  const pascal = pascalCase(text.slice(lead.length))
  return lead + (pascal === '' ? '' : pascal[0]!.toLowerCase() + pascal.slice(1))
}

/** The table of a model: snake_case plural (`OrderItem` -> `order_items`, `Person` -> `people`). */
export function tableName(modelName: string): string {
  let table = tableCache.get(modelName)
  if (table === undefined) {
    table = pluralize(snakeCase(modelName))
    tableCache.set(modelName, table)
  }
  return table
}

/** A dev server checks the schema on every save: each model name is converted once. */
const tableCache = new Map<string, string>()

/** The column of a field: snake_case (`createdAt` -> `created_at`). */
export function columnName(fieldName: string): string {
  return snakeCase(fieldName)
}

/**
 * `<table>_<columns>_<suffix>`, as PostgreSQL and Prisma name constraints. When longer than 63 bytes it
 * is cut and ends in `_<8 hex of sha256(full name)>_<suffix>`, so it stays unique and keeps its suffix.
 */
export function constraintName(table: string, columns: string[], suffix: 'idx' | 'key' | 'fkey' | 'pkey'): string {
  const full = `${table}_${columns.join('_')}_${suffix}`
  if (byteLength(full) <= MAX_IDENTIFIER_BYTES) return full
  const hash = sha256Hex(full).slice(0, 8)
  const tail = `_${hash}_${suffix}`
  // A cut right after a separator would leave `__` before the hash.
  return truncateBytes(`${table}_${columns.join('_')}`, MAX_IDENTIFIER_BYTES - byteLength(tail)).replace(/_+$/, '') + tail
}

export function byteLength(text: string): number {
  // Names are nearly always ASCII, and then their length is their size in bytes.
  return NON_ASCII.test(text) ? Buffer.byteLength(text, 'utf8') : text.length
}

const NON_ASCII = /[^\x00-\x7f]/

/** The longest prefix of `text` that fits in `max` UTF-8 bytes, never splitting a character. */
function truncateBytes(text: string, max: number): string {
  let bytes = 0
  let out = ''
  for (const char of text) {
    bytes += byteLength(char)
    if (bytes > max) break
    out += char
  }
  return out
}
