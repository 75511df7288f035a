/** Standard output and error for a command whose reader may stop reading. */
import type { WritableLike } from './terminal'

/**
 * The stream, writing nothing once its reader has gone (`okra migrate:up --dry-run | head`): EPIPE is
 * not an error of the command, so it neither crashes with a stack trace nor stops the command half-way
 * (a migration must not end at whatever point the reader stopped reading).
 */
export function quietWhenClosed(stream: NodeJS.WriteStream): WritableLike {
  let closed = false
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    closed = true
  })
  return {
    get isTTY() {
      return stream.isTTY
    },
    write: (chunk: string) => closed || stream.write(chunk),
  }
}
