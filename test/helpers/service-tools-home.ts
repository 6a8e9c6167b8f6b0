import {afterEach} from 'vitest'

import {makeFakeServiceTools, type FakeServiceTools} from '../fakes/service-tools.js'
import {makeTempHome, type TempHome} from './cli.js'

/**
 * The service e2e set-up: `setup(extra)` makes a temp HOME with the fake systemctl & co. on PATH
 * and returns the env to run the CLI with; the home is removed after each test. `home` and
 * `fake` are the current test's.
 */
export function serviceToolsHome(): {setup(extra?: Record<string, string>): NodeJS.ProcessEnv; readonly home: TempHome; readonly fake: FakeServiceTools} {
  let home: TempHome | undefined
  let fake: FakeServiceTools | undefined
  afterEach(() => {
    home?.cleanup()
    home = undefined
    fake = undefined
  })
  const current = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('serviceToolsHome: call setup() first')
    return value
  }
  return {
    setup(extra = {}) {
      home = makeTempHome()
      fake = makeFakeServiceTools(home.home)
      return {...home.env, ...fake.env, ...extra}
    },
    get home() {
      return current(home)
    },
    get fake() {
      return current(fake)
    },
  }
}
