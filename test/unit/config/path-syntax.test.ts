import {describe, expect, it} from 'vitest'

import {parseConfigPath, tryParseConfigPath} from '../../../src/runtime/config/edit/path-syntax.js'
import {formatConfigPath} from '../../../src/runtime/config/issues.js'

describe('parseConfigPath', () => {
  it.each([
    ['gateway.port', ['gateway', 'port']],
    ['agents.list[0].model', ['agents', 'list', 0, 'model']],
    ['agents.list.0.model', ['agents', 'list', 0, 'model']],
    ['channels.telegram.groups["-1001234"].requireMention', ['channels', 'telegram', 'groups', '-1001234', 'requireMention']],
    ["models.providers['my.host'].baseUrl", ['models', 'providers', 'my.host', 'baseUrl']],
    ['a["key with spaces"]', ['a', 'key with spaces']],
    ['a["br[ack]et"]', ['a', 'br[ack]et']],
    ['a["say \\"hi\\""]', ['a', 'say "hi"']],
    ['a[0][1]', ['a', 0, 1]],
    ['a["0"]', ['a', '0']],
    ['$schema', ['$schema']],
    ['groups.-100123', ['groups', '-100123']],
    ['ids.12345678901234567890', ['ids', '12345678901234567890']],
    ['["gateway"].port', ['gateway', 'port']],
  ])('%s', (input, expected) => {
    expect(parseConfigPath(input)).toEqual(expected)
  })

  it.each([[''], ['.a'], ['a.'], ['a..b'], ['a[0'], ['a]'], ['a[]'], ['a[x]'], ['a["x"'], ['a["x]'], ['a[""]'], ['a[0]b'], ['a.[0]'], ['a["x"]]']])(
    'rejects %j with CONFIG_PATH_INVALID (exit 2)',
    (input) => {
      expect(tryParseConfigPath(input)).toBeNull()
      expect(() => parseConfigPath(input)).toThrow(expect.objectContaining({code: 'CONFIG_PATH_INVALID', exitCode: 2, message: `invalid config path: ${input}`}))
    },
  )

  it.each([['gateway.port'], ['agents.list[0].model'], ['channels.telegram.groups["-1001234"].requireMention'], ['a["0"]']])(
    'round-trips %s through formatConfigPath',
    (input) => {
      expect(formatConfigPath(parseConfigPath(input))).toBe(input)
    },
  )
})
