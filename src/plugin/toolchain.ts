/**
 * The plugin's heavy half, loaded on first use (context.ts): the compiler and the generators. Kept out
 * of the plugin's entry so that importing the plugin stays cheap, and a build answered from the build
 * cache (build-cache.ts) never loads it.
 */
export { compileSchema } from '../schema/compile'
export { renderOutputs } from '../project/outputs'
export { generateVirtualDeclaration, generateVirtualModule } from '../codegen/virtual'
