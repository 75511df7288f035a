import type { PluginOption, ServerOptions, ViteDevServer } from 'vite'

/** A real Vite dev server on `root` with `plugins`, its log lines in `lines`; not listening until `server.listen()`. */
export function viteDevServer(root: string, plugins: PluginOption[], server?: ServerOptions): Promise<{ server: ViteDevServer; lines: string[] }>
/** With the built OKRA plugin at `vitePlugin`, listening on a free port of 127.0.0.1. */
export function startViteWithOkra(root: string, vitePlugin: string): Promise<{ server: ViteDevServer; lines: string[] }>
