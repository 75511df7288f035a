/** Which indexes a migration's SQL makes by hand: the names `CREATE INDEX` statements create. */
import { describe, expect, it } from 'vitest'
import { indexesCreatedIn, namedIn } from '../../src/project/hand-made'

describe('indexesCreatedIn', () => {
  it('finds every form of CREATE INDEX at the start of a line; unquoted names fold to lower case', () => {
    const sql = [
      'CREATE INDEX notes_title ON notes (title);',
      '  create unique index IF NOT EXISTS Notes_Slug on notes (slug);',
      'CREATE INDEX CONCURRENTLY "Mixed""Case" ON notes (body);',
      'CREATE INDEX public.in_schema ON notes (x);',
      '-- CREATE INDEX commented_out ON notes (y);',
      "UPDATE notes SET body = 'CREATE INDEX not_an_index ON x';",
    ].join('\n')
    expect(indexesCreatedIn(sql)).toEqual(['notes_title', 'notes_slug', 'Mixed"Case', 'in_schema'])
  })

  it('namedIn matches a quoted name exactly and an unquoted one in any case', () => {
    const names = new Set(indexesCreatedIn('CREATE INDEX Idx_A ON t (a);\nCREATE INDEX "Idx_B" ON t (b);'))
    expect(namedIn(names, 'idx_a')).toBe(true)
    expect(namedIn(names, 'IDX_A')).toBe(true)
    expect(namedIn(names, 'Idx_B')).toBe(true)
    expect(namedIn(names, 'idx_c')).toBe(false)
  })
})
