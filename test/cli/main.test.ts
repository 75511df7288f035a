import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { main, resolveCommandName } from '../../src/cli'
import { packageVersion } from '../../src/version'
import { configJSON, projectDir } from '../config/project-dir'
import { capture, okra } from './capture'

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version

describe('help and version', () => {
  it('--version prints the package version', async () => {
    const cwd = projectDir()
    expect(packageVersion()).toBe(VERSION)
    expect(await okra(['--version'], { cwd })).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' })
    expect((await okra(['-v'], { cwd })).stdout).toBe(`${VERSION}\n`)
  })

  it('--help (and no command) lists the commands with their aliases', async () => {
    const cwd = projectDir()
    for (const argv of [['--help'], ['-h'], []]) {
      const { code, stdout, stderr } = await okra(argv, { cwd })
      expect(code).toBe(0)
      expect(stderr).toBe('')
      expect(stdout).toContain('Usage: okra <command> [options]')
      expect(stdout).toMatch(/^ {2}init, db:init +create okra\.config\.json/m)
      expect(stdout).toMatch(/^ {2}db:validate +parse and validate all schema files$/m)
      expect(stdout).toMatch(/^ {2}models:generate +write the configured type outputs$/m)
      expect(stdout).toMatch(/^ {2}--config FILE +config file/m)
    }
  })

  it('<command> --help shows its usage and the global options', async () => {
    const { code, stdout } = await okra(['db:init', '--help'], { cwd: projectDir() })
    expect(code).toBe(0)
    expect(stdout.split('\n')[0]).toBe('Usage: okra init [options]  (also: db:init)')
    expect(stdout).toContain('Global options:')
    expect(stdout).toMatch(/^ {2}--env NAME +environment from the config/m)
  })
})

describe('bad usage exits 64 with a suggestion', () => {
  it('an unknown command', async () => {
    const { code, stdout, stderr } = await okra(['db:valdate'], { cwd: projectDir() })
    expect(code).toBe(64)
    expect(stdout).toBe('')
    expect(stderr).toBe("error: Unknown command 'db:valdate' (did you mean 'db:validate'?)\nhint: Run `okra --help` to list the commands.\n")
  })

  it('a command called by its last part', async () => {
    expect((await okra(['generate'], { cwd: projectDir() })).stderr).toContain("(did you mean 'models:generate'?)")
  })

  it('an unknown flag, before or after the command', async () => {
    const cwd = projectDir()
    const after = await okra(['db:validate', '--jsn'], { cwd })
    expect(after.code).toBe(64)
    expect(after.stderr.split('\n')[0]).toBe("error: Unknown option '--jsn' (did you mean '--json'?)")
    const before = await okra(['--confg=x.json', 'init'], { cwd })
    expect(before.code).toBe(64)
    expect(before.stderr.split('\n')[0]).toBe("error: Unknown option '--confg' (did you mean '--config'?)")
  })

  it('a global flag before the command takes its value; a flag named like an Object member is unknown', async () => {
    const cwd = projectDir()
    const { code, stdout } = await okra(['--env', 'local', 'init', '--json'], { cwd })
    expect(code).toBe(0)
    expect(JSON.parse(stdout).created).toContain('okra.config.json')
    expect((await okra(['init', '--constructor'], { cwd })).code).toBe(64)
    expect((await okra(['env'], { cwd })).stderr.split('\n')[0]).toBe("error: Unknown command 'env'")
  })

  it('a flag without its value, and an extra argument', async () => {
    const cwd = projectDir()
    expect((await okra(['db:validate', '--env'], { cwd })).stderr.split('\n')[0]).toBe('error: --env needs a value (NAME)')
    const extra = await okra(['init', 'now'], { cwd })
    expect(extra.code).toBe(64)
    expect(extra.stderr.split('\n')[0]).toBe("error: Unexpected argument 'now'")
  })

  it('with --json, the error is one JSON document on stdout', async () => {
    const { code, stdout, stderr } = await okra(['nope', '--json'], { cwd: projectDir() })
    expect(code).toBe(64)
    expect(stderr).toBe('')
    expect(JSON.parse(stdout)).toEqual({
      ok: false,
      error: { name: 'UsageError', message: "Unknown command 'nope'", hint: 'Run `okra --help` to list the commands.' },
    })
  })
})

describe('command names', () => {
  it('follows aliases, and migrate:* answers for any db:migrate:* command', () => {
    expect(resolveCommandName('db:init')).toBe('init')
    expect(resolveCommandName('init')).toBe('init')
    expect(resolveCommandName('migrate:up', ['db:migrate:up', 'db:migrate:down'])).toBe('db:migrate:up')
    expect(resolveCommandName('migrate:status', ['db:migrate:up'])).toBeUndefined()
    expect(resolveCommandName('validate')).toBeUndefined()
  })
})

describe('errors', () => {
  it('a user error is printed once, message and hint, without a stack trace, exit 1', async () => {
    const cwd = projectDir({ 'okra.config.json': configJSON({ database: { provdier: 'sqlite' } }) })
    const { code, stdout, stderr } = await okra(['db:validate'], { cwd })
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toBe(
      [
        'error: Invalid configuration in okra.config.json:',
        "  - database.provdier: unknown key (did you mean 'provider'?)",
        'hint: Fix the keys listed above; every key is in docs/configuration.md.',
        '',
      ].join('\n'),
    )
  })

  it('--json reports a config error with its problems', async () => {
    const cwd = projectDir({ 'okra.config.json': '{ "database": { "url": 5 } }' })
    const { code, stdout } = await okra(['models:generate', '--json'], { cwd })
    expect(code).toBe(1)
    expect(JSON.parse(stdout).error).toMatchObject({
      name: 'ConfigError',
      file: 'okra.config.json',
      problems: [{ path: 'database.url', message: 'expected a string, got 5' }],
    })
  })

  it('no password in any output, text or JSON', async () => {
    const cwd = projectDir({
      'okra.config.json': configJSON({ database: { provider: 'sqlite', url: 'postgres://u:S1@127.0.0.1/db?password=S2&sslpassword=S3' } }),
    })
    for (const argv of [['db:validate'], ['db:validate', '--json'], ['db:sync', '--env', 'local']]) {
      const { code, stdout, stderr } = await okra(argv, { cwd })
      expect(code).toBe(1)
      expect(stdout + stderr).toContain('postgres://u:***@127.0.0.1/db?password=***&sslpassword=***')
      for (const secret of ['S1', 'S2', 'S3']) expect(stdout + stderr).not.toContain(secret)
    }
    // models:generate needs no database URL: it fails on the missing schema file, and shows no secret either.
    const generate = await okra(['models:generate', '--env', 'local'], { cwd })
    expect(generate.code).toBe(1)
    for (const secret of ['S1', 'S2', 'S3']) expect(generate.stdout + generate.stderr).not.toContain(secret)
  })

  it('an unknown environment names the known ones', async () => {
    const cwd = projectDir({ 'okra.config.json': configJSON({ database: { environments: { local: {}, test: {} } } }) })
    const { code, stderr } = await okra(['db:validate', '--env=prod'], { cwd })
    expect(code).toBe(1)
    expect(stderr.split('\n')[0]).toBe('error: Unknown environment "prod" (from --env); known environments: local, test')
  })

  it('--cwd changes the root, relative to the working directory', async () => {
    const outer = projectDir()
    const { code } = await okra(['init', '--cwd', 'app'], { cwd: outer })
    expect(code).toBe(0)
    expect(readFileSync(`${outer}/app/okra.config.json`, 'utf8')).toContain('"provider": "sqlite"')
  })

  it('main() uses the process streams when none are given and never throws', async () => {
    const stdout = capture()
    const code = await main(['--version'], { stdout, stderr: capture(), env: {} })
    expect(code).toBe(0)
    expect(stdout.text).toBe(`${VERSION}\n`)
  })
})
