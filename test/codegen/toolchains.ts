/**
 * Generates every target for many schemas into one temp directory and runs the real toolchains over
 * them once each (tsc, go vet, gofmt, pyright, python3, graphql-js): one process per tool keeps the
 * suite fast enough for CI.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateGo } from '../../src/codegen/go'
import { generateGraphQL } from '../../src/codegen/graphql'
import { generatePython } from '../../src/codegen/python'
import { generateTypeScript } from '../../src/codegen/typescript'
import type { Schema } from '../../src/schema/types'

export interface Target {
  /** A lower-case identifier, unique among targets: the TS/Python module and Go package name. */
  id: string
  schema: Schema
  sources: string[]
}

export interface Run {
  code: number | null
  /** The command line, stdout and stderr, for the failure message. */
  output: string
}

const projectRoot = join(import.meta.dirname, '..', '..')
const bin = (name: string) => join(projectRoot, 'node_modules', '.bin', name)

export function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Run {
  const result = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 })
  const output = [`$ ${command} ${args.join(' ')}`, result.error?.message ?? '', result.stdout, result.stderr].filter(Boolean).join('\n')
  return { code: result.status, output }
}

/** Writes ts/<id>.ts, go/<id>/models.go, py/<id>.py and graphql/<id>.graphql, with the project files each tool needs. */
export function writeTargets(root: string, targets: Target[]): void {
  for (const dir of ['ts', 'go', 'py', 'graphql']) mkdirSync(join(root, dir), { recursive: true })
  writeFileSync(
    join(root, 'ts', 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        isolatedModules: true,
        verbatimModuleSyntax: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        noUnusedLocals: true,
        skipLibCheck: true,
        types: [],
      },
      include: ['*.ts'],
    }),
  )
  writeFileSync(join(root, 'go', 'go.mod'), 'module okra.test/generated\n\ngo 1.19\n')
  writeFileSync(join(root, 'py', 'pyrightconfig.json'), JSON.stringify({ typeCheckingMode: 'strict', pythonVersion: '3.9' }))
  for (const { id, schema, sources } of targets) {
    writeFileSync(join(root, 'ts', `${id}.ts`), generateTypeScript(schema, { sources }))
    mkdirSync(join(root, 'go', id))
    writeFileSync(join(root, 'go', id, 'models.go'), generateGo(schema, { sources, package: id }))
    writeFileSync(join(root, 'py', `${id}.py`), generatePython(schema, { sources }))
    writeFileSync(join(root, 'graphql', `${id}.graphql`), generateGraphQL(schema, { sources }))
  }
}

export function runTsc(root: string): Run {
  return run(bin('tsc'), ['-p', join(root, 'ts')], root)
}

/** go vet with only the standard library: offline, caches inside the temp dir, no cgo. */
export function runGoVet(root: string): Run {
  return run('go', ['vet', './...'], join(root, 'go'), {
    GOFLAGS: '-mod=mod',
    GOPROXY: 'off',
    GOWORK: 'off',
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '0',
    GOCACHE: join(root, 'gocache'),
    GOPATH: join(root, 'gopath'),
  })
}

/** `gofmt -l` lists the files gofmt would change; `-d` shows how, for the failure message. */
export function runGofmt(root: string): Run & { unformatted: string } {
  const list = run('gofmt', ['-l', '.'], join(root, 'go'))
  const diff = run('gofmt', ['-d', '.'], join(root, 'go'))
  return { code: list.code, unformatted: list.code === 0 ? list.output.split('\n').slice(1).join('\n').trim() : list.output, output: diff.output }
}

export function runPyright(root: string): Run {
  return run(bin('pyright'), ['-p', join(root, 'py', 'pyrightconfig.json')], join(root, 'py'))
}

/** Imports every module and resolves every class's annotations, as dataclass-aware libraries do at runtime. */
export function runPythonImports(root: string, ids: string[]): Run {
  const script = [
    'import importlib, sys, typing',
    'for name in sys.argv[1:]:',
    '    module = importlib.import_module(name)',
    '    for value in list(vars(module).values()):',
    '        if isinstance(value, type) and value.__module__ == name:',
    '            typing.get_type_hints(value)',
    'print("imported", len(sys.argv) - 1)',
  ].join('\n')
  return run('python3', ['-c', script, ...ids], join(root, 'py'), { PYTHONDONTWRITEBYTECODE: '1' })
}
