/** `okra init` (also `db:init`): creates a new project's files (src/project/init.ts). */
import type { CommandWiring } from './types'
import { CONFIG_FILE } from '../config/load'
import { GITIGNORE_LINE, type InitResult, MIGRATIONS_DIR, SCHEMA_FILE, init } from '../project/init'

export const command: CommandWiring<InitResult> = {
  description: `Creates ${CONFIG_FILE} (SQLite at ./dev.db), ${SCHEMA_FILE} with an example model, ${MIGRATIONS_DIR} and the .gitignore line for ${GITIGNORE_LINE}. Existing files are never overwritten.`,
  flags: {},
  run: (context) => init({ cwd: context.cwd }),
  printText(result, { stdout }) {
    const { paint } = stdout
    for (const file of result.created) stdout.line(`${paint.cyan('created')} ${file}`)
    for (const file of result.updated) stdout.line(`${paint.cyan('updated')} ${file} (added ${GITIGNORE_LINE})`)
    for (const file of result.skipped) stdout.line(`${paint.dim('skipped')} ${file} (already ${file === '.gitignore' ? `ignores ${GITIGNORE_LINE}` : 'exists'})`)
    if (result.created.includes(SCHEMA_FILE)) {
      stdout.line(`\nNext: describe your data in ${SCHEMA_FILE}, then run \`okra models:generate\`.`)
    }
  },
  toJSON: (result) => ({ ok: true, ...result }),
}
