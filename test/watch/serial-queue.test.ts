/** The watch loop's queue: quiet period, one run at a time, and exactly one more run for changes during a run. */
import { describe, expect, it } from 'vitest'
import { SerialQueue } from '../../src/watch/serial-queue'

/** A job that records when runs start and finish, and waits until the test lets each run finish. */
function controlledJob() {
  const events: string[] = []
  const releases: (() => void)[] = []
  let runs = 0
  const job = async () => {
    const run = ++runs
    events.push(`start ${run}`)
    await new Promise<void>((resolve) => releases.push(resolve))
    events.push(`end ${run}`)
  }
  const finishRun = async () => {
    while (releases.length === 0) await new Promise((resolve) => setTimeout(resolve, 1))
    releases.shift()!()
  }
  return { job, events, finishRun, runs: () => runs }
}

describe('SerialQueue', () => {
  it('never runs twice at once, and requests during a run queue exactly one more run', async () => {
    const { job, events, finishRun, runs } = controlledJob()
    const queue = new SerialQueue(job)
    const first = queue.request()
    expect(runs()).toBe(1)
    const during = [queue.request(), queue.request(), queue.request(), queue.request()]
    expect(runs()).toBe(1)
    await finishRun()
    await first
    expect(runs()).toBe(2)
    await finishRun()
    await Promise.all(during)
    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2'])
    await queue.close()
  })

  it('waits for the quiet period: a burst of requests makes one run after the last one', async () => {
    let runs = 0
    const queue = new SerialQueue(async () => void runs++, 40)
    const requests = [queue.request()]
    await new Promise((resolve) => setTimeout(resolve, 20))
    requests.push(queue.request())
    await new Promise((resolve) => setTimeout(resolve, 20))
    requests.push(queue.request())
    expect(runs).toBe(0)
    await Promise.all(requests)
    expect(runs).toBe(1)
  })

  it('flush() skips the quiet period', async () => {
    let runs = 0
    const queue = new SerialQueue(async () => void runs++, 10_000)
    void queue.request()
    const started = Date.now()
    await queue.flush()
    expect(runs).toBe(1)
    expect(Date.now() - started).toBeLessThan(1000)
    await queue.close()
  })

  it('goes on after a failing run', async () => {
    let runs = 0
    const queue = new SerialQueue(async () => {
      runs++
      if (runs === 1) throw new Error('boom')
    })
    await queue.request()
    await queue.request()
    expect(runs).toBe(2)
  })

  it('close() cancels the pending run and answers every waiting request', async () => {
    let runs = 0
    const queue = new SerialQueue(async () => void runs++, 10_000)
    const pending = queue.request()
    await queue.close()
    await pending
    expect(runs).toBe(0)
    await queue.request()
    expect(runs).toBe(0)
  })
})
