/**
 * The built `okra` (dist/okra.cjs, made by `npm test` / `npm run build`) run as a whole process, as users
 * run it: its exit code and both outputs, without colours and without an environment picked by the
 * machine running the tests.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const CLI = fileURLToPath(new URL('../../dist/okra.cjs', import.meta.url))

export interface ProcessResult {
  code: number | null
  stdout: string
  stderr: string
}

export interface ProcessOptions {
  cwd: string
  /** Added to the environment (OKRA_ENV and DATABASE_URL are cleared first). */
  env?: Record<string, string | undefined>
  /** Written to stdin (not a terminal). */
  input?: string
}

function environment(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', OKRA_ENV: '' }
  delete env.DATABASE_URL
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key]
    else env[key] = value
  }
  return env
}

function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error('dist/okra.cjs is missing: these tests run the built CLI; build it first (npm run build, or npm test)')
}

/** `okra ...args` to completion. */
export function okraProcess(args: string[], options: ProcessOptions): ProcessResult {
  assertBuilt()
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd, env: environment(options.env), input: options.input ?? '', encoding: 'utf8' })
  if (result.error) throw result.error
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** `okra ...args` without waiting (for a shell pipeline or a process killed half way). */
export function startOkra(args: string[], options: Omit<ProcessOptions, 'input'>) {
  assertBuilt()
  return spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: environment(options.env), stdio: ['ignore', 'pipe', 'pipe'] })
}

/**
 * `okra ...args` to completion without blocking this process: what a test against the embedded PGlite
 * server needs (that server answers from this process's event loop, which spawnSync would stop).
 */
export function okraProcessAsync(args: string[], options: Omit<ProcessOptions, 'input'>): Promise<ProcessResult> {
  const child = startOkra(args, options)
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}
