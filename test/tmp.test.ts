import { it } from 'vitest'
import { okraSchemaText } from '../src/codegen/okra-schema'
import { compileSchema } from '../src/schema/compile'
import { toPhysical } from '../src/schema/physical'
import { typesOf } from './helpers/dialects'
import { validFixture } from './fixtures/valid/load'
import { asIntrospected } from './codegen/okra-schema.test'
it('x', () => {
  for (const [name, p] of [['self-relations','postgres'],['many-to-many','sqlite'],['enums','sqlite'],['defaults','postgres'],['mapping','postgres']] as const) {
    const { schema } = compileSchema(validFixture(name).sources)
    const r = okraSchemaText(asIntrospected(toPhysical(schema!, typesOf(p))), typesOf(p))
    console.log('=====', name, p, '\n' + r.text, JSON.stringify(r.notes))
  }
})
