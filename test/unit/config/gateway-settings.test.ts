import {describe, expect, it} from 'vitest'

import {parsePortEnv, resolveGatewayAuth, resolveGatewayBind, resolveGatewayPort} from '../../../src/runtime/config/gateway-settings.js'
import type {Config} from '../../../src/runtime/config/schema/index.js'

const cfg = (tree: Record<string, unknown>) => tree as unknown as Config

describe('resolveGatewayPort', () => {
  it.each([
    {name: 'flag beats everything', flag: 1111, env: {OPENCLAW_GATEWAY_PORT: '2222'}, config: cfg({gateway: {port: 3333}}), port: 1111, source: 'flag'},
    {name: 'env beats config', env: {OPENCLAW_GATEWAY_PORT: '2222'}, config: cfg({gateway: {port: 3333}}), port: 2222, source: 'env'},
    {name: 'host:port env', env: {OPENCLAW_GATEWAY_PORT: '127.0.0.1:2223'}, config: null, port: 2223, source: 'env'},
    {name: '[ipv6]:port env', env: {OPENCLAW_GATEWAY_PORT: '[::1]:2224'}, config: null, port: 2224, source: 'env'},
    {name: 'blank env is unset', env: {OPENCLAW_GATEWAY_PORT: ' '}, config: cfg({gateway: {port: 3333}}), port: 3333, source: 'config'},
    {name: 'config', env: {}, config: cfg({gateway: {port: 3333}}), port: 3333, source: 'config'},
    {name: 'default', env: {}, config: null, port: 18789, source: 'default'},
    {name: 'schema default is not a configured value', env: {}, config: cfg({gateway: {port: 18789}}), authored: {}, port: 18789, source: 'default'},
    {name: 'authored port of an invalid config', env: {}, config: null, authored: {gateway: {port: 4444, bind: 'nonsense'}}, port: 4444, source: 'config'},
    {name: '${VAR} port of an invalid config', env: {P: '4445'}, config: null, authored: {gateway: {port: '${P}'}}, port: 4445, source: 'config'},
    {name: 'ill-typed authored port of an invalid config', env: {}, config: null, authored: {gateway: {port: 'abc'}}, port: 18789, source: 'default'},
  ])('$name', ({flag, env, config, authored, port, source}) => {
    expect(resolveGatewayPort({flag, env, config, authored})).toEqual({port, source})
  })

  it.each(['abc', '0', '65536', '-1', '80.5', 'host:', ':', 'a:b:c', '1e3'])('rejects OPENCLAW_GATEWAY_PORT=%s', (value) => {
    expect(() => resolveGatewayPort({env: {OPENCLAW_GATEWAY_PORT: value}, config: null, exitCode: 78})).toThrow(
      expect.objectContaining({code: 'ENV_INVALID', exitCode: 78, message: `OPENCLAW_GATEWAY_PORT: expected a port number (1-65535), got "${value}"`}),
    )
  })

  it('uses the code default exit code unless the caller overrides it', () => {
    expect(() => parsePortEnv('x')).toThrow(expect.objectContaining({exitCode: 1}))
  })
})

describe('resolveGatewayAuth', () => {
  const env = {OPENCLAW_GATEWAY_TOKEN: 'env-token', OPENCLAW_GATEWAY_PASSWORD: 'env-pass'}
  it.each([
    {name: 'flag token first', flags: {token: 'flag-token'}, env, config: cfg({gateway: {auth: {token: 'cfg-token'}}}), expected: {mode: 'token', token: 'flag-token', tokenSource: 'flag', password: 'env-pass', passwordSource: 'env'}},
    {name: 'file beats env for secrets', flags: {}, env, config: cfg({gateway: {auth: {token: 'cfg-token', password: 'cfg-pass', mode: 'password'}}}), expected: {mode: 'password', token: 'cfg-token', tokenSource: 'config', password: 'cfg-pass', passwordSource: 'config'}},
    {name: 'env when the file has none', flags: {}, env: {OPENCLAW_GATEWAY_TOKEN: 'env-token'}, config: cfg({}), expected: {mode: 'token', token: 'env-token', tokenSource: 'env'}},
    {name: 'password mode when only a password is set', flags: {}, env: {OPENCLAW_GATEWAY_PASSWORD: 'p'}, config: null, expected: {mode: 'password', password: 'p', passwordSource: 'env'}},
    {name: 'token mode by default', flags: {}, env: {}, config: null, expected: {mode: 'token'}},
    {name: '--auth beats the config mode', flags: {auth: 'none' as const}, env: {}, config: cfg({gateway: {auth: {mode: 'token', token: 't'}}}), expected: {mode: 'none', token: 't', tokenSource: 'config'}},
    {name: 'an empty flag is no flag', flags: {token: ''}, env: {OPENCLAW_GATEWAY_TOKEN: 'e'}, config: null, expected: {mode: 'token', token: 'e', tokenSource: 'env'}},
    {name: 'schema-default mode does not hide password-only', flags: {}, env: {}, config: cfg({gateway: {auth: {mode: 'token', password: 'p'}}}), authored: {gateway: {auth: {password: 'p'}}}, expected: {mode: 'password', password: 'p', passwordSource: 'config'}},
    {name: 'an invalid config still yields its substituted token', flags: {}, env: {TOK: 'from-env-ref'}, config: null, authored: {gateway: {auth: {token: '${TOK}'}}}, expected: {mode: 'token', token: 'from-env-ref', tokenSource: 'config'}},
    {name: 'an unresolvable reference is no token', flags: {}, env: {OPENCLAW_GATEWAY_TOKEN: 'e'}, config: null, authored: {gateway: {auth: {token: '${NOPE}'}}}, expected: {mode: 'token', token: 'e', tokenSource: 'env'}},
  ])('$name', ({flags, env: e, config, authored, expected}) => {
    expect(resolveGatewayAuth({flags, env: e, config, authored})).toEqual(expected)
  })
})

describe('resolveGatewayBind', () => {
  it.each([
    {name: 'flag', flag: 'lan' as const, config: cfg({gateway: {bind: 'auto'}}), expected: {bind: 'lan', source: 'flag'}},
    {name: 'config', config: cfg({gateway: {bind: 'auto'}}), expected: {bind: 'auto', source: 'config'}},
    {name: 'default', config: null, expected: {bind: 'loopback', source: 'default'}},
    {name: 'custom with its host', config: cfg({gateway: {bind: 'custom', customBindHost: '100.64.0.1'}}), expected: {bind: 'custom', customBindHost: '100.64.0.1', source: 'config'}},
    {name: 'host ignored unless custom', config: cfg({gateway: {bind: 'lan', customBindHost: '100.64.0.1'}}), expected: {bind: 'lan', source: 'config'}},
  ])('$name', ({flag, config, expected}) => {
    expect(resolveGatewayBind({flag, config})).toEqual(expected)
  })
})
