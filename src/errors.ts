/**
 * The error types users see. An OkraError is a user-facing failure: the CLI prints its message once,
 * without a stack trace, and exits with `exitCode`. Anything else that escapes is a bug in OKRA.
 */
import type { Diagnostic } from './language/diagnostics'

export class OkraError extends Error {
  override name = 'OkraError'
  constructor(
    message: string,
    /** What the user can do about it, printed after the message. */
    readonly hint?: string,
    /** Process exit code when this error ends the CLI: 1 failure, 64 bad usage. */
    readonly exitCode: number = 1,
  ) {
    super(message)
  }
}

/** Bad command-line usage (unknown command or flag): exit code 64. */
export class UsageError extends OkraError {
  override name = 'UsageError'
  constructor(message: string, hint?: string) {
    super(message, hint, 64)
  }
}

/** One or more problems in okra.config.json, each named by its key path (`database.migrations.dir`). */
export class ConfigError extends OkraError {
  override name = 'ConfigError'
  constructor(
    readonly file: string,
    readonly problems: { path: string; message: string }[],
  ) {
    super(
      `Invalid configuration in ${file}:\n` + problems.map((p) => `  - ${p.path ? p.path + ': ' : ''}${p.message}`).join('\n'),
      'Fix the keys listed above; every key is in docs/configuration.md.',
    )
  }
}

/** The schema files have errors. Carries every diagnostic (errors and warnings) of every file. */
export class SchemaError extends OkraError {
  override name = 'SchemaError'
  constructor(readonly diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length
    super(`Schema has ${errors} error${errors === 1 ? '' : 's'}`)
  }
}
