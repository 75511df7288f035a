import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load'
import { ConfigError, OkraError } from '../../src/errors'
import { GUIDE_CONFIG, configJSON, projectDir } from './project-dir'

/** The error loadConfig throws (fails the test when it resolves). */
async function loadError(options: Parameters<typeof loadConfig>[0]): Promise<OkraError> {
  const error = await loadConfig(options).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(OkraError)
  return error as OkraError
}

describe('zero configuration', () => {
  it('uses SQLite at ./dev.db, every *.okra.gql, ./migrations and TypeScript only', async () => {
    const root = projectDir()
    const config = await loadConfig({ cwd: root, processEnv: {} })
    expect(config).toEqual({
      root,
      configFile: null,
      env: 'local',
      database: {
        provider: 'sqlite',
        url: `sqlite://${join(root, 'dev.db')}`,
        schemas: ['**/*.okra.gql'],
        migrations: { dir: join(root, 'migrations'), generateSQL: false, autoSync: true, syncDebounce: 500 },
        providers: ['sqlite'],
        timeouts: { lockWaitMs: 10_000, statementTimeoutMs: 0 },
      },
      generate: { typescript: { out: join(root, 'generated/models.ts') } },
    })
  })

  it('prefers ./models.okra.gql when it exists', async () => {
    const root = projectDir({ 'models.okra.gql': 'model A { id: ID! }' })
    const config = await loadConfig({ cwd: root, processEnv: {} })
    expect(config.database.schemas).toEqual(['./models.okra.gql'])
  })

  it('fills what a partial config file leaves out with the same defaults', async () => {
    const root = projectDir({ 'okra.config.json': configJSON({ database: { schemas: ['models/*.okra.gql'] } }) })
    const config = await loadConfig({ cwd: root, processEnv: {} })
    expect(config.configFile).toBe(join(root, 'okra.config.json'))
    expect(config.database.schemas).toEqual(['models/*.okra.gql'])
    expect(config.database.url).toBe(`sqlite://${join(root, 'dev.db')}`)
    expect(config.generate).toEqual({ typescript: { out: join(root, 'generated/models.ts') } })
  })

  it('lockWait and statementTimeout (seconds) bound statement waits; an environment overrides them; they must be whole seconds', async () => {
    const root = projectDir({
      'okra.config.json': configJSON({ database: { lockWait: 3, statementTimeout: 60, environments: { production: { lockWait: 0 } } } }),
    })
    expect((await loadConfig({ cwd: root, processEnv: {} })).database.timeouts).toEqual({ lockWaitMs: 3000, statementTimeoutMs: 60_000 })
    expect((await loadConfig({ cwd: root, env: 'production', processEnv: {} })).database.timeouts).toEqual({ lockWaitMs: 0, statementTimeoutMs: 60_000 })
    const bad = projectDir({ 'okra.config.json': configJSON({ database: { lockWait: -1, statementTimeout: '5' } }) })
    const error = await loadConfig({ cwd: bad, processEnv: {} }).catch((e: Error) => e)
    expect(String(error)).toContain('database.lockWait: expected a whole number of seconds (0 or more), got -1')
    expect(String(error)).toContain('database.statementTimeout: expected a number, got "5"')
  })

  it('an empty generate section generates nothing', async () => {
    const root = projectDir({ 'okra.config.json': configJSON({ generate: {} }) })
    expect((await loadConfig({ cwd: root, processEnv: {} })).generate).toEqual({})
  })
})

describe("the configuration guide's example and its environments", () => {
  const files = { 'okra.config.json': configJSON(GUIDE_CONFIG) }

  it('selects local by default, with paths resolved against the root', async () => {
    const root = projectDir(files)
    const config = await loadConfig({ cwd: root, processEnv: {} })
    expect(config.env).toBe('local')
    expect(config.database).toEqual({
      provider: 'sqlite',
      url: `sqlite://${join(root, 'dev.db')}`,
      schemas: ['./models.okra.gql'],
      migrations: { dir: join(root, 'migrations'), generateSQL: false, autoSync: true, syncDebounce: 500 },
      providers: ['postgres', 'sqlite'],
      timeouts: { lockWaitMs: 10_000, statementTimeoutMs: 0 },
    })
    expect(config.generate).toEqual({
      typescript: { out: join(root, 'src/generated/models.ts') },
      go: { out: join(root, 'gen/models.go'), package: 'models' },
      python: { out: join(root, 'gen/models.py') },
    })
  })

  it('--env overrides the top level with the environment keys', async () => {
    const root = projectDir(files)
    const test = await loadConfig({ cwd: root, env: 'test', processEnv: {} })
    expect(test.env).toBe('test')
    expect(test.database.url).toBe('sqlite://:memory:')
    expect(test.database.migrations.autoSync).toBe(false)

    const production = await loadConfig({ cwd: root, env: 'production', processEnv: { DATABASE_URL: 'postgres://app:pw@db.internal:5432/app' } })
    expect(production.database.provider).toBe('postgres')
    expect(production.database.url).toBe('postgres://app:pw@db.internal:5432/app')
    expect(production.database.migrations).toMatchObject({ generateSQL: true, autoSync: false, syncDebounce: 500 })
  })

  it('autoSync "ask" is accepted at the top level and per environment; an environment overrides it', async () => {
    const root = projectDir({
      'okra.config.json': JSON.stringify({
        database: {
          migrations: { development: { autoSync: 'ask' } },
          environments: { local: {}, shared: { autoSync: true }, careful: { autoSync: 'ask' } },
        },
      }),
    })
    expect((await loadConfig({ cwd: root, processEnv: {} })).database.migrations.autoSync).toBe('ask')
    expect((await loadConfig({ cwd: root, env: 'shared', processEnv: {} })).database.migrations.autoSync).toBe(true)
    expect((await loadConfig({ cwd: root, env: 'careful', processEnv: {} })).database.migrations.autoSync).toBe('ask')
  })

  it('OKRA_ENV selects the environment when --env is not given, and --env wins over it', async () => {
    const root = projectDir(files)
    expect((await loadConfig({ cwd: root, processEnv: { OKRA_ENV: 'test' } })).env).toBe('test')
    expect((await loadConfig({ cwd: root, env: 'local', processEnv: { OKRA_ENV: 'test' } })).env).toBe('local')
  })

  it('OKRA_ENV may come from .env', async () => {
    const root = projectDir({ ...files, '.env': 'OKRA_ENV=test\n' })
    expect((await loadConfig({ cwd: root, processEnv: {} })).database.url).toBe('sqlite://:memory:')
  })

  it('an unknown environment is an error listing the known ones', async () => {
    const root = projectDir(files)
    const error = await loadError({ cwd: root, env: 'staging', processEnv: {} })
    expect(error).not.toBeInstanceOf(ConfigError)
    expect(error.message).toBe('Unknown environment "staging" (from --env); known environments: local, production, test')
    expect(error.hint).toContain('database.environments.staging')
    const fromVariable = await loadError({ cwd: root, processEnv: { OKRA_ENV: 'qa' } })
    expect(fromVariable.message).toContain('"qa" (from OKRA_ENV)')
  })

  it('the default local needs no definition: the top level applies; a named local must exist', async () => {
    const root = projectDir({ 'okra.config.json': configJSON({ database: { environments: { test: { url: 'sqlite://:memory:' } } } }) })
    const config = await loadConfig({ cwd: root, processEnv: {} })
    expect(config.env).toBe('local')
    expect(config.database.url).toMatch(/dev\.db$/)
    const error = await loadError({ cwd: root, env: 'local', processEnv: {} })
    expect(error.message).toBe('Unknown environment "local" (from --env); known environments: test')
  })

  it('an environment with no config file is an error, except local', async () => {
    const root = projectDir()
    expect((await loadConfig({ cwd: root, env: 'local', processEnv: {} })).env).toBe('local')
    const error = await loadError({ cwd: root, env: 'test', processEnv: {} })
    expect(error.message).toBe('Unknown environment "test" (from --env): no environments are defined')
  })

  it('lists every provider used by the top level and any environment, sorted', async () => {
    const root = projectDir({
      'okra.config.json': configJSON({
        database: {
          url: 'postgres://localhost/app',
          environments: { local: {}, ci: { url: 'sqlite://:memory:' } },
        },
      }),
    })
    const config = await loadConfig({ cwd: root, processEnv: {} })
    expect(config.database.provider).toBe('postgres')
    expect(config.database.providers).toEqual(['postgres', 'sqlite'])
  })
})

describe('${VAR} and .env', () => {
  it('reads variables from .env, never overriding the process environment', async () => {
    const root = projectDir({
      'okra.config.json': configJSON({ database: { provider: 'postgres', url: 'postgres://${DB_USER}@${DB_HOST}/app' }, generate: { typescript: { out: '${OUT_DIR}/models.ts' } } }),
      '.env': '# local settings\nexport DB_USER="alice"\nDB_HOST=from-dotenv # a comment\nOUT_DIR=\'types\'\n',
    })
    const config = await loadConfig({ cwd: root, processEnv: { DB_HOST: 'from-process' } })
    expect(config.database.url).toBe('postgres://alice@from-process/app')
    expect(config.generate.typescript?.out).toBe(join(root, 'types/models.ts'))
  })

  it('a missing variable is an error naming it and the key path', async () => {
    const root = projectDir({ 'okra.config.json': configJSON(GUIDE_CONFIG) })
    const error = await loadError({ cwd: root, env: 'production', processEnv: {} })
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toContain('database.environments.production.url: environment variable DATABASE_URL is not set')
  })

  it('variables of environments not selected are not needed', async () => {
    const root = projectDir({ 'okra.config.json': configJSON(GUIDE_CONFIG) })
    await expect(loadConfig({ cwd: root, env: 'local', processEnv: {} })).resolves.toMatchObject({ env: 'local' })
  })

  it('a malformed .env line is an error with its line number', async () => {
    const root = projectDir({ '.env': 'A=1\nthis is not a variable\n' })
    const error = await loadError({ cwd: root, processEnv: {} })
    expect(error.message).toBe('.env:2: expected KEY=VALUE, got "this is not a variable"')
  })
})

describe('validation', () => {
  it('collects every problem into one ConfigError, each with its key path', async () => {
    const root = projectDir({
      'okra.config.json': configJSON({
        database: {
          provdier: 'sqlite',
          provider: 'mysql',
          schemas: 'models.okra.gql',
          migrations: { dir: 3, development: { syncDebounce: 'fast', autoSync: 'yes' } },
          environments: { local: { url: 42, extra: true } },
        },
        generate: { go: { package: 'models' }, rust: { out: 'x.rs' } },
        generator: {},
      }),
    })
    const error = await loadError({ cwd: root, processEnv: {} })
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      `database.provdier: unknown key (did you mean 'provider'?)`,
      'database.provider: unknown provider "mysql" (expected "sqlite" or "postgres")',
      'database.schemas: expected an array of strings, got "models.okra.gql"',
      'database.migrations.dir: expected a string, got 3',
      'database.migrations.development.syncDebounce: expected a number, got "fast"',
      'database.migrations.development.autoSync: expected true, false or "ask", got "yes"',
      'database.environments.local.url: expected a string, got 42',
      'database.environments.local.extra: unknown key',
      'generate.go.out: missing (required)',
      `generate.rust: unknown key`,
      `generator: unknown key (did you mean 'generate'?)`,
    ])
    expect(error.message.split('\n')[0]).toBe('Invalid configuration in okra.config.json:')
    expect(error.message).toContain(`\n  - database.provdier: unknown key (did you mean 'provider'?)\n`)
  })

  it('keys that are names of Object members are unknown keys too', async () => {
    const root = projectDir({ 'okra.config.json': '{ "constructor": 1, "__proto__": { "database": {} }, "database": { "toString": "x" } }' })
    const error = (await loadError({ cwd: root, processEnv: {} })) as ConfigError
    expect(error.problems.map((p) => p.path)).toEqual(['constructor', '__proto__', 'database.toString'])
  })

  it('reports the key paths of problems found after the shape check in the same error', async () => {
    const root = projectDir({
      'okra.config.json': configJSON({ database: { provider: 'postgres', url: '${NOPE}', migrations: { dir: 7 } } }),
    })
    const error = (await loadError({ cwd: root, processEnv: {} })) as ConfigError
    expect(error.problems.map((p) => p.path)).toEqual(['database.migrations.dir', 'database.url'])
  })

  it('rejects a syncDebounce that is not a whole number of milliseconds', async () => {
    const root = projectDir({ 'okra.config.json': configJSON({ database: { environments: { local: { syncDebounce: -5 } } } }) })
    const error = await loadError({ cwd: root, processEnv: {} })
    expect(error.message).toContain('database.environments.local.syncDebounce: expected a whole number of milliseconds (0 or more), got -5')
  })

  it('reports invalid JSON with line and column', async () => {
    const root = projectDir({ 'okra.config.json': '{\n  "database": {\n    "provider": "sqlite"\n    "url": "sqlite://./dev.db"\n  }\n}\n' })
    const error = await loadError({ cwd: root, processEnv: {} })
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toContain(`okra.config.json:4:5: invalid JSON: expected ',' or '}', got '"'`)
  })

  it('an invalid Go package name and two outputs in one file are errors', async () => {
    const root = projectDir({
      'okra.config.json': configJSON({ generate: { typescript: { out: 'gen/x' }, go: { out: './gen/x', package: 'My-Models' } } }),
    })
    const error = (await loadError({ cwd: root, processEnv: {} })) as ConfigError
    expect(error.problems).toEqual([
      { path: 'generate.go.out', message: 'same file as generate.typescript.out' },
      { path: 'generate.go.package', message: '"My-Models" is not a Go package name (lower case letters, digits, _)' },
    ])
  })

  it('the Go package defaults to the output directory name', async () => {
    const root = projectDir({ 'okra.config.json': configJSON({ generate: { go: { out: './internal/store/models.go' } } }) })
    expect((await loadConfig({ cwd: root, processEnv: {} })).generate.go).toEqual({ out: join(root, 'internal/store/models.go'), package: 'store' })
  })
})

describe('database URLs', () => {
  const withDatabase = (database: object) => ({ 'okra.config.json': configJSON({ database }) })

  it('file: and sqlite: paths are relative to the root, :memory: stays', async () => {
    for (const [url, expected] of [
      ['file:data/app.db', 'data/app.db'],
      ['sqlite://./db/dev.sqlite', 'db/dev.sqlite'],
    ]) {
      const root = projectDir(withDatabase({ url }))
      expect((await loadConfig({ cwd: root, processEnv: {} })).database.url).toBe(`sqlite://${join(root, expected)}`)
    }
    const root = projectDir(withDatabase({ url: 'sqlite://:memory:' }))
    expect((await loadConfig({ cwd: root, processEnv: {} })).database.url).toBe('sqlite://:memory:')
  })

  it('postgresql:// is a postgres URL', async () => {
    const root = projectDir(withDatabase({ provider: 'postgres', url: 'postgresql://localhost/app' }))
    expect((await loadConfig({ cwd: root, processEnv: {} })).database.provider).toBe('postgres')
  })

  it('the URL must fit the provider', async () => {
    const root = projectDir(withDatabase({ provider: 'postgres', url: 'sqlite://./dev.db' }))
    const error = await loadError({ cwd: root, processEnv: {} })
    expect(error.message).toContain('database.url: a sqlite URL ("sqlite://./dev.db") does not fit provider "postgres" (database.provider)')
  })

  it('an environment without a provider takes the one its URL names', async () => {
    const root = projectDir(withDatabase({ provider: 'sqlite', environments: { production: { url: '${DATABASE_URL}' } } }))
    const config = await loadConfig({ cwd: root, env: 'production', processEnv: { DATABASE_URL: 'postgres://h/db' } })
    expect(config.database.provider).toBe('postgres')
    expect(config.database.providers).toEqual(['postgres', 'sqlite'])
  })

  it("an environment's URL from a variable must fit the environment's provider", async () => {
    const root = projectDir(withDatabase({ environments: { production: { provider: 'sqlite', url: '${DATABASE_URL}' } } }))
    const error = await loadError({ cwd: root, env: 'production', processEnv: { DATABASE_URL: 'postgres://u:S1@h/db' } })
    expect(error.message).toContain(
      'database.environments.production.url: a postgres URL ("postgres://u:***@h/db") does not fit provider "sqlite" (database.environments.production.provider)',
    )
    expect(error.message).not.toContain('S1')
  })

  it('an unknown scheme is an error', async () => {
    const root = projectDir(withDatabase({ url: 'mysql://localhost/app' }))
    const error = await loadError({ cwd: root, processEnv: {} })
    expect(error.message).toContain('database.url: unsupported database URL "mysql://localhost/app" (expected sqlite://, file: or postgres://)')
  })

  it('postgres without a URL is an error', async () => {
    const root = projectDir(withDatabase({ provider: 'postgres' }))
    const error = await loadError({ cwd: root, processEnv: {} })
    expect(error.message).toContain('database.url: required when the provider is "postgres"')
  })

  it('never shows a password in an error', async () => {
    const url = 'postgres://u:S1@127.0.0.1/db?password=S2&sslpassword=S3'
    const root = projectDir(withDatabase({ provider: 'sqlite', url }))
    const error = await loadError({ cwd: root, processEnv: {} })
    expect(error.message).toContain('postgres://u:***@127.0.0.1/db?password=***&sslpassword=***')
    for (const secret of ['S1', 'S2', 'S3']) expect(error.message).not.toContain(secret)
  })
})

describe('the config file and the root', () => {
  it('--config names another file, relative to the root', async () => {
    const root = projectDir({ 'config/okra.prod.json': configJSON({ database: { url: 'sqlite://:memory:' } }) })
    const config = await loadConfig({ cwd: root, configFile: 'config/okra.prod.json', processEnv: {} })
    expect(config.configFile).toBe(join(root, 'config/okra.prod.json'))
    expect(config.database.url).toBe('sqlite://:memory:')
  })

  it('a missing --config file or root is an error', async () => {
    const root = projectDir()
    expect((await loadError({ cwd: root, configFile: 'nope.json', processEnv: {} })).message).toBe('Config file not found: nope.json')
    expect((await loadError({ cwd: join(root, 'missing'), processEnv: {} })).message).toBe(`Project directory not found: ${join(root, 'missing')}`)
  })
})
