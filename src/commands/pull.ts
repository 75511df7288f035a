/**
 * `okra db:pull`: writes the schema of an existing database into a `*.okra.gql` file (src/pull/pull.ts),
 * then says whether the schema is the database (what `db:sync` would still change) and what it could not
 * express; `--baseline` also starts the migration history from it.
 */
import type { CommandWiring } from './types'
import { configOptions } from '../config/load'
import { type PullResult, pull } from '../pull/pull'
import { plural } from '../terminal'
import { formatMs } from '../plugin/options'

export const command: CommandWiring<PullResult> = {
  description:
    'Reads the configured database and writes its schema into one *.okra.gql file (the configured schema file, else models.okra.gql): models, enums, ' +
    'relations from foreign keys, keys, indexes and defaults, with @@map / @map / @db(type:) / map: where the database differs from the conventions. ' +
    'Then checks that db:sync would change nothing. --baseline also writes the first migration and records it applied in this database.',
  flags: {
    force: { type: 'boolean', description: 'overwrite the schema file when it exists' },
    baseline: { type: 'boolean', description: 'also write a baseline migration and record it applied in this database' },
  },
  run: (context, flags) => pull({ ...configOptions(context), force: flags.force === true, baseline: flags.baseline === true }),
  printText(result, { stdout, stderr }) {
    const { paint } = stdout
    for (const error of result.schemaErrors) stderr.line(error + '\n')
    for (const note of result.notes) stderr.line(stderr.paint.yellow(`warning: ${note.where}: ${note.message}`))
    stdout.line(
      `${paint.cyan('✓')} Wrote ${result.file}: ${plural(result.models, 'model')}, ${plural(result.enums, 'enum')} from ${plural(result.tables, 'table')} of ${result.url} ` +
        `(read in ${formatMs(result.introspectMs)}, written in ${formatMs(result.writeMs)})`,
    )
    if (result.schemaErrors.length) stderr.line(stderr.paint.red(`✗ ${result.file} has ${plural(result.schemaErrors.length, 'error')}: fix them by hand (see above).`))
    else if (result.remaining.length === 0) stdout.line(`${paint.cyan('✓')} The schema is the database: db:sync would change nothing.`)
    else {
      stderr.line(stderr.paint.yellow(`The schema differs from the database where it could not say everything; db:sync would:`))
      for (const line of result.remaining) stderr.line(`  ${line}`)
    }
    if (result.baseline) {
      stdout.line(`${paint.cyan('✓')} Wrote ${result.baseline.folder}/ (${result.baseline.files.join(', ')}) and recorded it applied on ${result.url}`)
      stdout.line(paint.dim('`okra migrate:up` on this database starts after it; on an empty one it creates everything.'))
    } else {
      stdout.line(paint.dim('Next: `okra models:generate` for the types; `okra db:pull --baseline` (or `okra db:migrate:snapshot`) to start the migration history.'))
    }
  },
  toJSON: (result) => ({ ok: result.schemaErrors.length === 0, ...result }),
  exitCode: (result) => (result.schemaErrors.length ? 1 : 0),
}
