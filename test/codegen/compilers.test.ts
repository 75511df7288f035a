/**
 * Every valid fixture (and the hand-built edge cases) through every generator, then through the real
 * compilers: tsc --strict, go vet + gofmt, pyright strict + python3, graphql-js buildSchema.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildSchema, validateSchema } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateGo } from '../../src/codegen/go'
import { generateGraphQL } from '../../src/codegen/graphql'
import { generatePython } from '../../src/codegen/python'
import { generateTypeScript } from '../../src/codegen/typescript'
import { formatDiagnostic } from '../../src/language/diagnostics'
import { compileSchema } from '../../src/schema/compile'
import { validFixtures } from '../fixtures/valid/load'
import { docComments, edgeCases, reservedNames, guideExample } from './schemas'
import { runGofmt, runGoVet, runPyright, runPythonImports, runTsc, writeTargets, type Target } from './toolchains'

function fixtureTargets(): Target[] {
  return validFixtures().map(({ name, sources }) => {
    const { schema, diagnostics } = compileSchema(sources)
    if (!schema) throw new Error(`fixture ${name} does not compile:\n${diagnostics.map((d) => formatDiagnostic(d)).join('\n')}`)
    return { id: `fixture_${name.replace(/[^A-Za-z0-9]+/g, '_').toLowerCase()}`, schema, sources: sources.map((s) => s.path) }
  })
}

const handBuilt: Target[] = [
  { id: 'hand_guide_example', schema: guideExample, sources: ['models.okra.gql'] },
  { id: 'hand_edge_cases', schema: edgeCases, sources: ['a.okra.gql', 'b.okra.gql'] },
  { id: 'hand_doc_comments', schema: docComments, sources: [] },
  { id: 'hand_reserved_names', schema: reservedNames, sources: ['reserved.okra.gql'] },
  { id: 'hand_empty', schema: { format: 1, enums: [], models: [], joinTables: [] }, sources: ['empty.okra.gql'] },
]

describe('generated code compiles with the real toolchains', () => {
  let root: string
  let targets: Target[]

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'okra-codegen-'))
    targets = [...fixtureTargets(), ...handBuilt]
    writeTargets(root, targets)
  })
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('covers every valid fixture, the guide example among them', () => {
    const ids = targets.map((t) => t.id)
    expect(ids).toContain('fixture_guide_example')
    expect(ids).toContain('fixture_commerce')
    expect(ids.filter((id) => id.startsWith('fixture_')).length).toBe(validFixtures().length)
  })

  it('the hand-built guide example of the snapshot tests generates what compileSchema makes of the fixture', () => {
    const compiled = targets.find((t) => t.id === 'fixture_guide_example')!.schema
    for (const generate of [generateTypeScript, generateGo, generatePython, generateGraphQL]) {
      expect(generate(compiled, { sources: [] }), generate.name).toBe(generate(guideExample, { sources: [] }))
    }
  })

  it('TypeScript passes tsc --strict', () => {
    const result = runTsc(root)
    expect(result.code, result.output).toBe(0)
  })

  it('Go passes go vet, and gofmt would change nothing', () => {
    const vet = runGoVet(root)
    expect(vet.code, vet.output).toBe(0)
    const fmt = runGofmt(root)
    expect(fmt.code, fmt.output).toBe(0)
    expect(fmt.unformatted, fmt.output).toBe('')
  })

  it('Python passes pyright in strict mode and imports in python3', () => {
    const pyright = runPyright(root)
    expect(pyright.code, pyright.output).toBe(0)
    expect(pyright.output).toContain('0 errors')
    const imports = runPythonImports(root, targets.filter((t) => t.schema.models.length + t.schema.enums.length > 0).map((t) => t.id))
    expect(imports.code, imports.output).toBe(0)
  })

  it('the gofmt check notices a file gofmt would change', () => {
    const misaligned = join(root, 'misaligned')
    mkdirSync(join(misaligned, 'go'), { recursive: true })
    writeFileSync(join(misaligned, 'go', 'x.go'), 'package x\n\ntype T struct {\n\tA string\n\tLonger string\n}\n')
    expect(runGofmt(misaligned).unformatted).toBe('x.go')
  })

  it('GraphQL SDL passes buildSchema, and the schema is valid apart from having no Query type', () => {
    for (const target of targets.filter((t) => t.schema.models.length + t.schema.enums.length > 0)) {
      const sdl = readFileSync(join(root, 'graphql', `${target.id}.graphql`), 'utf8')
      const schema = buildSchema(sdl)
      const problems = validateSchema(schema).map((e) => e.message).filter((m) => m !== 'Query root type must be provided.')
      expect(problems, target.id).toEqual([])
      expect(Object.keys(schema.getTypeMap()), target.id).toEqual(expect.arrayContaining(target.schema.models.map((m) => m.name)))
    }
  })
})
