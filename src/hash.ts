/**
 * SHA-256 and random ids, from node:crypto loaded at its first use: loading it costs a command about 3 ms,
 * and the commands that hash nothing (`okra models:generate`, `okra db:validate`, `okra --help`) never do.
 */
import type { Hash } from 'node:crypto'
import { createRequire } from 'node:module'

type Crypto = typeof import('node:crypto')

let loaded: Crypto | undefined

function nodeCrypto(): Crypto {
  loaded ??= createRequire(import.meta.url)('node:crypto') as Crypto
  return loaded
}

/** A SHA-256 hash to feed with `update()`. */
export function sha256Hash(): Hash {
  return nodeCrypto().createHash('sha256')
}

/** The SHA-256 of `data` (a string as UTF-8), in hex. */
export function sha256Hex(data: string | Buffer): string {
  return sha256Hash().update(data).digest('hex')
}

export function randomUUID(): string {
  return nodeCrypto().randomUUID()
}

export function randomBytes(size: number): Buffer {
  return nodeCrypto().randomBytes(size)
}
