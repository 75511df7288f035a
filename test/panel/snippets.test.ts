import { describe, expect, it } from 'vitest'
import { pythonName } from '../../src/codegen/python'
import { modelSnippets } from '../../src/panel/snippets'
import { compileSchema } from '../../src/schema/compile'
import { validFixtures } from '../fixtures/valid/load'
import { fixtureSchema } from './memory-source'

describe('modelSnippets', () => {
  it('cuts one declaration per model out of each generated file, for every valid fixture', () => {
    for (const fixture of validFixtures()) {
      const schema = compileSchema(fixture.sources).schema!
      const ts = modelSnippets(schema, 'typescript')
      const go = modelSnippets(schema, 'go', { goPackage: 'models' })
      const py = modelSnippets(schema, 'python')
      for (const model of schema.models) {
        const label = `${fixture.name} ${model.name}`
        const [t, g, p] = [ts.get(model.name)!, go.get(model.name)!, py.get(model.name)!]
        expect(t, label).toMatch(/^(\/\*\*[\s\S]*?\*\/\n)?export interface \S+ \{\n[\s\S]*\}$/)
        expect(g, label).toMatch(/^(\/\/.*\n)*type \S+ struct \{\n[\s\S]*\}$/)
        expect(p, label).toMatch(/^@dataclass\nclass \S+:\n[\s\S]*\S$/)
        // One declaration each: the next model's never comes along.
        expect(t.match(/^export interface /gm), label).toHaveLength(1)
        expect(g.match(/^type /gm), label).toHaveLength(1)
        expect(p.match(/^class /gm), label).toHaveLength(1)
        for (const field of model.fields) {
          expect(t, `${label}.${field.name}`).toContain(field.name)
          expect(g, `${label}.${field.name}`).toContain(`json:"${field.name}`)
          expect(p, `${label}.${field.name}`).toContain(pythonName(field.name))
        }
      }
    }
  })

  it('keeps the doc comment that stands above a declaration', () => {
    const schema = fixtureSchema('commerce')
    expect(modelSnippets(schema, 'typescript').get('Product')).toMatch(/^\/\*\* A product as the customer sees it; what is actually stocked and sold is a variant\. \*\/\nexport interface Product \{\n/)
    expect(modelSnippets(schema, 'go').get('Product')).toMatch(/^\/\/ A product as the customer sees it; what is actually stocked and sold is a variant\.\ntype Product struct \{\n/)
    expect(modelSnippets(schema, 'python').get('Product')).toMatch(/^@dataclass\nclass Product:\n    """A product as the customer sees it; what is actually stocked and sold is a variant\."""\n\n    id: str\n/)
  })
})
