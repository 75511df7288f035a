/** `okra db:seed`: runs `seeds/*.sql` in name order, each in a transaction (src/migrations/seeds.ts). */
import type { CommandWiring } from './types'
import { configOptions } from '../config/load'
import { SEEDS_DIR, type SeedResult, seed } from '../migrations/seeds'

export const command: CommandWiring<SeedResult> = {
  description: 'Runs seeds/*.sql in name order, each file in its own transaction.',
  flags: {},
  run: (context) => seed(configOptions(context)),
  printText(result, { stdout }) {
    if (result.files.length === 0) {
      stdout.line(`No seed files (${SEEDS_DIR}/*.sql): nothing to run`)
      return
    }
    for (const { file, durationMs } of result.files) stdout.line(`${stdout.paint.cyan('✓')} ${file} (${Math.round(durationMs)} ms)`)
    stdout.line(`Seeded ${result.url} from ${result.files.length} file${result.files.length === 1 ? '' : 's'}`)
  },
  toJSON: (result) => ({ ok: true, url: result.url, files: result.files.map((f) => ({ file: f.file, durationMs: Math.round(f.durationMs * 10) / 10 })) }),
}
