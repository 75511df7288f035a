/**
 * `okra dev`: the plugin's dev mode without a bundler. It writes the types, syncs the dev database,
 * then watches the schema files (and the config): every change regenerates the types at once and,
 * after `syncDebounce` ms of quiet, syncs again, one sync at a time. A schema error is printed with
 * its location and nothing is synced until the schema is valid again. With `--ui`, the dev panel is
 * served on 127.0.0.1 (for projects whose dev server is not Vite's, webpack's or Rspack's, or that have
 * none). Runs until Ctrl-C.
 */
import type { CommandWiring } from './types'
import { UsageError } from '../errors'
import { configOptions } from '../config/load'
import type { LoadConfigOptions } from '../config/types'
import { OkraContext } from '../plugin/context'
import { type OkraLogger, terminalLogger } from '../plugin/options'
import type { PanelServer } from '../plugin/panel'

/** The port `okra dev --ui` tries first (then the next ones, unless --port names one). */
export const DEFAULT_PANEL_PORT = 5183

export interface DevOptions extends LoadConfigOptions {
  /** Overrides the config's autoSync (false: types only). */
  autoSync?: boolean
  /** Overrides the config's syncDebounce, in milliseconds. */
  syncDebounce?: number
  /** okra.d.ts's path, relative to the root; false writes none. */
  dts?: string | false
  logger?: OkraLogger
  /** Serve the dev panel on 127.0.0.1: on `port` (0: any free one), by default on 5183 or the next free port. */
  ui?: { port?: number }
}

export interface DevSummary {
  /** Times the types were written, syncs run and failed, and schema problems reported while watching. */
  typesWritten: number
  syncs: number
  syncFailures: number
  problems: number
}

export interface DevSession {
  /** The context: its events (`types`, `synced`, `problem`, `recovered`) say what happens. */
  context: OkraContext
  /** With `ui`: the dev panel's URL. */
  panelUrl?: string
  /** Stops watching, lets a running sync finish, and returns what happened. */
  stop(): Promise<DevSummary>
}

/** Starts watching (the first compile and sync included) and returns at once; `stop()` ends it. */
export async function dev(options: DevOptions = {}): Promise<DevSession> {
  const context = new OkraContext(
    { root: options.cwd ?? process.cwd(), config: options.configFile, env: options.env, autoSync: options.autoSync, syncDebounce: options.syncDebounce, dts: options.dts },
    { logger: options.logger, processEnv: options.processEnv },
  )
  const summary: DevSummary = { typesWritten: 0, syncs: 0, syncFailures: 0, problems: 0 }
  context.on('types', ({ written }) => void (written.length > 0 && summary.typesWritten++))
  context.on('problem', () => void summary.problems++)
  context.on('synced', (outcome) => {
    summary.syncs++
    if (outcome.error) summary.syncFailures++
  })
  // The panel first, so the first sync's question (autoSync: 'ask') already names its URL.
  let panel: PanelServer | undefined
  if (options.ui) {
    const { startPanelServer } = await import('../plugin/panel')
    panel = await startPanelServer(context, options.ui.port === undefined ? { from: DEFAULT_PANEL_PORT } : { exactly: options.ui.port })
    options.logger?.info(`[okra] dev panel: ${panel.url}`)
  }
  try {
    await context.startDev({ watch: true, persistent: true })
  } catch (error) {
    await panel?.close()
    throw error
  }
  return {
    context,
    ...(panel ? { panelUrl: panel.url } : {}),
    async stop() {
      await panel?.close()
      await context.close()
      return summary
    },
  }
}

/** Resolves on Ctrl-C or a termination signal. */
function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}

export const command: CommandWiring<DevSummary> = {
  description:
    'Watches the schema files: every change regenerates the types and, after syncDebounce ms of quiet, syncs the dev database (destructive changes only after a backup in .okra/backups/). --ui serves the dev panel (the schema as a live diagram, pending changes, the sync log, consent for autoSync "ask") on 127.0.0.1. Ctrl-C stops.',
  flags: {
    'no-sync': { type: 'boolean', description: 'write the types only, never touch the database' },
    debounce: { type: 'number', value: 'MS', description: 'quiet time before a sync (default: syncDebounce of the config, 500)' },
    ui: { type: 'boolean', description: `serve the dev panel on 127.0.0.1 (port ${DEFAULT_PANEL_PORT} or the next free one)` },
    port: { type: 'number', value: 'N', description: 'the dev panel\'s port, with --ui (0: any free port)' },
  },
  async run(context, flags) {
    const port = flags.port as number | undefined
    if (port !== undefined && flags.ui !== true) throw new UsageError('--port is the dev panel\'s port: give it with --ui')
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError(`--port must be a port number (0 to 65535), got ${port}`)
    const session = await dev({
      ...configOptions(context),
      autoSync: flags['no-sync'] === true ? false : undefined,
      syncDebounce: flags.debounce as number | undefined,
      logger: terminalLogger(context.terminal),
      ...(flags.ui === true ? { ui: { port } } : {}),
    })
    context.terminal.stderr.line(context.terminal.stderr.paint.dim('[okra] watching the schema (Ctrl-C to stop)'))
    await interrupted()
    return session.stop()
  },
  printText(summary, { stderr }) {
    stderr.line(`Stopped: types written ${summary.typesWritten}×, ${summary.syncs} sync${summary.syncs === 1 ? '' : 's'} (${summary.syncFailures} failed)`)
  },
  toJSON: (summary) => ({ ok: true, ...summary }),
}
