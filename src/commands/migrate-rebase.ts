/**
 * `okra migrate:rebase [--onto ID] [--dry-run]`: makes a forked migration history one line again
 * (src/migrations/rebase-history.ts) and prints what moved where.
 */
import type { CommandWiring } from './types'
import { configOptions } from '../config/load'
import { type RebaseResult, rebaseHistory } from '../migrations/rebase-history'
import { plural } from '../terminal'

export const command: CommandWiring<RebaseResult> = {
  description:
    'Makes a forked migration history (two branches snapshotted from the same parent, then merged) one line again: the migrations of one branch ' +
    '(by default the one with the newer migrations) move after the other branch\'s head, their change recomputed on top, renames carried, ' +
    'generated migration.sql written again (a hand-edited one is kept and flagged for review). Stops, naming each one, when both branches changed ' +
    'the same field, model or enum. A migration the environment\'s database applied never moves. Databases that applied either branch reach the head with migrate:up.',
  flags: {
    onto: { type: 'string', value: 'ID', description: 'keep the branch holding migration ID and move the other one after its head' },
    'dry-run': { type: 'boolean', description: 'show what would move; change nothing' },
  },
  run: (context, flags) =>
    rebaseHistory({ ...configOptions(context), terminal: context.terminal, onto: flags.onto as string | undefined, dryRun: flags['dry-run'] === true }),
  printText(result, { stdout, stderr }) {
    const { paint } = stdout
    for (const note of result.notes) stderr.line(stderr.paint.yellow(`note: ${note}`))
    if (result.outcome === 'linear') {
      stdout.line('Nothing to rebase: the migration history is one line.')
      return
    }
    for (const m of result.moved) {
      stdout.line(`${paint.cyan('→')} ${m.from} -> ${m.to}`)
      for (const file of m.review) stdout.line(paint.yellow(`    review ${m.folder}/${file}: written by hand for the schema before the rebase, kept as it was`))
    }
    const what = `${plural(result.moved.length, 'migration')} after ${result.onto}`
    stdout.line(result.dryRun ? `Dry run: would move ${what}; nothing was changed.` : `Moved ${what}; migrations/snapshot/schema.json is the new head. Commit the folders; databases that applied either branch reach the head with \`okra migrate:up\`.`)
  },
  toJSON: (result) => ({ ok: true, ...result }),
  exitCode: () => 0,
}
