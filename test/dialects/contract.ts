/**
 * What every Driver must do, whatever the database: the same tests run against SQLite (file and memory),
 * a PostgreSQL server and embedded PGlite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DriverError, LockLostError, type Driver } from '../../src/dialects/index'

export function driverContract(label: string, open: () => Promise<Driver>): void {
  describe(`${label}: the Driver contract`, () => {
    let driver: Driver
    beforeAll(async () => {
      driver = await open()
      await driver.exec(`
        DROP TABLE IF EXISTS "contract_items";
        CREATE TABLE "contract_items" ("id" INTEGER NOT NULL PRIMARY KEY, "label" TEXT NOT NULL UNIQUE, "done" BOOLEAN);
      `)
    })
    afterAll(async () => {
      await driver.exec('DROP TABLE IF EXISTS "contract_items"')
      await driver.close()
    })
    const count = async () => Number((await driver.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM "contract_items"'))[0]!.n)

    it('runs statements with $n parameters and returns rows', async () => {
      await driver.query('DELETE FROM "contract_items"')
      expect(await driver.query('INSERT INTO "contract_items" ("id", "label", "done") VALUES ($1, $2, $3)', [1, "it's", true])).toEqual([])
      const rows = await driver.query<{ id: number; label: string }>('SELECT "id", "label" FROM "contract_items" WHERE "label" = $1', ["it's"])
      expect(rows).toEqual([{ id: 1, label: "it's" }])
    })

    it('runs a script of several statements, with comments and quoted semicolons', async () => {
      await driver.query('DELETE FROM "contract_items"')
      await driver.exec(`
        -- a comment; with a semicolon
        INSERT INTO "contract_items" ("id", "label") VALUES (1, 'a;b');
        /* another; one */ INSERT INTO "contract_items" ("id", "label") VALUES (2, 'c''d;');
      `)
      const rows = await driver.query<{ label: string }>('SELECT "label" FROM "contract_items" ORDER BY "id"')
      expect(rows.map((r) => r.label)).toEqual(['a;b', "c'd;"])
    })

    it('commits a transaction and returns its result', async () => {
      await driver.query('DELETE FROM "contract_items"')
      const result = await driver.transaction(async (tx) => {
        await tx.query('INSERT INTO "contract_items" ("id", "label") VALUES ($1, $2)', [1, 'one'])
        await tx.exec(`INSERT INTO "contract_items" ("id", "label") VALUES (2, 'two');`)
        return 'done'
      })
      expect(result).toBe('done')
      expect(await count()).toBe(2)
    })

    it('rolls back everything when the callback throws, and rethrows', async () => {
      await driver.query('DELETE FROM "contract_items"')
      const boom = new Error('boom')
      await expect(
        driver.transaction(async (tx) => {
          await tx.query('INSERT INTO "contract_items" ("id", "label") VALUES (1, $1)', ['kept?'])
          throw boom
        }),
      ).rejects.toBe(boom)
      expect(await count()).toBe(0)
    })

    it('leaves nothing behind when a statement fails inside a transaction', async () => {
      await driver.query('DELETE FROM "contract_items"')
      const failure = driver.transaction(async (tx) => {
        await tx.exec(`CREATE TABLE "contract_temp" ("x" INTEGER);`)
        await tx.query('INSERT INTO "contract_items" ("id", "label") VALUES (1, $1)', ['first'])
        await tx.exec(`INSERT INTO "contract_items" ("id", "label") VALUES (2, 'second');\nINSERT INTO "contract_items" ("id", "label") VALUES (3, 'first');`)
      })
      await expect(failure).rejects.toBeInstanceOf(DriverError)
      expect(await count()).toBe(0)
      const temp = (await driver.introspect()).tables.find((t) => t.name === 'contract_temp')
      expect(temp).toBeUndefined()
    })

    it('names the failing statement and its line in the script', async () => {
      await driver.query('DELETE FROM "contract_items"')
      const error = await driver
        .exec(`INSERT INTO "contract_items" ("id", "label") VALUES (1, 'x');\n\nINSERT INTO "no_such_table" VALUES (1);\nSELECT 1;`)
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(DriverError)
      const e = error as DriverError
      expect(e.line).toBe(3)
      expect(e.statement).toBe('INSERT INTO "no_such_table" VALUES (1)')
      expect(e.message).toMatch(/no_such_table/)
      expect(e.message).toContain('at line 3, in: INSERT INTO "no_such_table" VALUES (1)')
    })

    it('reports a failing single statement with the statement', async () => {
      const error = (await driver.query('SELECT * FROM "missing_table_q"').catch((e: unknown) => e)) as DriverError
      expect(error).toBeInstanceOf(DriverError)
      expect(error.statement).toBe('SELECT * FROM "missing_table_q"')
      expect(error.message).toContain('in: SELECT * FROM "missing_table_q"')
    })

    it('runs transactions started together one after another', async () => {
      await driver.query('DELETE FROM "contract_items"')
      await Promise.all(
        [1, 2, 3].map((id) =>
          driver.transaction(async (tx) => {
            await tx.query('INSERT INTO "contract_items" ("id", "label") VALUES ($1, $2)', [id, `t${id}`])
            await new Promise((resolve) => setTimeout(resolve, 10))
          }),
        ),
      )
      expect(await count()).toBe(3)
    })

    it('never lists _okra_ tables', async () => {
      await driver.exec('CREATE TABLE IF NOT EXISTS "_okra_contract" ("id" INTEGER)')
      const names = (await driver.introspect()).tables.map((t) => t.name)
      expect(names).toContain('contract_items')
      expect(names.filter((n) => n.startsWith('_okra_'))).toEqual([])
      await driver.exec('DROP TABLE "_okra_contract"')
    })

    it('closes once, and a second close is harmless', async () => {
      const other = await open()
      expect(await other.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }])
      await other.close()
      await other.close()
      await expect(other.query('SELECT 1')).rejects.toThrow()
    })

    it('takes a lock, and takes it again once released', async () => {
      const release = await driver.lock('contract', { timeoutMs: 1000 })
      await release()
      await release()
      const again = await driver.lock('contract', { timeoutMs: 1000 })
      await again()
    })

    it('runs a transaction holding a lock while it holds it, and refuses one (writing nothing) once it was given back', async () => {
      const release = await driver.lock('contract-holding', { timeoutMs: 1000 })
      const written = await driver.transaction(async (tx) => {
        await tx.query(`INSERT INTO "contract_items" ("id", "label") VALUES (70, 'held')`)
        return (await tx.query<{ label: string }>(`SELECT "label" FROM "contract_items" WHERE "id" = 70`))[0]!.label
      }, { holding: 'contract-holding' })
      expect(written).toBe('held')
      await release()
      const refused = await driver
        .transaction((tx) => tx.query(`INSERT INTO "contract_items" ("id", "label") VALUES (71, 'not held')`), { holding: 'contract-holding' })
        .catch((e: unknown) => e)
      expect(refused).toBeInstanceOf(LockLostError)
      expect(await driver.query(`SELECT "id" FROM "contract_items" WHERE "id" = 71`)).toEqual([])
      await driver.exec(`DELETE FROM "contract_items" WHERE "id" = 70`)
    })

    it('accepts bounds on statement waits (0: none) and keeps working', async () => {
      driver.setTimeouts({ lockWaitMs: 2000, statementTimeoutMs: 5000 })
      expect(await driver.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }])
      driver.setTimeouts({ lockWaitMs: 0, statementTimeoutMs: 0 })
      expect(await driver.transaction((tx) => tx.query<{ one: number }>('SELECT 1 AS one'))).toEqual([{ one: 1 }])
    })
  })
}
