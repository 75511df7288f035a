/**
 * The one error renderer: the text (schema diagnostics, `error:`, `hint:`), the plugin's structured form
 * and the CLI's JSON; passwords masked on every path; a bug says so. And the CLI, `db:sync --watch` and
 * the plugin, meeting the same error, print the same text.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../src/cli'
import { printSyncResult } from '../src/commands/sync'
import { sync } from '../src/sync/sync'
import { ConfigError, OkraError, SchemaError } from '../src/errors'
import { error, warning } from '../src/language/diagnostics'
import { OkraContext } from '../src/plugin/context'
import { describeProblem, exitCodeOf, problemToJSON, renderProblem } from '../src/problems'
import { watchSync } from '../src/sync/watch'
import { createPaint, createTerminal } from '../src/terminal'
import { capture } from './cli/capture'
import { makeTempDir, writeFiles } from './helpers/tmp'
import { captureLogger, nextEvent, waitFor } from './plugin/project'

const source = { path: 'models/user.okra.gql', text: 'model User {\n  id: ID! @renamed(from: "uid")\n  name: Strin!\n}\n' }
const stale = warning({ source, start: 23, end: 44 }, "Field 'uid' does not exist anywhere", 'Remove the @renamed hint.')
const unknown = error({ source, start: 53, end: 58 }, "Unknown type 'Strin'", "Did you mean 'String'?")
const SECRET_URL = 'postgres://okra:s3cret@db.internal:5432/app?sslpassword=hunter2'

describe('renderProblem', () => {
  it('a schema error: each diagnostic with its caret (errors first), a blank line, then the message', () => {
    expect(renderProblem(new SchemaError([stale, unknown]))).toBe(
      [
        "models/user.okra.gql:3:9: error: Unknown type 'Strin'",
        '  3 |   name: Strin!',
        '    |         ^^^^^',
        "  hint: Did you mean 'String'?",
        '',
        "models/user.okra.gql:2:11: warning: Field 'uid' does not exist anywhere",
        '  2 |   id: ID! @renamed(from: "uid")',
        '    |           ^^^^^^^^^^^^^^^^^^^^^',
        '  hint: Remove the @renamed hint.',
        '',
        'error: Schema has 1 error',
      ].join('\n'),
    )
  })

  it('an OkraError: the message, then the hint; a password in either is masked', () => {
    const failure = new OkraError(`Cannot connect to ${SECRET_URL}`, `Check the password in ${SECRET_URL}`)
    const text = renderProblem(failure)
    expect(text).toBe(
      'error: Cannot connect to postgres://okra:***@db.internal:5432/app?sslpassword=***\n' +
        'hint: Check the password in postgres://okra:***@db.internal:5432/app?sslpassword=***',
    )
    expect(renderProblem(new OkraError('Nothing to hint'))).toBe('error: Nothing to hint')
  })

  it('anything else is a bug in okra; its stack (masked) only with debug', () => {
    const bug = new TypeError(`Cannot read properties of undefined while opening ${SECRET_URL}`)
    const text = renderProblem(bug, { debug: false })
    expect(text).toBe(
      'error: Cannot read properties of undefined while opening postgres://okra:***@db.internal:5432/app?sslpassword=***\n' +
        'this is a bug in okra, please report it',
    )
    const debug = renderProblem(bug, { debug: true })
    expect(debug.startsWith(`${text}\nTypeError: Cannot read properties`)).toBe(true)
    expect(debug).toContain('problems.test.ts')
    expect(debug).not.toContain('s3cret')
    expect(renderProblem('a thrown string', { debug: true })).toBe('error: a thrown string\nthis is a bug in okra, please report it')
  })

  it('paints with the paint it is given', () => {
    const paint = createPaint(true)
    const text = renderProblem(new OkraError('Broken', 'Fix it'), { paint })
    expect(text).toBe(`${paint.red(paint.bold('error'))}: Broken\n${paint.cyan('hint')}: Fix it`)
    expect(renderProblem(new SchemaError([unknown]), { paint })).toContain(paint.red('^^^^^'))
  })
})

describe('describeProblem', () => {
  it("gives the text, and the first error's absolute place and source frame", () => {
    const problem = describeProblem(new SchemaError([stale, unknown]), '/project')
    expect(problem.text).toBe(renderProblem(new SchemaError([stale, unknown])))
    expect(problem.loc).toEqual({ file: '/project/models/user.okra.gql', line: 3, column: 9 })
    expect(problem.frame).toBe('3 |   name: Strin!\n  |         ^')
  })

  it('has no place for an error without one, and never colours', () => {
    const problem = describeProblem(new OkraError(`No connection to ${SECRET_URL}`, 'Start the server.'), '/project')
    expect(problem).toMatchObject({ text: 'error: No connection to postgres://okra:***@db.internal:5432/app?sslpassword=***\nhint: Start the server.' })
    expect(problem.loc).toBeUndefined()
    expect(problem.frame).toBeUndefined()
  })
})

describe('problemToJSON', () => {
  it('names the error, its hint, a config error’s problems and a schema error’s diagnostics; masks every string', () => {
    expect(problemToJSON(new OkraError(`Cannot connect to ${SECRET_URL}`))).toEqual({
      name: 'OkraError',
      message: 'Cannot connect to postgres://okra:***@db.internal:5432/app?sslpassword=***',
      hint: null,
    })
    const config = new ConfigError('okra.config.json', [{ path: 'database.url', message: `bad URL ${SECRET_URL}` }])
    expect(problemToJSON(config)).toMatchObject({
      name: 'ConfigError',
      file: 'okra.config.json',
      problems: [{ path: 'database.url', message: 'bad URL postgres://okra:***@db.internal:5432/app?sslpassword=***' }],
    })
    expect(JSON.stringify(problemToJSON(config))).not.toContain('s3cret')
    expect(problemToJSON(new SchemaError([stale, unknown]))).toMatchObject({
      name: 'SchemaError',
      message: 'Schema has 1 error',
      diagnostics: [
        { severity: 'warning', file: 'models/user.okra.gql', line: 2, column: 11 },
        { severity: 'error', file: 'models/user.okra.gql', line: 3, column: 9, hint: "Did you mean 'String'?" },
      ],
    })
    expect(problemToJSON(new RangeError(`at ${SECRET_URL}`))).toEqual({
      name: 'InternalError',
      message: 'at postgres://okra:***@db.internal:5432/app?sslpassword=***',
      bug: true,
    })
  })

  it('exit codes: an OkraError’s own, 1 for a bug', () => {
    expect(exitCodeOf(new OkraError('x', undefined, 64))).toBe(64)
    expect(exitCodeOf(new Error('x'))).toBe(1)
  })
})

describe('the CLI, db:sync --watch and the plugin', () => {
  it('print one error the same way', async () => {
    const root = makeTempDir()
    writeFiles(root, {
      'okra.config.json': JSON.stringify({ database: { url: 'sqlite://./dev.db', schemas: ['models/*.okra.gql'] } }),
      'models/user.okra.gql': 'model User {\n  id: Int! @id\n  name: Strin!\n}\n',
    })
    const expected = [
      "models/user.okra.gql:3:9: error: Unknown type 'Strin'",
      '  3 |   name: Strin!',
      '    |         ^^^^^',
      "  hint: Did you mean 'String'?",
      '',
      'error: Schema has 1 error',
    ].join('\n')

    const cliErr = capture()
    expect(await main(['db:sync'], { cwd: root, env: {}, stdout: capture(), stderr: cliErr })).toBe(1)
    expect(cliErr.text).toBe(`${expected}\n`)

    const watchErr = capture()
    const terminal = createTerminal({ stdout: capture(), stderr: watchErr, stdinIsTTY: false, env: {} })
    const controller = new AbortController()
    const project = { cwd: root, processEnv: {} }
    const done = watchSync({ project, sync: () => sync(project), print: (r) => printSyncResult(r, terminal), terminal, signal: controller.signal })
    await waitFor('the watch loop to report its first run', () => watchErr.text.includes('Watching the schema'))
    controller.abort()
    expect(await done).toMatchObject({ runs: 1, failures: 1 })
    expect(watchErr.text).toBe(`${expected}\nWatching the schema for changes (Ctrl-C to stop)\n`)

    const logger = captureLogger()
    const ctx = new OkraContext({ root, autoSync: false, dts: false }, { logger, processEnv: {} })
    const problem = nextEvent(ctx, 'problem')
    await ctx.startDev()
    expect((await problem)[0].text).toBe(expected)
    expect((await problem)[0].loc).toEqual({ file: join(root, 'models/user.okra.gql'), line: 3, column: 9 })
    expect(logger.lines).toContain(`[okra] ${expected}`)
    await ctx.close()
  })
})

describe('passwords of every shape in the renderer, JSON and overlay', () => {
  it('a password with a space, @, : or %-encoding never reaches the text, the JSON or the overlay frame', () => {
    for (const password of ['pa ss_SECRET1', 'pa@ss_SECRET2', 'pa:ss_SECRET3', 'pa%23ss_SECRET4']) {
      const failure = new OkraError(`Cannot connect to PostgreSQL at postgres://u:${password}@db.internal:5432/app: refused.`, `Check postgres://u:${password}@db.internal/app`)
      const outputs = [renderProblem(failure), JSON.stringify(problemToJSON(failure)), describeProblem(failure, '/').text]
      for (const text of outputs) {
        expect(text).not.toContain('SECRET')
        expect(text).toContain('postgres://u:***@db.internal')
      }
    }
  })
})
