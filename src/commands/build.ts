/**
 * `okra build`: what the plugin does at the start of a production build, for builds without a
 * bundler (CI, a server): load the config, validate, write the types and okra.d.ts, and fail
 * (exit 1) when the schema differs from migrations/snapshot/schema.json. Never opens a database.
 */
import type { CommandWiring, FlagValue } from './types'
import { configOptions } from '../config/load'
import type { LoadConfigOptions } from '../config/types'
import { UsageError } from '../errors'
import { type BuildReport, OkraContext } from '../plugin/context'
import { driftWarning } from '../plugin/drift'
import { type DriftMode, type OkraLogger, terminalLogger } from '../plugin/options'

export interface BuildOptions extends LoadConfigOptions {
  /** What drift does: 'error' (default) fails, 'warn' prints the changes, 'off' skips the check. */
  drift?: DriftMode
  /** okra.d.ts's path, relative to the root; false writes none. */
  dts?: string | false
  logger?: OkraLogger
}

export type BuildResult = BuildReport

export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const silent: OkraLogger = { info: () => undefined, warn: () => undefined, error: () => undefined }
  const context = new OkraContext(
    { root: options.cwd ?? process.cwd(), config: options.configFile, env: options.env, drift: options.drift, dts: options.dts },
    { logger: options.logger ?? silent, processEnv: options.processEnv },
  )
  return context.build({ production: true })
}

function driftFlag(value: FlagValue | undefined): DriftMode | undefined {
  if (value === undefined) return undefined
  if (value === 'error' || value === 'warn' || value === 'off') return value
  throw new UsageError(`--drift must be error, warn or off, got '${value}'`)
}

export const command: CommandWiring<BuildResult> = {
  description:
    'Validates the schema, writes the configured types and okra.d.ts, and fails when the schema has changes that no migration in migrations/ describes (as the plugin does in a production build), or when the migration history forks or lost its newest migration. Opens no database.',
  flags: {
    drift: { type: 'string', value: 'MODE', description: "on drift from the snapshot: error (default, exit 1), warn, or off" },
    dts: { type: 'string', value: 'FILE', description: 'where to write the declaration of virtual:okra/models (default okra.d.ts)' },
    'no-dts': { type: 'boolean', description: 'write no okra.d.ts' },
  },
  run: (context, flags) =>
    build({
      ...configOptions(context),
      drift: driftFlag(flags.drift),
      dts: flags['no-dts'] === true ? false : (flags.dts as string | undefined),
      logger: terminalLogger(context.terminal),
    }),
  // The schema's warnings were printed through the logger as they came.
  printText(result, { stdout, stderr }) {
    const written = new Set(result.written)
    for (const file of result.outputs) {
      stdout.line(written.has(file) ? `${stdout.paint.cyan('written')}   ${file}` : `${stdout.paint.dim('unchanged')} ${file}`)
    }
    const { drift } = result
    if (drift === null) stdout.line(stdout.paint.dim('drift check skipped (--drift off)'))
    else if (!drift.drifted) stdout.line(`${stdout.paint.cyan('✓')} no drift: the schema matches ${drift.snapshotFile}`)
    else stderr.line(stderr.paint.yellow(`warning: ${driftWarning(drift)}`))
  },
  toJSON: (result) => ({
    ok: true,
    written: result.written,
    outputs: result.outputs,
    drift: result.drift && { snapshot: result.drift.snapshotFile, snapshotExists: result.drift.snapshotExists, drifted: result.drift.drifted, changes: result.drift.changes, history: (result.drift.history ?? []).map((p) => p.message) },
  }),
}
