/**
 * Work whose outcome a command does not report, such as writing a cache: done at once in a process of its
 * own; OKRA's daemon does it once the program has the command's answer, before it runs the next command.
 */
let deferred: (() => void)[] | undefined

export function afterCommand(task: () => void): void {
  if (deferred) deferred.push(task)
  else task()
}

/** Runs `work`, keeping the tasks it defers; `runDeferred` then runs them. For the daemon only. */
export async function deferringTasks<T>(work: () => Promise<T>): Promise<{ result: T; runDeferred(): void }> {
  const tasks: (() => void)[] = []
  deferred = tasks
  try {
    return { result: await work(), runDeferred: () => tasks.forEach((task) => task()) }
  } finally {
    deferred = undefined
  }
}
