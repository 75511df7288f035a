import { it } from 'vitest'
import { diff } from '../../src/diff/index'
import { labelRenames } from '../../src/sync/labels'
import { physicalOf, kinds } from '../diff/helpers'
it('scratch', async () => {
  const a = physicalOf('model User { id: Int! @id\n lastSeen: DateTime? @map("last_seen_at") }\nmodel Post { id: Int! @id\n u: DateTime! @default(now) @updatedAt }', 'sqlite')
  const b = physicalOf('model User { id: Int! @id\n lastSeen: DateTime? @map("seen_at") }\nmodel Post { id: Int! @id\n u: DateTime! @default(now) @updatedAt \n @@map("posts2")}', 'sqlite')
  const r = await diff(a, b, { renames: labelRenames(a, b) })
  console.log(kinds(r.changes), r.warnings)
})
