/**
 * What a reload does (config.md §8), as a pure decision: which changed paths are applied live,
 * whether the listener is rebuilt in process, and what is only logged. The running gateway keeps
 * two baselines: the snapshot handlers read (`applied`) and the config the listener was built
 * from (`listener`), so a restart-class change held back by mode `hot` is still restarted by a
 * later SIGHUP, and one reverted by hand needs no restart at all.
 */
import {classifyConfigChange} from '../../config/edit/reload-class.js'

export type ReloadMode = 'hybrid' | 'hot' | 'restart' | 'off'

/** Who asked: the file watcher, SIGHUP, or a `config.apply`/`config.patch` RPC. */
export type ReloadTrigger = 'watch' | 'signal' | 'rpc'

export interface ReloadPlanInput {
  /** Paths that differ between the running snapshot and the new config. */
  appliedDiff: readonly string[]
  /** Paths that differ between the config the listener was built from and the new config. */
  listenerDiff: readonly string[]
  /** `gateway.reload.mode` of the running config. */
  mode: ReloadMode
  trigger: ReloadTrigger
}

export interface ReloadPlan {
  /** Swap the snapshot and apply the hot side effects (logger, env, watcher). */
  apply: boolean
  /** Hot-class paths applied live (for the `config reloaded` line). */
  hot: string[]
  /** Restart-class paths the in-process restart applies. */
  restart: string[]
  /** Rebuild the listener in process (clients get 1012; PID and lock stay). */
  inProcessRestart: boolean
  /** Mode `hot`: restart-class paths only logged as needing a restart (SIGUSR1). */
  restartNeeded: string[]
}

/**
 * The mode a trigger runs under: SIGHUP always uses `hybrid` (the operator asked explicitly);
 * RPC writes apply at once like `hybrid` unless the operator turned reloads `off`; the watcher
 * follows the configured mode.
 */
export function effectiveMode(mode: ReloadMode, trigger: ReloadTrigger): ReloadMode {
  if (trigger === 'signal') return 'hybrid'
  if (trigger === 'rpc') return mode === 'off' ? 'off' : 'hybrid'
  return mode
}

/** Decides one reload; see the module comment for the two baselines. */
export function planReload(input: ReloadPlanInput): ReloadPlan {
  const mode = effectiveMode(input.mode, input.trigger)
  const applied = classifyConfigChange(input.appliedDiff)
  const listener = classifyConfigChange(input.listenerDiff)
  const none: ReloadPlan = {apply: false, hot: [], restart: [], inProcessRestart: false, restartNeeded: []}
  if (mode === 'off' || input.appliedDiff.length + input.listenerDiff.length === 0) return none
  const plan: ReloadPlan = {...none, apply: input.appliedDiff.length > 0, hot: applied.hot}
  if (mode === 'hot') {
    plan.restartNeeded = applied.restart
    return plan
  }
  if (mode === 'restart') {
    // Everything is applied by the restart, so every changed path is reported under restart.
    const all = unique([...listener.restart, ...applied.restart, ...applied.hot])
    return all.length === 0 ? plan : {...plan, hot: [], inProcessRestart: true, restart: all}
  }
  return {...plan, inProcessRestart: listener.restart.length > 0, restart: listener.restart}
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)].sort()
}
