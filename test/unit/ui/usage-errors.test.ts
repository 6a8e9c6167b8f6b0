import {describe, expect, it} from 'vitest'

import {parseErrorToUsage, tidyParserMessage, unknownCommandToUsage} from '../../../src/ui/usage-errors.js'

const IDS = ['config:get', 'config:set', 'config:validate', 'gateway:run', 'gateway:call', 'status', 'logs', 'help']

describe('tidyParserMessage: oclif parser text in the house format', () => {
  it.each([
    ['bad integer', 'Parsing --timeout \n\tExpected an integer but received: abc\nSee more help with --help', '--timeout: expected an integer but received: abc'],
    ['exclusive flags', 'The following error occurred:\n  \u001b[2m--replace=true cannot also be provided when using --merge\u001b[22m\nSee more help with --help', "--replace and --merge can't be combined"],
    ['exactly one of', 'The following error occurred:\n  Exactly one of the following must be provided: --file, --stdin\nSee more help with --help', 'exactly one of the following must be provided: --file, --stdin'],
    ['missing arg', 'Missing 1 required arg:\nPATH  Config path: dots for keys\nSee more help with --help', 'missing argument: <path>'],
    ['option list', 'Expected --log-level=loud to be one of: silent, info\nSee more help with --help', 'expected --log-level=loud to be one of: silent, info'],
  ])('%s', (_name, raw, expected) => {
    expect(tidyParserMessage(raw)).toBe(expected)
  })
})

describe('parseErrorToUsage', () => {
  const command = {id: 'config:get', flags: {json: {}, authored: {}, 'show-secrets': {}, debug: {hidden: true}}, args: {path: {}}}

  it('suggests the closest flag and the corrected command line', () => {
    const e = parseErrorToUsage({message: 'Nonexistent flag: --jsn', flags: ['--jsn']}, command, ['x', '--jsn'])
    expect(e.code).toBe('USAGE')
    expect(e.message).toBe('unknown flag --jsn for openclaw config get. Did you mean --json?')
    expect(e.hint[0]).toBe('openclaw config get x --json')
    expect(e.hint[1]).toContain('openclaw config get <path> [flags]')
  })

  it('keeps a --flag=value typo as one flag and drops a typo whose fix is already there', () => {
    expect(parseErrorToUsage({message: '', flags: ['--autored=1']}, command, ['x', '--autored=1']).hint[0]).toBe('openclaw config get x --authored=1')
    expect(parseErrorToUsage({message: '', flags: ['--jsn']}, command, ['x', '--jsn', '--json']).hint[0]).toBe('openclaw config get x --json')
  })

  it('never suggests a hidden flag, and says so plainly when nothing is close', () => {
    const e = parseErrorToUsage({message: '', flags: ['--debgu']}, command, ['--debgu'])
    expect(e.message).toBe('unknown flag --debgu for openclaw config get')
    expect(e.hint).toHaveLength(1)
  })
})

describe('unknownCommandToUsage', () => {
  it.each([
    ['a typo in the first word', ['confg', 'get', 'gateway.port'], 'unknown command: openclaw confg. Did you mean openclaw config?', 'openclaw config get gateway.port'],
    ['a typo in a topic command', ['config', 'gte', 'gateway.port'], 'unknown command: openclaw config gte. Did you mean openclaw config get?', 'openclaw config get gateway.port'],
    ['a typo of a plain command', ['stauts', '--json'], 'unknown command: openclaw stauts. Did you mean openclaw status?', 'openclaw status --json'],
    ['nothing close', ['frobnicate'], 'unknown command: openclaw frobnicate', 'See every command: openclaw --help'],
    ['a root flag typo', ['--jsn'], 'unknown flag --jsn before a command. Did you mean --json? It goes with a command', 'openclaw status --json'],
    ['a global flag typo', ['--profil', 'work', 'status'], 'unknown flag --profil. Did you mean --profile?', 'openclaw --profile work status'],
  ])('%s', (_name, argv, message, firstHint) => {
    const e = unknownCommandToUsage(argv, IDS)
    expect(e.code).toBe('USAGE')
    expect(e.message).toBe(message)
    expect(e.hint[0]).toBe(firstHint)
  })
})
