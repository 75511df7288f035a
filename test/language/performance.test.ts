/**
 * The parser is linear in the size of its input and fast on a big schema: 5,000 models (~1.5 MB)
 * parse in well under 200 ms once the process is warm (a dev server re-parses on every save), and
 * random characters of the same size cannot make it slow.
 */
import { describe, expect, it } from 'vitest'
import { parse } from '../../src/language/parser'

/** A deterministic schema of `n` models, ~300 bytes each, using every construct of the language. */
function bigSchema(n: number): string {
  const parts = ['@okra(namespace: "big", version: "v1")\n', 'model Audit { createdBy: String?  updatedBy: String? }\n', 'enum Status { ACTIVE PENDING CLOSED }\n']
  for (let i = 0; i < n; i++) {
    const previous = i === 0 ? 'Model0' : `Model${i - 1}`
    parts.push(`"""Model number ${i}."""
model Model${i} {
  id: ID! @default(uuid)
  "Contact."
  email${i}: String! @unique @map("email_${i}")
  count: Int! @default(${i})
  status: Status! @default(ACTIVE)
  parentId: ID?
  parent: ${previous}? @relation(fields: [parentId], references: [id])
  ...Audit
  @@index([count, status])
}
`)
  }
  return parts.join('\n')
}

/** The fastest of `runs` parses of `text`, in ms; asserts each parse is clean. */
function fastestParse(text: string, runs: number): number {
  let best = Infinity
  for (let r = 0; r < runs; r++) {
    const start = performance.now()
    const { document, diagnostics } = parse({ path: 'big.okra.gql', text })
    best = Math.min(best, performance.now() - start)
    expect(diagnostics).toEqual([])
    expect(document.definitions.length).toBeGreaterThan(0)
  }
  return best
}

describe('parser performance', () => {
  it('parses 5,000 models (~1.5 MB) in well under 200 ms', () => {
    const text = bigSchema(5000)
    expect(text.length).toBeGreaterThan(1_400_000)
    expect(text.length).toBeLessThan(1_700_000)
    const coldStart = performance.now()
    expect(parse({ path: 'big.okra.gql', text }).document.definitions).toHaveLength(5003)
    const cold = performance.now() - coldStart
    const warm = fastestParse(text, 5)
    console.info(`parse of ${(text.length / 1e6).toFixed(2)} MB, 5,000 models: first ${cold.toFixed(0)} ms, then ${warm.toFixed(0)} ms`)
    expect(warm).toBeLessThan(200)
    // The first parse in a fresh process also pays for V8 growing its heap to hold the ~40 MB tree.
    expect(cold).toBeLessThan(1000)
  })

  it('is linear: four times the input takes about four times as long, not sixteen', () => {
    const small = bigSchema(1250)
    const large = bigSchema(5000)
    fastestParse(small, 2)
    const ratio = fastestParse(large, 3) / fastestParse(small, 3)
    console.info(`parse time ratio for 4x the input: ${ratio.toFixed(1)}`)
    expect(ratio).toBeLessThan(8)
  })

  it('parses 1.5 MB of random characters quickly, reporting errors instead of throwing', () => {
    let state = 7
    const random = () => (state = (state * 48271) % 2147483647) / 2147483647
    const chars: string[] = []
    for (let i = 0; i < 1_500_000; i++) chars.push(String.fromCharCode(random() < 0.9 ? Math.floor(random() * 128) : Math.floor(random() * 0x10000)))
    const text = chars.join('')
    const start = performance.now()
    const { diagnostics } = parse({ path: 'noise.okra.gql', text })
    const ms = performance.now() - start
    console.info(`parse of 1.5 MB of random characters: ${ms.toFixed(0)} ms, ${diagnostics.length} diagnostics`)
    expect(diagnostics.length).toBeGreaterThan(1000)
    expect(diagnostics.every((d) => d.location.start <= d.location.end && d.location.end <= text.length)).toBe(true)
    // ~0.3 s alone on this machine; the bound leaves room for a busy machine, not for quadratic behaviour (minutes).
    expect(ms).toBeLessThan(3000)
  })
})
