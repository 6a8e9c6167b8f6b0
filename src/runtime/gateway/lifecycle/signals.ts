/**
 * The process signals and fatal-error hooks of `gateway run` (operations.md §3.4). This module
 * only routes: what each signal means is decided by the orchestrator's callbacks. The forced
 * exits (a second stop signal: 130/143; an uncaught error: 70) are the only `process.exit`
 * calls of the gateway, after the caller's cleanup (lock release) ran.
 */

export type StopSignal = 'SIGTERM' | 'SIGINT'

export interface SignalRoutes {
  /** SIGTERM / SIGINT: drain and stop (the orchestrator handles a second one with {@link forcedExitCode}). */
  stop(signal: StopSignal): void
  /** SIGHUP: reload the config now with the hybrid rules. */
  reload(): void
  /** SIGUSR1 / SIGUSR2: in-process restart. */
  restart(signal: 'SIGUSR1' | 'SIGUSR2'): void
  /** An uncaught exception or unhandled rejection. */
  fatal(error: unknown, origin: 'uncaughtException' | 'unhandledRejection'): void
}

/** Exit code when a second stop signal arrives during drain: 128 + the signal number. */
export function forcedExitCode(signal: StopSignal): number {
  return signal === 'SIGINT' ? 130 : 143
}

/** Installs the handlers; returns the function that removes them all. */
export function installSignalRoutes(routes: SignalRoutes): () => void {
  const handlers: Array<[string, (arg: unknown) => void]> = [
    ['SIGTERM', () => routes.stop('SIGTERM')],
    ['SIGINT', () => routes.stop('SIGINT')],
    ['uncaughtException', (error: unknown) => routes.fatal(error, 'uncaughtException')],
    ['unhandledRejection', (reason: unknown) => routes.fatal(reason, 'unhandledRejection')],
  ]
  // Windows has no SIGHUP/SIGUSR* semantics worth routing; Node rejects SIGUSR1 there.
  if (process.platform !== 'win32') {
    handlers.push(['SIGHUP', () => routes.reload()], ['SIGUSR1', () => routes.restart('SIGUSR1')], ['SIGUSR2', () => routes.restart('SIGUSR2')])
  }
  for (const [event, handler] of handlers) process.on(event as NodeJS.Signals, handler)
  return () => {
    for (const [event, handler] of handlers) process.removeListener(event as NodeJS.Signals, handler)
  }
}

/** Runs `cleanup` (never throwing past it) and exits at once with `code`. */
export function forceExit(code: number, cleanup: () => void): never {
  try {
    cleanup()
  } catch {
    // The exit must happen whatever the cleanup hit.
  }
  process.exit(code)
}
