/**
 * `okra migrate:unlock [--force]`: removes a migration lock left by a process that is gone
 * (src/migrations/unlock.ts); on PostgreSQL, names the session holding it and how to end it.
 */
import type { CommandWiring } from './types'
import { configOptions } from '../config/load'
import { type MigrateUnlockResult, describeHolder, migrateUnlock } from '../migrations/unlock'

export const command: CommandWiring<MigrateUnlockResult> = {
  description:
    'Removes the migration lock left by a process that is gone. SQLite: the lock is a row in _okra_lock; one left by a process on another host (a replaced container) is never taken over automatically, so this shows its holder and removes it after asking (--force without a terminal); it refuses while the holder runs on this host. PostgreSQL: the lock is a session advisory lock, released when its session ends; this names the session (pid, application, state, since when, its query) and how to end it (pg_terminate_backend), and exits 1.',
  flags: {
    force: { type: 'boolean', description: 'remove the lock without asking (needed without a terminal)' },
  },
  run: (context, flags) =>
    migrateUnlock({
      ...configOptions(context),
      force: flags.force === true,
      confirm: (question) => context.terminal.confirm(question, { flag: '--force' }),
    }),
  printText(result, { stdout }) {
    if (!result.holder) stdout.line(`${stdout.paint.cyan('✓')} No migration lock is held on ${result.url}: nothing to remove`)
    else stdout.line(`${stdout.paint.cyan('✓')} Removed the migration lock of ${result.url} held by ${describeHolder(result.holder)}`)
  },
  toJSON: (result) => ({ ok: true, url: result.url, provider: result.provider, cleared: result.cleared, holder: result.holder && { ...result.holder, token: undefined } }),
}
