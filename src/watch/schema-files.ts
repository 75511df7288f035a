/**
 * Which changes concern OKRA, and which directories to watch to see them: the one rule behind the
 * plugin (every bundler's watch hooks, esbuild), `okra dev` and `okra db:sync --watch`.
 *
 * A path concerns OKRA when it is
 * - a path the config's schema globs match (`database.schemas`, with `*`, `?`, `**` and `{a,b}`), whether
 *   or not it exists yet: a file created later, or saved by renaming a temporary file into place, counts
 *   under its final name. A `*.okra.gql` outside the globs is not part of the schema and does not count;
 * - the config file (also one that does not exist yet: creating okra.config.json ends zero configuration);
 * - `.env` at the project root, whose variables fill `${VAR}` in the config.
 *
 * Before a config is loaded (or while none ever loaded), the globs are both defaults of a project without
 * config, `./models.okra.gql` and `**\/*.okra.gql`.
 */
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path'
import { expandBraces, hasMagic, matchGlob } from '../config/glob'
import { CONFIG_FILE, DEFAULTS, loadConfig } from '../config/load'
import type { LoadConfigOptions, ResolvedConfig } from '../config/types'

export interface WatchedDirectories {
  /** Directories whose own entries matter. */
  dirs: string[]
  /** Directories whose whole tree matters (below a `**`, or a wildcard folder). */
  trees: string[]
}

export interface SchemaFilesSetup {
  /** The project root (absolute, or relative to the working directory). */
  root: string
  /** The loaded config; without one, the defaults. */
  config?: ResolvedConfig
  /** The config file as given (`--config`, the plugin's `config` option), relative to the root. */
  configFile?: string
}

export class SchemaFiles {
  readonly root: string
  /** The schema globs, relative to the root (or absolute). */
  readonly patterns: readonly string[]
  /** The config file's absolute path, whether or not it exists. */
  readonly configFile: string
  readonly envFile: string

  constructor({ root, config, configFile }: SchemaFilesSetup) {
    this.root = resolve(root)
    this.patterns = config?.database.schemas ?? [DEFAULTS.schemaFile, DEFAULTS.schemaGlob]
    this.configFile = config?.configFile ?? resolve(this.root, configFile ?? CONFIG_FILE)
    this.envFile = resolve(this.root, '.env')
  }

  /** Whether a change to this path (absolute, or relative to the root) concerns OKRA. */
  concerns(path: string): boolean {
    const absolute = resolve(this.root, path)
    if (absolute === this.configFile || absolute === this.envFile) return true
    const fromRoot = relative(this.root, absolute).split(sep).join('/')
    return this.patterns.some((pattern) => {
      if (!hasMagic(pattern)) return resolve(this.root, pattern) === absolute
      return matchGlob(pattern, isAbsolute(pattern) ? absolute.split(sep).join('/') : fromRoot)
    })
  }

  /**
   * Where those paths can appear: the root (for `.env`), the config file's folder, and for each glob
   * (braces expanded) the folder of a pattern whose only wildcard is in the file name, or the whole tree
   * below the fixed part of one whose wildcard spans folders.
   */
  directories(): WatchedDirectories {
    const dirs = new Set([this.root, dirname(this.configFile)])
    const trees = new Set<string>()
    for (const pattern of this.patterns) {
      for (const expanded of expandBraces(pattern)) {
        const segments = expanded.split(/[\\/]/)
        const base = (count: number) => resolve(this.root, segments.slice(0, count).join('/') || (isAbsolute(expanded) ? '/' : '.'))
        const firstMagic = segments.findIndex((segment) => hasMagic(segment))
        const last = segments.length - 1
        if (firstMagic === -1 || (firstMagic === last && segments[last] !== '**')) dirs.add(base(last))
        else trees.add(base(firstMagic))
      }
    }
    return { dirs: [...dirs].sort(), trees: [...trees].sort() }
  }
}

/**
 * The rule for a project read from disk now. When its config cannot be loaded (a syntax error being
 * fixed), the previous rule stays, or the defaults when there is none: either way the config file and
 * `.env` are watched, so the fix is seen.
 */
export async function readSchemaFiles(options: LoadConfigOptions, previous?: SchemaFiles): Promise<SchemaFiles> {
  const root = resolve(options.cwd ?? process.cwd())
  try {
    return new SchemaFiles({ root, config: await loadConfig(options), configFile: options.configFile })
  } catch {
    return previous ?? new SchemaFiles({ root, configFile: options.configFile })
  }
}
