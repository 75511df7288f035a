/** The decisions of `autoSync: 'ask'` (the sync side is proved with a real database in test/panel/). */
import { describe, expect, it } from 'vitest'
import { ConsentDesk } from '../../src/plugin/ask'
import { dropColumnRisk } from '../../src/diff/safety'
import type { DataAtRisk } from '../../src/sync/consent'

function atRisk(column: string, count: number): DataAtRisk {
  const summary = `- Removed field '${column}' from User`
  return { change: {} as DataAtRisk['change'], summary, risk: dropColumnRisk('users', column), count, line: `${summary}: dropping column users.${column} loses ${count} non-null values` }
}

const BACKUP = 'a copy of dev.db in .okra/backups/'

describe('the consent desk', () => {
  it('asks once per change set; the same changes with other counts still wait under the same id, with the new counts', () => {
    const desk = new ConsentDesk()
    expect(desk.stopped([atRisk('fax', 3)], BACKUP)).toBe('asks')
    const first = desk.waiting!
    expect(first.changes).toEqual([{ line: "- Removed field 'fax' from User: dropping column users.fax loses 3 non-null values", count: 3 }])
    expect(desk.stopped([atRisk('fax', 4)], BACKUP)).toBe('waits')
    expect(desk.waiting!.id).toBe(first.id)
    expect(desk.waiting!.changes[0]!.count).toBe(4)
    // Other changes: a new question, and the old id is no longer one.
    expect(desk.stopped([atRisk('fax', 4), atRisk('phone', 1)], BACKUP)).toBe('asks')
    expect(desk.waiting!.id).not.toBe(first.id)
    expect(desk.decide(first.id, 'apply')).toBe(false)
  })

  it('apply allows exactly the changes it was asked for, once', () => {
    const desk = new ConsentDesk()
    desk.stopped([atRisk('fax', 3)], BACKUP)
    expect(desk.decide(desk.waiting!.id, 'apply')).toBe(true)
    expect(desk.waiting).toBeUndefined()
    expect(desk.stopped([atRisk('fax', 5)], BACKUP)).toBe('apply')
    // Allowed once: the next refusal asks again.
    expect(desk.stopped([atRisk('fax', 5)], BACKUP)).toBe('asks')

    desk.decide(desk.waiting!.id, 'apply')
    // The changes grew meanwhile: not what was allowed.
    expect(desk.stopped([atRisk('fax', 5), atRisk('phone', 2)], BACKUP)).toBe('asks')
  })

  it('keep holds the same changes without asking until a sync goes through', () => {
    const desk = new ConsentDesk()
    desk.stopped([atRisk('fax', 3)], BACKUP)
    expect(desk.decide(desk.waiting!.id, 'keep')).toBe(true)
    expect(desk.stopped([atRisk('fax', 9)], BACKUP)).toBe('kept')
    expect(desk.waiting).toBeUndefined()
    expect(desk.stopped([atRisk('phone', 1)], BACKUP)).toBe('asks')
    desk.settled()
    expect(desk.waiting).toBeUndefined()
    expect(desk.stopped([atRisk('fax', 3)], BACKUP)).toBe('asks')
  })
})
