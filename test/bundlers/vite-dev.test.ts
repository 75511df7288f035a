/**
 * A real Vite dev server (createServer) with the plugin: saving the schema regenerates the types and
 * adds the column to the SQLite database; an invalid schema keeps the server up, goes to the error
 * overlay and syncs nothing; a valid schema afterwards recovers. The file events are Vite's watcher's and
 * OKRA's own (which alone follows the schema when Vite's is turned off).
 */
import { renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import okraVite from '../../src/vite'
import { makeTempDir } from '../helpers/tmp'
import { viteDevServer } from '../../bench/lib/vite.mjs'
import { USER_SCHEMA, expectDatabaseMatchesSchema, read, sqliteColumns, waitFor, withField, writeDevProject } from '../plugin/project'

it('regenerates, syncs, shows a schema error in the overlay without syncing, and recovers', async () => {
  const root = makeTempDir('okra-vite-dev-')
  writeDevProject(root, USER_SCHEMA, { migrations: { development: { syncDebounce: 30 } } })
  writeFileSync(join(root, 'main.js'), "import { Role } from 'virtual:okra/models'\nexport default Role\n")

  const { server, lines } = await viteDevServer(root, [okraVite()])
  const sent: { type: string; err?: { message: string; loc?: { line: number; column: number } } }[] = []
  const send = server.ws.send.bind(server.ws)
  server.ws.send = ((payload: (typeof sent)[number]) => {
    sent.push(payload)
    return send(payload as never)
  }) as typeof server.ws.send

  try {
    await waitFor('the first sync', () => lines.some((l) => l.startsWith("[okra] synced: + Added model 'User'")))
    const module = await server.transformRequest('virtual:okra/models')
    expect(module?.code).toContain("ADMIN: 'ADMIN'")

    // A save: Vite's watcher sees it; types first, then the column.
    writeFileSync(join(root, 'models.okra.gql'), withField(USER_SCHEMA, 'phone: String?'))
    await waitFor('the new types', () => read(root, 'src/generated/models.ts').includes('phone?: string | null;'))
    await waitFor('the phone column', () => lines.some((l) => l.startsWith("[okra] synced: + Added field 'phone' to User")))
    expect(await sqliteColumns(root, 'users')).toContain('phone')
    expect((await server.transformRequest('virtual:okra/models'))?.code).toContain('"phone"')

    // A broken save: the overlay gets the error with its place, the server stays, nothing is synced.
    writeFileSync(join(root, 'models.okra.gql'), withField(withField(USER_SCHEMA, 'phone: String?'), 'nickname: Strng?'))
    const overlay = await waitFor('the overlay error', () => sent.find((p) => p.type === 'error'))
    expect(overlay.err?.message).toContain("models.okra.gql:9:13: error: Unknown type 'Strng'")
    expect(overlay.err?.loc).toMatchObject({ line: 9, column: 13 })
    await new Promise((resolve) => setTimeout(resolve, 200)) // well past the debounce
    expect(await sqliteColumns(root, 'users')).not.toContain('nickname')
    expect(read(root, 'src/generated/models.ts')).not.toContain('nickname')
    expect((await server.transformRequest('/main.js'))?.code).toContain('virtual:okra/models')

    // Fixed: types, database and page catch up.
    writeFileSync(join(root, 'models.okra.gql'), withField(withField(USER_SCHEMA, 'phone: String?'), 'nickname: String?'))
    await waitFor('the nickname column', () => lines.some((l) => l.startsWith("[okra] synced: + Added field 'nickname' to User")))
    expect(read(root, 'src/generated/models.ts')).toContain('nickname?: string | null;')
    expect(sent.some((p) => p.type === 'full-reload')).toBe(true)
  } finally {
    await server.close()
  }
  await expectDatabaseMatchesSchema(root)
})

it("follows the schema with OKRA's own watcher too: a save by rename is seen with Vite's watcher turned off", async () => {
  const root = makeTempDir('okra-vite-own-watch-')
  writeDevProject(root, USER_SCHEMA, { migrations: { development: { syncDebounce: 0 } } })
  // No watcher of Vite's: whatever sees the save is OKRA's.
  const { server, lines } = await viteDevServer(root, [okraVite()], { watch: null })
  try {
    await waitFor('the first sync', () => lines.some((l) => l.startsWith("[okra] synced: + Added model 'User'")))
    // An atomic save: the new text written beside the file, then renamed over it.
    writeFileSync(join(root, 'models.okra.gql.tmp'), withField(USER_SCHEMA, 'phone: String?'))
    renameSync(join(root, 'models.okra.gql.tmp'), join(root, 'models.okra.gql'))
    await waitFor('the new types', () => read(root, 'src/generated/models.ts').includes('phone?: string | null;'))
    await waitFor('the phone column', () => lines.some((l) => l.startsWith("[okra] synced: + Added field 'phone' to User")))
    expect(await sqliteColumns(root, 'users')).toContain('phone')
    // One save, one compile: the types were written once.
    expect(lines.filter((l) => l.startsWith('[okra] types: wrote'))).toHaveLength(2)
  } finally {
    await server.close()
  }
})
