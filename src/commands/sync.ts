/**
 * `okra db:sync`: makes the development database match the schema, directly, with no migration file
 * (phase 1 of the workflow). The work is `sync()` (src/sync/sync.ts), which the plugin's auto-sync calls too.
 */
import type { CommandContext, CommandWiring, FlagValue } from './types'
import { configOptions } from '../config/load'
import type { RenameCandidate, RenameResolver } from '../diff/index'
import { OkraError } from '../errors'
import type { Terminal } from '../terminal'
import { sync } from '../sync/sync'
import type { SyncOptions, SyncResult } from '../sync/types'
import type { WatchSummary } from '../sync/watch'
import { TIMEOUT_FLAGS, timeoutOptions } from './flags'

/**
 * The CLI's rename question, asked at a terminal only: without one, what is left unpaired is dropped and
 * added (and a drop that loses rows then needs --accept-data-loss).
 */
export function terminalRenames(terminal: Terminal): RenameResolver {
  let noTerminal = false
  return async (candidate: RenameCandidate) => {
    if (noTerminal) return 'drop-add'
    const what = candidate.kind === 'table' ? `Table '${candidate.from}'` : `Column '${candidate.from}' of table '${candidate.table}'`
    const question = `${what} is gone and '${candidate.to}' is new: was it renamed (keeps its data) or dropped and a new one created?`
    try {
      const answer = await terminal.ask(question, { flag: 'a @renamed hint in the schema', choices: ['rename', 'drop and create'] })
      return answer === 'rename' ? 'rename' : 'drop-add'
    } catch (error) {
      if (!(error instanceof OkraError)) throw error
      noTerminal = true
      return 'drop-add'
    }
  }
}

/** The options the CLI gives sync(): questions go to the terminal, log lines to stderr. */
export function cliSyncOptions(context: CommandContext, flags: Record<string, FlagValue | undefined>): SyncOptions {
  const { terminal } = context
  return {
    ...configOptions(context),
    acceptDataLoss: flags['accept-data-loss'] === true,
    backup: flags.backup === true,
    ...timeoutOptions(flags),
    renames: terminalRenames(terminal),
    confirm: (question) => terminal.confirm(question, { flag: '--accept-data-loss' }),
    log: (line) => terminal.stderr.line(line.startsWith('warning:') ? terminal.stderr.paint.yellow(line) : line),
    progress: (title, total) => terminal.progress(title, total),
  }
}

export function printSyncResult(result: SyncResult, { stdout }: Terminal): void {
  for (const line of result.summaries) stdout.line(line)
  if (result.applied) stdout.line(`${stdout.paint.cyan('✓')} Synced ${result.url} in ${Math.round(result.durationMs)} ms`)
  else stdout.line(`${stdout.paint.cyan('✓')} Already in sync (${result.url})`)
}

export function syncResultToJSON(result: SyncResult) {
  return {
    ok: true,
    applied: result.applied,
    url: result.url,
    provider: result.provider,
    changes: result.summaries,
    statements: result.statements.map((s) => s.sql),
    durationMs: Math.round(result.durationMs * 10) / 10,
    source: result.source,
    repair: result.repair ?? null,
    backup: result.backup ?? null,
    dataLoss: result.dataLoss.map((r) => ({ change: r.summary ?? null, risk: r.risk.reason, count: r.count })),
    warnings: result.warnings.map((w) => w.message),
  }
}

type SyncCommandResult = SyncResult | WatchSummary

const isWatch = (result: SyncCommandResult): result is WatchSummary => 'watched' in result

export const command: CommandWiring<SyncCommandResult> = {
  description:
    'Makes the database match the schema directly, with no migration file. Changes that would lose data need --accept-data-loss or a yes at the prompt; without either, nothing is changed and the command exits 1.',
  flags: {
    'accept-data-loss': { type: 'boolean', description: 'apply destructive changes without asking' },
    backup: { type: 'boolean', description: 'apply destructive changes after a restorable backup (as auto-sync does)' },
    watch: { type: 'boolean', description: 'sync again whenever a schema file changes (Ctrl-C to stop)' },
    ...TIMEOUT_FLAGS,
  },
  async run(context, flags) {
    if (flags.watch === true) {
      const { watchSync } = await import('../sync/watch')
      const options = cliSyncOptions(context, flags)
      return watchSync({ project: options, sync: () => sync(options), print: (result) => printSyncResult(result, context.terminal), terminal: context.terminal })
    }
    return sync(cliSyncOptions(context, flags))
  },
  printText(result, terminal) {
    if (isWatch(result)) terminal.stderr.line(`Stopped watching after ${result.runs} sync${result.runs === 1 ? '' : 's'} (${result.failures} failed)`)
    else printSyncResult(result, terminal)
  },
  toJSON: (result) => (isWatch(result) ? { ok: true, ...result } : syncResultToJSON(result)),
}
