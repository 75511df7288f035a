/**
 * Runs OKRA's pure core (compile, the three generators, physical model, diff, SQL for both dialects) on a
 * schema of its own, in memory, when the daemon starts. A fresh process runs that code interpreted, and V8
 * compiles a function with its optimising tiers only after many calls: without this, the daemon's first
 * commands would take two to five times as long as the later ones. Nothing is read or written.
 */
import { generateGo } from '../codegen/go'
import { generatePython } from '../codegen/python'
import { generateTypeScript } from '../codegen/typescript'
import { dialectOf } from '../dialects/index'
import { diff } from '../diff/diff'
import { compileSchema } from '../schema/compile'
import { toPhysical } from '../schema/physical'

/** One group of definitions with the language's common features; `n` makes its names its own. */
function group(n: number, extra: string): string {
  return `enum Stage${n} { DRAFT ACTIVE CLOSED }

"""
An organisation.
"""
model Team${n} {
  id: ID! @default(uuid)
  name: String! @unique
  slug: String! @db(type: "VARCHAR(80)")
  stage: Stage${n}! @default(DRAFT)
  members: [Member${n}!]! @relation(name: "Team${n}Members")
  ...Stamped${n}
}

model Stamped${n} {
  createdAt: DateTime! @default(now)
  updatedAt: DateTime! @updatedAt
}

model Member${n} {
  id: Int! @id @default(autoincrement)
  "The address mail goes to."
  email: String! @unique
  score: Float?
  active: Boolean! @default(true)
  metadata: JSON?
  avatar: Bytes?
  balance: Decimal!
  visits: BigInt! @default(0)
  teamId: ID!
  team: Team${n}! @relation(name: "Team${n}Members", fields: [teamId], references: [id], onDelete: Cascade)
  ${extra}
  @@index([teamId, active])
  @@unique([teamId, email])
}
`
}

const GROUPS = 10
const ROUNDS = 12

/**
 * Resolves with the rounds run and the changes the last diff found (a test holds both, so a warm-up schema
 * that stopped compiling cannot go unnoticed); each round yields to the event loop, so a command that
 * arrives meanwhile waits for one round at most.
 */
export async function warmUp(): Promise<{ rounds: number; changes: number }> {
  const sources = (extra: string) => [{ path: 'warm-up.okra.gql', text: Array.from({ length: GROUPS }, (_, n) => group(n, extra)).join('\n') }]
  const before = compileSchema(sources('')).schema
  let rounds = 0
  let changes = 0
  for (; rounds < ROUNDS && before; rounds++) {
    const after = compileSchema(sources(`nickname${rounds}: String?`)).schema
    if (!after) break
    const options = { sources: ['warm-up.okra.gql'] }
    generateTypeScript(after, options)
    generateGo(after, options)
    generatePython(after, options)
    for (const provider of ['sqlite', 'postgres'] as const) {
      const dialect = dialectOf(provider)
      const from = toPhysical(before, dialect.types)
      const to = toPhysical(after, dialect.types)
      const result = await diff(from, to, { types: dialect.types })
      changes = result.changes.length
      dialect.render(result.changes, to, from)
    }
    await new Promise((resolve) => setImmediate(resolve))
  }
  return { rounds, changes }
}
