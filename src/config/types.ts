/**
 * okra.config.json as written (RawConfig) and as the rest of OKRA uses it
 * (ResolvedConfig: one environment selected, `${VAR}` expanded, defaults filled, paths absolute).
 */
import type { Provider } from '../schema/physical-types'

export type { Provider }

/**
 * Auto-sync in dev: true syncs every change (destructive ones after a backup), false never syncs, and
 * `'ask'` syncs every change but holds a destructive one that affects rows until the developer decides
 * in the dev panel.
 */
export type AutoSync = boolean | 'ask'

export interface RawEnvironment {
  provider?: Provider
  url?: string
  schemas?: string[]
  autoSync?: AutoSync
  syncDebounce?: number
  generateSQL?: boolean
  lockWait?: number
  statementTimeout?: number
}

export interface RawConfig {
  database?: {
    provider?: Provider
    url?: string
    schemas?: string[]
    /** Seconds a statement of migrate:up/down, db:sync or db:reset waits for a lock another session holds (0: no bound). */
    lockWait?: number
    /** Seconds any one statement of those commands may run (0: no bound; PostgreSQL only). */
    statementTimeout?: number
    migrations?: {
      dir?: string
      generateSQL?: boolean
      development?: { autoSync?: AutoSync; syncDebounce?: number }
    }
    environments?: Record<string, RawEnvironment>
  }
  generate?: RawGenerate
}

export interface RawGenerate {
  typescript?: { out: string }
  go?: { out: string; package?: string }
  python?: { out: string }
  graphql?: { out: string }
}

export type GenerateTarget = keyof RawGenerate

export interface ResolvedConfig {
  /** The project root (absolute): `--cwd`, else the working directory. Relative paths in messages are relative to it. */
  root: string
  /** Absolute path of the config file read, or null when running with zero configuration. */
  configFile: string | null
  /** The selected environment: `--env`, else `OKRA_ENV`, else `local`. */
  env: string
  database: {
    provider: Provider
    /**
     * The connection URL with `${VAR}` expanded. A SQLite URL is normalised to `sqlite://<absolute path>`
     * (or `sqlite://:memory:`), so it does not depend on the working directory. May hold a password:
     * print it only through `maskUrl`.
     */
    url: string
    /** Schema file globs, relative to the root (`/` separators). */
    schemas: string[]
    migrations: {
      /** Absolute. */
      dir: string
      generateSQL: boolean
      autoSync: AutoSync
      /** Milliseconds of quiet after a schema change before auto-sync runs. */
      syncDebounce: number
    }
    /** Every provider used by the top level or any environment, sorted: one migration SQL file is written per provider. */
    providers: Provider[]
    /** `lockWait` and `statementTimeout` in milliseconds (0: no bound). */
    timeouts: { lockWaitMs: number; statementTimeoutMs: number }
  }
  /** Output files, absolute. Only the configured targets are present. */
  generate: {
    typescript?: { out: string }
    go?: { out: string; package: string }
    python?: { out: string }
    graphql?: { out: string }
  }
}

export interface LoadConfigOptions {
  /** The project root; default `process.cwd()`. */
  cwd?: string
  /** `--config FILE`, relative to the root; default `okra.config.json` there when it exists. */
  configFile?: string
  /** `--env NAME`; default `OKRA_ENV`, else `local`. */
  env?: string
  /** Variables for `${VAR}` and `OKRA_ENV`; default `process.env`. `.env` from the root fills the gaps. */
  processEnv?: Record<string, string | undefined>
  /**
   * False for what only reads and writes files (db:diff, models:generate, a production build): the
   * database URL may then be missing (`${DATABASE_URL}` unset) or wrong, and `database.url` is empty.
   * Default true: a command that connects reports such a URL as a config error naming the key.
   */
  needsUrl?: boolean
}
