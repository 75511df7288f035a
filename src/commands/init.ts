/** `okra init` (also `db:init`): creates a new project's files (src/project/init.ts). */
import type { CommandWiring } from './types'
import { CONFIG_FILE } from '../config/load'
import type { Provider } from '../config/types'
import { PROVIDERS } from '../schema/physical-types'
import { UsageError } from '../errors'
import { type InitResult, MIGRATIONS_DIR, SCHEMA_FILE, init } from '../project/init'

function providerFlag(value: unknown): Provider | undefined {
  if (value === undefined) return undefined
  if (PROVIDERS.includes(value as Provider)) return value as Provider
  if (value === 'postgresql') return 'postgres'
  throw new UsageError(`--provider must be ${PROVIDERS.join(' or ')}, got '${String(value)}'`)
}

export const command: CommandWiring<InitResult> = {
  description:
    `Creates ${CONFIG_FILE}, ${SCHEMA_FILE} with an example model, ${MIGRATIONS_DIR}, and the .gitignore lines for the dev database files, .okra/, ` +
    `migrations/current/ and okra.d.ts. SQLite at ./dev.db unless --provider or --url says otherwise; a PostgreSQL URL goes into .env as DATABASE_URL. ` +
    'Existing files are never overwritten.',
  flags: {
    provider: { type: 'string', value: 'NAME', description: 'sqlite (default) or postgres' },
    url: { type: 'string', value: 'URL', description: 'the dev database (default sqlite://./dev.db; PostgreSQL: written to .env as DATABASE_URL)' },
  },
  run: (context, flags) => init({ cwd: context.cwd, provider: providerFlag(flags.provider), url: flags.url as string | undefined }),
  printText(result, { stdout }) {
    const { paint } = stdout
    const why = (file: string) =>
      file === '.gitignore' ? ` (added ${result.ignored.join(', ')})` : file === '.env' && result.env ? ` (added ${result.env})` : ''
    for (const file of result.created) stdout.line(`${paint.cyan('created')} ${file}${why(file)}`)
    for (const file of result.updated) stdout.line(`${paint.cyan('updated')} ${file}${why(file)}`)
    for (const file of result.skipped) {
      const reason = file === '.gitignore' ? 'already ignores what it should' : file === '.env' ? 'already sets DATABASE_URL' : 'already exists'
      stdout.line(`${paint.dim('skipped')} ${file} (${reason})`)
    }
    if (result.provider === 'postgres' && !result.env && !result.skipped.includes('.env')) {
      stdout.line(`\nSet DATABASE_URL (in the environment or in .env) to your PostgreSQL database.`)
    }
    if (result.created.includes(SCHEMA_FILE)) {
      stdout.line(`\nNext: describe your data in ${SCHEMA_FILE}, then run \`okra models:generate\`.`)
    }
  },
  toJSON: (result) => ({ ok: true, ...result }),
}
