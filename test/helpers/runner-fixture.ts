import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach} from 'vitest'

import type {Config} from '../../src/runtime/config/schema/index.js'
import {validateConfigTree} from '../../src/runtime/config/schema/validate.js'
import type {ResolvedPaths} from '../../src/runtime/paths.js'
import {startFakeModel, type FakeModel} from '../fakes/model-server/index.js'
import {openedRunners} from './opened-runners.js'

/** Resolved paths with `dir` as HOME and cwd and `<dir>/state` as the state dir, nothing from the environment. */
export function pathsIn(dir: string): ResolvedPaths {
  return {home: dir, profile: null, profileSource: null, stateDir: path.join(dir, 'state'), configPath: path.join(dir, 'state', 'openclaw.json'), legacyStateDir: null, includeRoots: [], workspaceDir: null, cwd: dir, notices: []}
}

/** What the agent-runner unit tests share; `fake` and `dir` are the current test's. */
export interface RunnerFixture {
  readonly fake: FakeModel
  /** A fresh temp dir: HOME, with the state dir `<dir>/state`. */
  readonly dir: string
  readonly paths: ResolvedPaths
  /** Registers a runner whose lazy index writes must land before the dir is removed. */
  track<T extends {settled(): Promise<void>}>(runner: T): T
  /** Validates `tree` with `models` defaulting to a provider `fake` (model `m`) on the fake model; throws on issues. */
  config(tree: Record<string, unknown>): Config
}

/**
 * A fake model and a temp dir (named `<prefix>…`) made before each test and removed after it, once
 * the runners it opened have settled: the set-up every runner unit test repeated.
 */
export function runnerFixture(prefix: string): RunnerFixture {
  const runners = openedRunners()
  let fake: FakeModel | undefined
  let dir: string | undefined
  beforeEach(async () => {
    fake = await startFakeModel()
    dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  })
  afterEach(async () => {
    await fake?.destroy()
    await runners.settleAll()
    if (dir !== undefined) rmSync(dir, {recursive: true, force: true})
  })
  const current = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`runnerFixture: ${what} exists only inside a test`)
    return value
  }
  return {
    get fake() {
      return current(fake, 'the fake model')
    },
    get dir() {
      return current(dir, 'the temp dir')
    },
    get paths() {
      return pathsIn(current(dir, 'the temp dir'))
    },
    track: (runner) => runners.track(runner),
    config(tree) {
      const models = {mode: 'replace', providers: {fake: {baseUrl: current(fake, 'the fake model').openaiBaseUrl, apiKey: 'test', models: [{id: 'm', name: 'M'}]}}}
      const {config, issues} = validateConfigTree({models, ...tree})
      if (config === null) throw new Error(JSON.stringify(issues))
      return config
    },
  }
}
