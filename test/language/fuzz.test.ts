/**
 * Robustness: 10,000 seeded random mutations of valid schemas (tokens deleted, duplicated, swapped or
 * replaced, random characters inserted, the text cut short) go through the whole front end,
 * `compileSchema`. Whatever the input, it must not throw, must answer with a schema or an error, must
 * point every diagnostic inside the source, and must answer quickly. A failure prints the case
 * number and the mutated text, so it can be replayed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { tokenize } from '../../src/language/lexer'
import { parse } from '../../src/language/parser'
import type { Source } from '../../src/language/source'
import { compileSchema } from '../../src/schema/compile'
import { prng } from '../../bench/lib/synthetic.mjs'

const ITERATIONS = 10_000
const SEED = 0x5eed_0c2a
const MAX_MS_PER_CALL = 1000

const projectRoot = fileURLToPath(new URL('../..', import.meta.url))
const validDir = join(projectRoot, 'test/fixtures/valid')

/** A schema is one file or several (a folder under test/fixtures/valid is one schema). */
type Seed = { name: string; sources: Source[] }

const INLINE_SEEDS: Seed[] = [
  {
    name: 'inline: the guide example, completed',
    sources: [
      {
        path: 'inline/spec.okra.gql',
        text: `@okra(namespace: "fuzz", version: "v1")

"""A person who can sign in."""
model User {
  id: ID! @default(uuid)
  email: String! @unique
  name: String!
  role: Role! @default(USER)
  bio: String? @db(type: "TEXT")
  createdAt: DateTime! @default(now)
  updatedAt: DateTime! @updatedAt
  posts: [Post!]! @relation(name: "UserPosts")
  ...Audit
  @@index([name, createdAt])
}

model Audit { createdBy: String?  updatedBy: String? }   # a mixin

model Post {
  id: ID! @default(uuid)
  title: String! @map("headline")
  authorId: ID!
  author: User! @relation(name: "UserPosts", fields: [authorId], references: [id], onDelete: Cascade)
}

enum Role { ADMIN USER GUEST }

@index(model: "User", fields: ["email", "role"])
`,
      },
    ],
  },
  {
    name: 'inline: literals, escapes, block strings, composite key',
    sources: [
      {
        path: 'inline/literals.okra.gql',
        text: `"""
Line items of an order.
  Indented detail.
"""
model LineItem {
  orderId: Int!
  position: Int! @default(0)
  quantity: Int! @default(1)
  price: Float! @default(-1.5e3)
  note: String? @default("tab\\tquote\\" \\u00e9")
  active: Boolean! @default(true)
  size: Size @default(M)
  @@id([orderId, position])
  @@map("order_lines")
}

"Sizes."
enum Size {
  "Small." S
  """Medium.""" M
  L, XL
}
`,
      },
    ],
  },
  {
    name: 'inline: self-relation, many-to-many, renames, wide scalars',
    sources: [
      {
        path: 'inline/relations.okra.gql',
        text: `model Category {
  id: Int! @id @default(autoincrement)
  name: String! @renamed(from: "title")
  parentId: Int?
  parent: Category? @relation(name: "Tree", fields: [parentId], references: [id], onDelete: SetNull)
  children: [Category!]! @relation(name: "Tree")
  tags: [Tag!]!
  @@unique([name, parentId])
}

model Tag {
  id: BigInt! @id @default(autoincrement)
  label: String! @unique
  weight: Decimal?
  data: JSON?
  blob: Bytes?
  categories: [Category!]!
}
`,
      },
    ],
  },
]

/** Every `*.okra.gql` under test/fixtures/valid, read now: each top-level file, and each top-level folder (recursively), is one schema. */
function fixtureSeeds(): Seed[] {
  const read = (file: string): Source => ({ path: relative(projectRoot, file).split('\\').join('/'), text: readFileSync(file, 'utf8') })
  const schemaFiles = (dir: string): string[] =>
    readdirSync(dir)
      .sort()
      .flatMap((entry) => {
        const full = join(dir, entry)
        return statSync(full).isDirectory() ? schemaFiles(full) : entry.endsWith('.okra.gql') ? [full] : []
      })
  let entries: string[] = []
  try {
    entries = readdirSync(validDir).sort()
  } catch {
    return []
  }
  return entries.flatMap((entry) => {
    const full = join(validDir, entry)
    const files = statSync(full).isDirectory() ? schemaFiles(full) : entry.endsWith('.okra.gql') ? [full] : []
    return files.length > 0 ? [{ name: entry, sources: files.map(read) }] : []
  })
}

/** Characters worth inserting: the language's own punctuation, white space, and what it must reject. */
const INSERTABLE = [
  ...'{}()[]:!?@.,"#\n\r\t -_=;$%&*+/\\|<>~`\'0123456789aZ_',
  '"""', '...', '@@', '\\u', '\\', '\u0000', '\u0007', '\u00e9', '\u00a0', '\uFEFF', '\uD800', '\uDC00', '🚀', '日',
]

type Mutation = (text: string, random: () => number) => string

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]
}

/** The tokens of the text as spans (the real lexer, so mutations hit whole tokens). */
function spans(text: string): { start: number; end: number }[] {
  return tokenize({ path: 'mutating', text }).tokens.filter((t) => t.kind !== 'EOF')
}

const MUTATIONS: Record<string, Mutation> = {
  deleteToken(text, random) {
    const tokens = spans(text)
    if (tokens.length === 0) return text
    const t = pick(tokens, random)
    return text.slice(0, t.start) + text.slice(t.end)
  },
  duplicateToken(text, random) {
    const tokens = spans(text)
    if (tokens.length === 0) return text
    const t = pick(tokens, random)
    const glue = random() < 0.5 ? '' : ' '
    return text.slice(0, t.end) + glue + text.slice(t.start, t.end) + text.slice(t.end)
  },
  swapTokens(text, random) {
    const tokens = spans(text)
    if (tokens.length < 2) return text
    const i = Math.floor(random() * tokens.length)
    // Mostly neighbours (the likely typo), sometimes far apart.
    const j = random() < 0.7 ? Math.min(tokens.length - 1, i + 1 + Math.floor(random() * 3)) : Math.floor(random() * tokens.length)
    const [a, b] = i < j ? [tokens[i], tokens[j]] : [tokens[j], tokens[i]]
    if (a === b) return text
    return text.slice(0, a.start) + text.slice(b.start, b.end) + text.slice(a.end, b.start) + text.slice(a.start, a.end) + text.slice(b.end)
  },
  replaceToken(text, random) {
    const tokens = spans(text)
    if (tokens.length < 2) return text
    const [t, other] = [pick(tokens, random), pick(tokens, random)]
    return text.slice(0, t.start) + text.slice(other.start, other.end) + text.slice(t.end)
  },
  insertCharacters(text, random) {
    const at = Math.floor(random() * (text.length + 1))
    const count = 1 + Math.floor(random() * 4)
    let inserted = ''
    for (let k = 0; k < count; k++) inserted += random() < 0.8 ? pick(INSERTABLE, random) : String.fromCharCode(Math.floor(random() * 0x10000))
    return text.slice(0, at) + inserted + text.slice(at)
  },
  truncate(text, random) {
    return text.slice(0, Math.floor(random() * text.length))
  },
}
const MUTATION_NAMES = Object.keys(MUTATIONS)

/** Every node's location lies inside the source and inside its parent's. */
function checkLocations(node: unknown, text: string, outer: { start: number; end: number }, problems: string[]): void {
  if (node === null || typeof node !== 'object') return
  if (Array.isArray(node)) {
    for (const item of node) checkLocations(item, text, outer, problems)
    return
  }
  const { kind, loc } = node as { kind?: string; loc?: { start: number; end: number } }
  let inner = outer
  if (kind !== undefined && loc !== undefined) {
    if (!(loc.start >= outer.start && loc.start <= loc.end && loc.end <= outer.end && loc.end <= text.length)) {
      problems.push(`${kind} at ${loc.start}..${loc.end} is outside ${outer.start}..${outer.end}`)
    }
    inner = loc
  }
  for (const [key, value] of Object.entries(node)) if (key !== 'loc' && key !== 'source') checkLocations(value, text, inner, problems)
}

describe('fuzz: compileSchema on 10,000 mutated schemas', () => {
  const seeds = [...fixtureSeeds(), ...INLINE_SEEDS]

  it('starts from valid seeds: every seed compiles to a schema', () => {
    expect(seeds.length).toBeGreaterThanOrEqual(INLINE_SEEDS.length)
    for (const seed of seeds) {
      const { schema, diagnostics } = compileSchema(seed.sources)
      expect(diagnostics.filter((d) => d.severity === 'error').map((d) => `${seed.name}: ${d.message}`)).toEqual([])
      expect(schema).not.toBeNull()
    }
  })

  it('never throws, always answers, keeps locations inside the source, and is fast', () => {
    const random = prng(SEED)
    const failures: string[] = []
    const fail = (n: number, text: string, why: string) => {
      if (failures.length < 5) failures.push(`case ${n}: ${why}\n--- mutated text ---\n${text}\n---`)
    }
    const used = new Map<string, number>()
    let maxMs = 0
    let withSchema = 0
    let withErrors = 0

    for (let n = 0; n < ITERATIONS; n++) {
      const seed = pick(seeds, random)
      const target = Math.floor(random() * seed.sources.length)
      let text = seed.sources[target].text
      const rounds = 1 + Math.floor(random() * 3)
      for (let r = 0; r < rounds; r++) {
        const name = pick(MUTATION_NAMES, random)
        used.set(name, (used.get(name) ?? 0) + 1)
        text = MUTATIONS[name](text, random)
      }
      const mutated: Source = { path: seed.sources[target].path, text }
      const sources = seed.sources.map((s, i) => (i === target ? mutated : s))

      let result: ReturnType<typeof compileSchema>
      const start = performance.now()
      try {
        result = compileSchema(sources)
      } catch (thrown) {
        fail(n, text, `threw ${thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown)}`)
        continue
      }
      const ms = performance.now() - start
      maxMs = Math.max(maxMs, ms)

      const errors = result.diagnostics.filter((d) => d.severity === 'error')
      if (result.schema === null && errors.length === 0) fail(n, text, 'no schema and no error')
      if (result.schema !== null && errors.length > 0) fail(n, text, 'a schema despite errors')
      if (result.schema) withSchema++
      else withErrors++
      for (const d of result.diagnostics) {
        const source = sources.find((s) => s.path === d.location.source.path)
        const { start: from, end: to } = d.location
        if (!source || d.location.source.text !== source.text) fail(n, text, `diagnostic in an unknown source: ${d.message}`)
        else if (!(from >= 0 && from <= to && to <= source.text.length)) fail(n, text, `diagnostic at ${from}..${to} outside 0..${source.text.length}: ${d.message}`)
      }
      const problems: string[] = []
      checkLocations(parse(mutated).document.definitions, text, { start: 0, end: text.length }, problems)
      if (problems.length > 0) fail(n, text, problems.slice(0, 3).join('; '))
    }

    expect(failures).toEqual([])
    // Every kind of mutation was exercised, and the mix produced both outcomes.
    expect([...used.keys()].sort()).toEqual([...MUTATION_NAMES].sort())
    expect(withErrors).toBeGreaterThan(ITERATIONS / 2)
    expect(withSchema).toBeGreaterThan(0)
    console.info(`fuzz: ${ITERATIONS} cases from ${seeds.length} seeds, ${withErrors} with errors, ${withSchema} compiled; slowest call ${maxMs.toFixed(1)} ms`)
    expect(maxMs).toBeLessThan(MAX_MS_PER_CALL)
  })

  it('also survives random bytes and random token soup', () => {
    const random = prng(SEED + 1)
    const tokens = ['model', 'enum', '{', '}', '(', ')', '[', ']', ':', '!', '?', '@', '@@', '...', 'A', 'id', '"s"', '"""b"""', '1', '-2.5e3', '#c\n', '\n', ' ']
    for (let n = 0; n < 200; n++) {
      let text = ''
      const length = Math.floor(random() * 400)
      for (let k = 0; k < length; k++) text += n % 2 === 0 ? String.fromCharCode(Math.floor(random() * 0x10000)) : pick(tokens, random) + ' '
      const source = { path: `soup-${n}.okra.gql`, text }
      const { schema, diagnostics } = compileSchema([source])
      expect(schema !== null || diagnostics.some((d) => d.severity === 'error')).toBe(true)
      for (const d of diagnostics) expect(d.location.end).toBeLessThanOrEqual(text.length)
    }
  })
})
