/**
 * Database URLs as every dialect treats them: an unknown scheme is refused, secrets are scrubbed from any
 * text, and `maskUrl` is the only form a URL is printed in. Each dialect parses its own URLs (`target`).
 */
import { maskUrl } from '../config/url'
import { OkraError } from '../errors'

export { maskUrl }

export function unsupportedUrl(url: string): OkraError {
  return new OkraError(
    `Unsupported database URL: ${maskUrl(url)}`,
    'Use sqlite://./dev.db, sqlite://:memory:, file:./dev.db, or postgres://user:password@host:5432/db.',
  )
}

/** Replaces every secret in `text` by `***`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('***')
  return out
}
