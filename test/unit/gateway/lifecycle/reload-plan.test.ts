import {describe, expect, it} from 'vitest'

import {effectiveMode, planReload, type ReloadMode, type ReloadTrigger} from '../../../../src/runtime/gateway/lifecycle/reload-plan.js'

const HOT = ['agents.defaults.model']
const RESTART = ['gateway.port']
const NONE = ['meta.lastTouchedAt']

describe('effectiveMode', () => {
  it.each<[ReloadMode, ReloadTrigger, ReloadMode]>([
    ['hybrid', 'watch', 'hybrid'],
    ['hot', 'watch', 'hot'],
    ['restart', 'watch', 'restart'],
    ['off', 'watch', 'off'],
    ['off', 'signal', 'hybrid'],
    ['hot', 'signal', 'hybrid'],
    ['restart', 'signal', 'hybrid'],
    ['hot', 'rpc', 'hybrid'],
    ['restart', 'rpc', 'hybrid'],
    ['off', 'rpc', 'off'],
  ])('%s + %s → %s', (mode, trigger, expected) => {
    expect(effectiveMode(mode, trigger)).toBe(expected)
  })
})

describe('planReload', () => {
  it.each([
    {name: 'hybrid: hot change applied live', mode: 'hybrid', trigger: 'watch', applied: HOT, listener: HOT,
      plan: {apply: true, hot: HOT, restart: [], inProcessRestart: false, restartNeeded: []}},
    {name: 'hybrid: restart-class change restarts in process', mode: 'hybrid', trigger: 'watch', applied: [...HOT, ...RESTART], listener: [...HOT, ...RESTART],
      plan: {apply: true, hot: HOT, restart: RESTART, inProcessRestart: true, restartNeeded: []}},
    {name: 'hybrid: gateway.reload is hot, gateway.remote needs nothing', mode: 'hybrid', trigger: 'watch', applied: ['gateway.reload.debounceMs', 'gateway.remote.url'], listener: ['gateway.reload.debounceMs', 'gateway.remote.url'],
      plan: {apply: true, hot: ['gateway.reload.debounceMs'], restart: [], inProcessRestart: false, restartNeeded: []}},
    {name: 'hybrid: an unknown path counts as restart', mode: 'hybrid', trigger: 'watch', applied: ['whatever.key'], listener: ['whatever.key'],
      plan: {apply: true, hot: [], restart: ['whatever.key'], inProcessRestart: true, restartNeeded: []}},
    {name: 'hot: restart-class change only logged', mode: 'hot', trigger: 'watch', applied: [...HOT, ...RESTART], listener: [...HOT, ...RESTART],
      plan: {apply: true, hot: HOT, restart: [], inProcessRestart: false, restartNeeded: RESTART}},
    {name: 'restart: a hot change restarts too', mode: 'restart', trigger: 'watch', applied: HOT, listener: HOT,
      plan: {apply: true, hot: [], restart: HOT, inProcessRestart: true, restartNeeded: []}},
    {name: 'restart: a none-class change does not restart', mode: 'restart', trigger: 'watch', applied: NONE, listener: NONE,
      plan: {apply: true, hot: [], restart: [], inProcessRestart: false, restartNeeded: []}},
    {name: 'off: the watcher applies nothing', mode: 'off', trigger: 'watch', applied: [...HOT, ...RESTART], listener: RESTART,
      plan: {apply: false, hot: [], restart: [], inProcessRestart: false, restartNeeded: []}},
    {name: 'off: an RPC write applies nothing', mode: 'off', trigger: 'rpc', applied: RESTART, listener: RESTART,
      plan: {apply: false, hot: [], restart: [], inProcessRestart: false, restartNeeded: []}},
    {name: 'off: SIGHUP applies with hybrid rules', mode: 'off', trigger: 'signal', applied: [...HOT, ...RESTART], listener: RESTART,
      plan: {apply: true, hot: HOT, restart: RESTART, inProcessRestart: true, restartNeeded: []}},
    {name: 'hot: an RPC write restarts (protocol §6.3: apply at once whatever the mode)', mode: 'hot', trigger: 'rpc', applied: RESTART, listener: RESTART,
      plan: {apply: true, hot: [], restart: RESTART, inProcessRestart: true, restartNeeded: []}},
    {name: 'SIGHUP after mode hot held back a port change: restart without a new diff', mode: 'hot', trigger: 'signal', applied: [], listener: RESTART,
      plan: {apply: false, hot: [], restart: RESTART, inProcessRestart: true, restartNeeded: []}},
    {name: 'a held-back change reverted by hand needs no restart', mode: 'hybrid', trigger: 'watch', applied: RESTART, listener: [],
      plan: {apply: true, hot: [], restart: [], inProcessRestart: false, restartNeeded: []}},
    {name: 'nothing changed', mode: 'hybrid', trigger: 'signal', applied: [], listener: [],
      plan: {apply: false, hot: [], restart: [], inProcessRestart: false, restartNeeded: []}},
  ] as const)('$name', ({mode, trigger, applied, listener, plan}) => {
    expect(planReload({appliedDiff: applied, listenerDiff: listener, mode, trigger})).toEqual(plan)
  })
})
