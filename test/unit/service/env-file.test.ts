import {describe, expect, it} from 'vitest'

import {parseEnvAssignments, renderEnvFile} from '../../../src/runtime/service/env-file.js'
import {readUnitFacts} from '../../../src/runtime/service/read-unit.js'
import {serviceNames} from '../../../src/runtime/service/names.js'

describe('service env file', () => {
  it('is created with a header and the shell proxy variables only', () => {
    const text = renderEnvFile(null, {shellEnv: {HTTPS_PROXY: 'http://proxy:3128', no_proxy: 'localhost,127.0.0.1', OPENCLAW_GATEWAY_TOKEN: 'secret', HOME: '/root'}, upserts: []})
    expect(text.split('\n').filter((l) => !l.startsWith('#'))).toEqual(['HTTPS_PROXY=http://proxy:3128', 'no_proxy=localhost,127.0.0.1', ''])
    expect(text).not.toContain('secret')
  })
  it('keeps the user lines, upserts --env and leaves an unchanged file byte-identical', () => {
    const existing = '# mine\nFOO=1\nBAR="a b"\n'
    expect(renderEnvFile(existing, {shellEnv: {HTTPS_PROXY: 'http://new'}, upserts: []})).toBe(existing)
    expect(renderEnvFile(existing, {shellEnv: {}, upserts: [['FOO', '2'], ['NEW', 'x y']]})).toBe('# mine\nFOO=2\nBAR="a b"\nNEW="x y"\n')
  })
  it.each(['NOEQUALS', '1BAD=x', 'A=line\nbreak'])('refuses --env %j', (value) => {
    expect(() => parseEnvAssignments([value])).toThrow(expect.objectContaining({code: 'USAGE'}))
  })
})

describe('service names', () => {
  it.each([
    [null, {}, {unitName: 'openclaw-gateway.service', label: 'ai.openclaw.gateway', description: 'OpenClaw Gateway'}],
    ['work', {}, {unitName: 'openclaw-gateway-work.service', label: 'ai.openclaw.work', description: 'OpenClaw Gateway (profile: work)'}],
    [null, {OPENCLAW_SYSTEMD_UNIT: 'claw', OPENCLAW_LAUNCHD_LABEL: 'com.me.claw'}, {unitName: 'claw.service', label: 'com.me.claw'}],
  ] as const)('profile %s', (profile, env, expected) => {
    expect(serviceNames(profile, env)).toMatchObject(expected)
  })
})

describe('readUnitFacts', () => {
  it('treats a hand-written unit as foreign and reads what it can', () => {
    expect(readUnitFacts('[Service]\nExecStart=/usr/bin/env openclaw gateway run --port 1234\nUser=pi\n')).toMatchObject({generatedByOpenclaw: false, port: 1234, runAs: 'pi', memoryMax: null})
  })
})
