import type { Source } from '../../src/language/source'

export interface SyntheticOptions {
  /** Same seed, same schema. Default 42. */
  seed?: number
  /** Default 100. */
  modelsPerFile?: number
  /** Directory of the source paths. Default `bench/synthetic`. */
  dir?: string
}

export function syntheticSources(n: number, options?: SyntheticOptions): Source[]
export function syntheticSchema(n: number, options?: Omit<SyntheticOptions, 'modelsPerFile'>): string
/** mulberry32: numbers in [0, 1), the same sequence for the same seed. */
export function prng(seed: number): () => number
/** Writes `sources` (as syntheticSources gives them) into a project folder, creating their directories. */
export function writeSources(root: string, sources: readonly Source[]): void
