/**
 * Runners a test file opened: a finished run's index write is lazy (it may still be landing when
 * the test ends), so `settleAll()` waits for those writes before the temp dir is removed.
 */
interface Settles {
  settled(): Promise<void>
}

export function openedRunners(): {track<T extends Settles>(runner: T): T; settleAll(): Promise<void>} {
  const opened: Settles[] = []
  return {
    track(runner) {
      opened.push(runner)
      return runner
    },
    async settleAll() {
      await Promise.all(opened.splice(0).map((runner) => runner.settled()))
    },
  }
}
