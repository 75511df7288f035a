/**
 * The checker runs on whatever the parser recovered from broken text (every error of every file is
 * reported in one run), so it must never throw: broken variants of every valid fixture are compiled.
 */
import { describe, it, expect } from 'vitest'
import { compileSchema } from '../../src/schema/compile'
import { validFixtures } from '../fixtures/valid/load'

describe('broken schemas', () => {
  for (const fixture of validFixtures()) {
    it(`${fixture.name}: truncated, cut or with stray tokens, it reports errors and never throws`, () => {
      const [first, ...rest] = fixture.sources
      let broken = 0
      for (let at = 0; at < first.text.length; at += 29) {
        for (const text of [
          first.text.slice(0, at),
          first.text.slice(0, at) + first.text.slice(at + 9),
          first.text.slice(0, at) + '} @ [' + first.text.slice(at),
        ]) {
          const { schema, diagnostics } = compileSchema([{ ...first, text }, ...rest])
          const errors = diagnostics.filter((d) => d.severity === 'error')
          expect(schema === null).toBe(errors.length > 0)
          for (const d of diagnostics) expect(d.location.start).toBeLessThanOrEqual(d.location.source.text.length)
          if (errors.length > 0) broken++
        }
      }
      expect(broken).toBeGreaterThan(0)
    })
  }
})
