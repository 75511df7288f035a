/**
 * What Vite prints about the plugin, as a user reads it: a typo in the plugin's options (the real `vite`
 * command, loading a vite.config.mjs that imports the built plugin) and the reload line of the dev
 * server after a schema change (Vite's own logger).
 */
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'
import okraVite from '../../src/vite'
import { makeTempDir, writeFiles } from '../helpers/tmp'
import { viteDevServer } from '../../bench/lib/vite.mjs'
import { USER_SCHEMA, waitFor, withField, writeDevProject } from '../plugin/project'

const builtPlugin = fileURLToPath(new URL('../../dist/vite.js', import.meta.url))
const viteBin = join(createRequire(import.meta.url).resolve('vite/package.json'), '../bin/vite.js')

it('vite build with a misspelt option: "did you mean", the hint, and no stack trace', () => {
  const root = makeTempDir('okra-vite-typo-')
  writeDevProject(root)
  writeFiles(root, {
    'vite.config.mjs': `import okra from ${JSON.stringify(builtPlugin)}\nexport default { plugins: [okra({ drfit: 'warn' })] }\n`,
    'index.html': '<script type="module" src="./main.js"></script>\n',
    'main.js': "import { Role } from 'virtual:okra/models'\nconsole.log(Role)\n",
  })
  const r = spawnSync(process.execPath, [viteBin, 'build'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', OKRA_ENV: '' } })
  expect(r.status).toBe(1)
  const output = r.stdout + r.stderr
  expect(output).toContain("unknown option 'drfit' (did you mean 'drift'?)")
  expect(output).toContain('hint: Options: config, env, autoSync, syncDebounce, drift, dts, root, watch')
  expect(output).not.toMatch(/\n\s+at |checkOptions|exitCode:/)
})

it("the dev server's reload line names virtual:okra/models without the NUL byte that marks it virtual", async () => {
  const root = makeTempDir('okra-vite-log-')
  writeDevProject(root, USER_SCHEMA, { migrations: { development: { syncDebounce: 30 } } })
  writeFileSync(join(root, 'main.js'), "import { Role } from 'virtual:okra/models'\nexport default Role\n")
  const { server, lines } = await viteDevServer(root, [okraVite()])
  try {
    await waitFor('the first sync', () => lines.some((l) => l.startsWith('[okra] synced:')))
    await server.transformRequest('/main.js')
    await server.transformRequest('virtual:okra/models')
    writeFileSync(join(root, 'models.okra.gql'), withField(USER_SCHEMA, 'phone: String?'))
    const reload = await waitFor('the reload line', () => lines.find((l) => /page reload|hmr update/.test(l)))
    expect(reload).toContain('virtual:okra/models')
    expect(reload).not.toContain('\0')
    expect(lines.join('\n')).not.toContain('\0')
  } finally {
    await server.close()
  }
})
