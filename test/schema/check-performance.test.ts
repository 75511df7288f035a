import { describe, it, expect } from 'vitest'
import { parse } from '../../src/language/parser'
import { check } from '../../src/schema/check'

/** 5,000 models over 10 files: scalars, an enum, a mixin, indexes, and a relation to the previous model with its back list. */
function bigSchema(models: number, files: number) {
  const texts: string[] = Array.from({ length: files }, (_, i) => (i === 0 ? 'enum Level { LOW HIGH }\nmodel Stamp { createdAt: DateTime! @default(now) updatedAt: DateTime! @updatedAt }\n' : ''))
  for (let i = 0; i < models; i++) {
    const previous = i > 0 ? `  parentId: ID\n  parent: M${i - 1}? @relation(fields: [parentId], references: [id])\n` : ''
    const next = i < models - 1 ? `  children: [M${i + 1}!]!\n` : ''
    texts[i % files] += `model M${i} {
  id: ID! @default(uuid)
  name: String! @index
  code: String! @unique
  level: Level! @default(LOW)
  score: Float @default(0.5)
${previous}${next}  ...Stamp
  @@index([name, level])
}
`
  }
  return texts.map((text, i) => ({ path: `models/part${i}.okra.gql`, text }))
}

describe('performance', () => {
  it('checks 5,000 models in well under 200 ms', () => {
    const documents = bigSchema(5000, 10).map((s) => parse(s).document)
    let best = Infinity
    for (let run = 0; run < 3; run++) {
      const started = performance.now()
      const { schema, diagnostics } = check(documents)
      best = Math.min(best, performance.now() - started)
      expect(diagnostics).toEqual([])
      expect(schema!.models).toHaveLength(5000)
    }
    expect(best).toBeLessThan(200)
  })

  it('reports 5,000 errors without slowing down (suggestions only on error)', () => {
    const documents = bigSchema(5000, 10).map((s) => parse({ ...s, text: s.text.replace(/Level!/g, 'Levle!') }).document)
    const started = performance.now()
    const { schema, diagnostics } = check(documents)
    const elapsed = performance.now() - started
    expect(schema).toBeNull()
    expect(diagnostics).toHaveLength(5000)
    expect(diagnostics[0].hint).toBe("Did you mean 'Level'?")
    expect(elapsed).toBeLessThan(2000)
  })
})
