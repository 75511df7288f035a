/**
 * A job that runs one at a time, after a quiet period: the shape of every watch loop in OKRA
 * (regenerating types, auto-sync, `db:sync --watch`). Requests during the quiet period restart it; a
 * request while the job runs queues exactly one more run, never two at once and never a pile of them
 * (the graphile-migrate watch habit): however many saves land during a sync, one more sync picks them
 * all up.
 */
export class SerialQueue {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private queued = false
  private closed = false
  /** Resolvers of requests that no started run has covered yet. */
  private waiting: (() => void)[] = []

  constructor(
    /** The job. It reports its own failures; a rejection is swallowed so the loop goes on. */
    private readonly job: () => Promise<void>,
    /** Milliseconds of quiet after the last request before the job starts. */
    private readonly debounceMs = 0,
  ) {}

  /** Asks for a run; resolves when a run that started after this request has finished (or the queue is closed). */
  request(): Promise<void> {
    if (this.closed) return Promise.resolve()
    const done = new Promise<void>((resolve) => this.waiting.push(resolve))
    if (this.debounceMs <= 0) this.trigger()
    else {
      clearTimeout(this.timer)
      this.timer = setTimeout(() => this.trigger(), this.debounceMs)
    }
    return done
  }

  /** Runs now, skipping what is left of the quiet period. */
  flush(): Promise<void> {
    if (this.closed) return Promise.resolve()
    const done = new Promise<void>((resolve) => this.waiting.push(resolve))
    clearTimeout(this.timer)
    this.trigger()
    return done
  }

  /** Resolves when nothing runs and nothing is queued. */
  async idle(): Promise<void> {
    while (this.running) await this.running
  }

  /** Cancels a pending run, lets a running one finish, and answers every waiting request. */
  async close(): Promise<void> {
    this.closed = true
    clearTimeout(this.timer)
    this.queued = false
    await this.idle()
    this.release(this.waiting.splice(0))
  }

  private trigger(): void {
    this.timer = undefined
    if (this.running) this.queued = true
    else this.start()
  }

  private start(): void {
    const covered = this.waiting.splice(0)
    this.running = this.job()
      .catch(() => undefined)
      .then(() => {
        this.running = undefined
        this.release(covered)
        if (this.queued && !this.closed) {
          this.queued = false
          this.start()
        }
      })
  }

  private release(resolvers: (() => void)[]): void {
    for (const resolve of resolvers) resolve()
  }
}
