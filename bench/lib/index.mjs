/** Shared helpers for every bench/*.bench.mjs. */
export { median, timed, timedAsync, sample, growth } from './stats.mjs'
export { ms, us, mb, bytes, count, target } from './format.mjs'
export { printTable } from './table.mjs'
export { childTask, runInChild } from './child.mjs'
export { projectRoot, distDir, distFile, loadBuilt } from './dist.mjs'
export { syntheticSources, syntheticSchema } from './synthetic.mjs'
export { spawnTimes } from './spawn.mjs'
export { runProcess, alternate, pairedRatio, measuresCpu } from './process.mjs'
