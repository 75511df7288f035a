/**
 * The panel's state as the page receives it: the source's snapshot with the schema turned into diagram
 * data, numbered, every string masked. The diagram is made once per schema (the source hands back the
 * same Schema object until the schema changes), the JSON once per change.
 */
import { maskUrl } from '../config/url'
import { schemaHash } from '../schema/canonical'
import type { Schema } from '../schema/types'
import { type DiagramData, buildDiagram } from './diagram'
import type { Language, ModelDetails, PanelState } from './protocol'
import { modelSnippets } from './snippets'
import type { PanelSnapshot, PanelSource, PanelTable } from './source'

interface SchemaFacts {
  hash: string
  diagram: DiagramData
  snippets: Map<string, Map<string, string>>
}

export class PanelStateStore {
  private version = 0
  private cached: { version: number; json: string } | undefined
  private readonly facts = new WeakMap<Schema, SchemaFacts>()

  constructor(
    private readonly source: PanelSource,
    readonly instance: string,
  ) {}

  /** `<instance>:<version>`: what a page holding the current state says it has. */
  get stamp(): string {
    return `${this.instance}:${this.version}`
  }

  /** A change was announced: the next state gets a new version. */
  changed(): void {
    this.version++
  }

  /** The current state as JSON (made at most once per version). */
  json(): string {
    if (this.cached?.version !== this.version) this.cached = { version: this.version, json: JSON.stringify(this.state()) }
    return this.cached.json
  }

  state(): PanelState {
    const snapshot: PanelSnapshot = this.source.current()
    const facts = snapshot.schema ? this.factsOf(snapshot.schema) : undefined
    return {
      instance: this.instance,
      version: this.version,
      schemaHash: facts?.hash ?? null,
      diagram: facts?.diagram ?? null,
      ...masked({ problem: snapshot.problem, project: snapshot.project, pending: snapshot.pending, syncLog: snapshot.syncLog, consents: snapshot.consents }),
    }
  }

  /** The model's code and table, or null when the last valid schema has no such model. */
  async details(name: string): Promise<ModelDetails | null> {
    const snapshot = this.source.current()
    const schema = snapshot.schema
    if (!schema || !schema.models.some((m) => m.name === name)) return null
    const facts = this.factsOf(schema)
    const languages: Language[] = ['typescript', ...(snapshot.project.generate.go ? (['go'] as const) : []), ...(snapshot.project.generate.python ? (['python'] as const) : [])]
    const code: ModelDetails['code'] = {}
    for (const language of languages) {
      const key = language === 'go' ? `go:${snapshot.project.generate.go?.package ?? ''}` : language
      let snippets = facts.snippets.get(key)
      if (!snippets) {
        snippets = modelSnippets(schema, language, { goPackage: snapshot.project.generate.go?.package })
        facts.snippets.set(key, snippets)
      }
      const snippet = snippets.get(name)
      if (snippet !== undefined) code[language] = snippet
    }
    const table: PanelTable = this.source.table
      ? await this.source.table(name).catch((error: unknown) => ({ unavailable: error instanceof Error ? error.message : String(error) }))
      : { unavailable: 'The database is not read here.' }
    return masked({ name, code, table })
  }

  private factsOf(schema: Schema): SchemaFacts {
    let facts = this.facts.get(schema)
    if (!facts) {
      facts = { hash: schemaHash(schema), diagram: masked(buildDiagram(schema)), snippets: new Map() }
      this.facts.set(schema, facts)
    }
    return facts
  }
}

/** A copy with every string passed through maskUrl: nothing the page gets can hold a password. */
function masked<T>(value: T): T {
  if (typeof value === 'string') return maskUrl(value) as T
  if (Array.isArray(value)) return value.map(masked) as T
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) out[key] = masked(item)
    return out as T
  }
  return value
}
