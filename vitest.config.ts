import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two cores: keep the pool modest; real compilers and databases run inside tests.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The okra processes tests start never use an OKRA daemon (test/daemon starts its own, in a folder of its own).
    env: { OKRA_DAEMON: '0' },
  },
})
