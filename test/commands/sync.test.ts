import { describe, expect, it } from 'vitest'
import { count, syncAndCheck, syncProject } from '../sync/helpers'

describe('sync on SQLite', () => {
  it('creates, then adds a field on the fast path, keeping rows', async () => {
    const p = syncProject({ schema: 'model User {\n  id: Int! @id @default(autoincrement)\n  name: String!\n}\n' })
    const first = await syncAndCheck(p)
    expect(first.summaries).toEqual(["+ Added model 'User'"])
    expect(first.applied).toBe(true)
    const driver = await p.open()
    await driver.query(`INSERT INTO users (name) VALUES ('ada')`)
    p.write('model User {\n  id: Int! @id @default(autoincrement)\n  name: String!\n  phone: String?\n}\n')
    const second = await syncAndCheck(p, {}, driver)
    expect(second.summaries).toEqual(["+ Added field 'phone' to User"])
    expect(second.source).toBe('current')
    expect(await count(driver, 'users')).toBe(1)
    const third = await p.sync()
    expect(third.applied).toBe(false)
    expect(third.changes).toEqual([])
  })
})
