import {describe, expect, it} from 'vitest'

import {AppError} from '../../../src/runtime/errors/app-error.js'
import {scopeError, scopeFlags, scopeText} from '../../../src/ui/scope-hints.js'

const TOP = new Set(['config', 'gateway', 'status', 'logs'])

describe('scopeText: hints act on the profile in use', () => {
  it.each([
    ['a hint under --profile', 'see: openclaw config validate', ['--profile', 'work'], 'see: openclaw --profile work config validate'],
    ['every command in a line', 'openclaw config set gateway.port 18790; or openclaw gateway run --port 18790', ['--dev'], 'openclaw --dev config set gateway.port 18790; or openclaw --dev gateway run --port 18790'],
    ['no profile: unchanged', 'see: openclaw config validate', [], 'see: openclaw config validate'],
    ['prose is left alone', 'another openclaw process holds ~/.openclaw/openclaw.json', ['--profile', 'work'], 'another openclaw process holds ~/.openclaw/openclaw.json'],
    ['a profile already named', 'openclaw --profile other status', ['--profile', 'work'], 'openclaw --profile other status'],
    ['global flags before the command', 'openclaw --log-level debug status', ['--dev'], 'openclaw --log-level debug status'],
  ])('%s', (_name, text, flags, expected) => {
    expect(scopeText(text, flags, TOP)).toBe(expected)
  })

  it('reads the profile bin/run.js recorded', () => {
    expect(scopeFlags({OPENCLAW_CLI_PROFILE: 'work'})).toEqual(['--profile', 'work'])
    expect(scopeFlags({OPENCLAW_CLI_DEV: '1'})).toEqual(['--dev'])
    expect(scopeFlags({})).toEqual([])
  })

  it('scopeError keeps code, exit code and details', () => {
    const e = scopeError(new AppError('CONFIG_INVALID', 'bad; see: openclaw config validate', {hint: ['openclaw config validate'], details: {x: 1}}), ['--profile', 'work'], TOP)
    expect(e).toMatchObject({code: 'CONFIG_INVALID', exitCode: 1, message: 'bad; see: openclaw --profile work config validate', hint: ['openclaw --profile work config validate'], details: {x: 1}})
  })
})
