/**
 * Whether an esbuild plugin runs in a one-shot `build()` or in a `context()` (watch, serve, rebuild).
 * esbuild gives plugins no way to tell (evanw/esbuild#2823), but it calls a plugin's `setup`
 * synchronously from inside `esbuild.build()` or `esbuild.context()`, so the call stack of `setup`
 * names the function the user called. The stack is lost only when an earlier plugin's setup awaited
 * something; then the answer is unknown and the caller decides (the `watch` option settles it).
 */
const ESBUILD_API = /[\\/]esbuild(?:-wasm)?[\\/]lib[\\/]main\.js/
const API_CALL = /\bat (?:[\w$]+\.)?(build|context) \(/

export function esbuildEntryCall(): 'build' | 'context' | undefined {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 100
  const stack = new Error().stack ?? ''
  Error.stackTraceLimit = limit
  for (const frame of stack.split('\n')) {
    if (!ESBUILD_API.test(frame)) continue
    const call = API_CALL.exec(frame)
    if (call) return call[1] as 'build' | 'context'
  }
  return undefined
}
