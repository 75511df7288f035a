/** The plugin's options and the logger it reports through. */
import { suggestionSuffix } from '../config/suggest'
import { maskUrl } from '../config/url'
import { OkraError } from '../errors'
import type { Terminal } from '../terminal'

export type DriftMode = 'error' | 'warn' | 'off'

export interface OkraPluginOptions {
  /** The config file, relative to the root (default okra.config.json there, else zero configuration). */
  config?: string
  /** The environment of the config (default OKRA_ENV, else local). */
  env?: string
  /**
   * Overrides `autoSync` of the config: false never syncs the dev database; `'ask'` syncs, but a
   * destructive change that affects rows waits for a decision in the dev panel (`/__okra/`).
   */
  autoSync?: boolean | 'ask'
  /** Overrides `syncDebounce` of the config: milliseconds of quiet after a schema change before the sync. */
  syncDebounce?: number
  /** What a production build does when the schema differs from migrations/snapshot/schema.json (default 'error'). */
  drift?: DriftMode
  /** Where the declaration of `virtual:okra/models` is written, relative to the root (default okra.d.ts); false writes none. */
  dts?: string | false
  /** The project root (default: the bundler's root, e.g. Vite's `root` or webpack's `context`, else the working directory). */
  root?: string
  /**
   * esbuild only: whether this esbuild context is watching or serving (development) rather than a
   * one-shot production build. esbuild tells plugins neither; by default a `context()` counts as
   * watching and `build()` as production.
   */
  watch?: boolean
}

/** Where the plugin and `okra dev` print: one line per event, already prefixed with `[okra]`. */
export interface OkraLogger {
  info(line: string): void
  warn(line: string): void
  error(line: string): void
}

/** The bundler's console: every line through maskUrl, as the CLI's output (no password is ever shown). */
export const consoleLogger: OkraLogger = {
  info: (line) => console.log(maskUrl(line)),
  warn: (line) => console.warn(maskUrl(line)),
  error: (line) => console.error(maskUrl(line)),
}

/** `okra dev` and `okra build`: lines on stderr, so stdout holds only the result (or the JSON document). */
export function terminalLogger({ stderr }: Terminal): OkraLogger {
  return {
    info: (line) => stderr.line(line),
    warn: (line) => stderr.line(stderr.paint.yellow(line)),
    error: (line) => stderr.line(stderr.paint.red(line)),
  }
}

/** A duration in a log line: `2.4 ms`, `37 ms`. */
export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`
}

const DRIFT_MODES: readonly DriftMode[] = ['error', 'warn', 'off']
const KNOWN = new Set(['config', 'env', 'autoSync', 'syncDebounce', 'drift', 'dts', 'root', 'watch'])

/** Every problem with the options in one error (a typo in an option must not be silently ignored). */
export function checkOptions(options: OkraPluginOptions): void {
  const problems: string[] = []
  const given = options as Record<string, unknown>
  for (const key of Object.keys(given)) if (!KNOWN.has(key)) problems.push(`unknown option '${key}'${suggestionSuffix(key, KNOWN)}`)
  const expect = (key: string, ok: (value: unknown) => boolean, what: string) => {
    if (given[key] !== undefined && !ok(given[key])) problems.push(`${key} must be ${what}, got ${JSON.stringify(given[key])}`)
  }
  expect('config', (v) => typeof v === 'string', 'a path')
  expect('env', (v) => typeof v === 'string' && v !== '', 'an environment name')
  expect('autoSync', (v) => typeof v === 'boolean' || v === 'ask', "true, false or 'ask'")
  expect('syncDebounce', (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0, 'a number of milliseconds (0 or more)')
  expect('drift', (v) => DRIFT_MODES.includes(v as DriftMode), "'error', 'warn' or 'off'")
  expect('dts', (v) => v === false || (typeof v === 'string' && v !== ''), 'a path or false')
  expect('root', (v) => typeof v === 'string', 'a directory')
  expect('watch', (v) => typeof v === 'boolean', 'true or false')
  if (problems.length > 0) {
    throw new OkraError(
      `Invalid options of the plugin (unplugin-okra):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      'Options: config, env, autoSync, syncDebounce, drift, dts, root, watch (see docs/plugin.md).',
    )
  }
}
