import { describe, expect, it } from 'vitest'
import { didYouMean } from '../../src/config/suggest'
import { editDistance } from '../../src/suggest'

describe('didYouMean', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('provdier', 'provider')).toBe(1)
    expect(editDistance('kitten', 'sitting')).toBe(3)
  })

  it('suggests close names, a command by its last part, and nothing far away', () => {
    expect(didYouMean('provdier', ['provider', 'url', 'schemas'])).toBe('provider')
    expect(didYouMean('db:valdate', ['init', 'db:validate', 'models:generate'])).toBe('db:validate')
    expect(didYouMean('generate', ['init', 'db:validate', 'models:generate'])).toBe('models:generate')
    expect(didYouMean('deploy', ['init', 'db:validate', 'models:generate'])).toBeUndefined()
  })
})
