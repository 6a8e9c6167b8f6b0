import type {ServiceSpecInput} from '../../../src/runtime/service/service-spec.js'

/** Named unit cases shared by the snapshot test and the systemd-analyze test. */
export const base: ServiceSpecInput = {
  scope: 'user',
  nodePath: '/usr/bin/node',
  entryPath: '/usr/lib/node_modules/openclaw/bin/run.js',
  home: '/home/ana',
  stateDir: '/home/ana/.openclaw',
  configPath: '/home/ana/.openclaw/openclaw.json',
  profile: null,
  port: null,
  heapMiB: 307,
  unitName: 'openclaw-gateway.service',
  envFile: '/home/ana/.openclaw/gateway.env',
  runAs: null,
}

/** Named cases; every one is also verified by systemd-analyze in systemd-verify.test.ts. */
export const unitCases: Record<string, {input: ServiceSpecInput; description: string; memoryMax: string | null}> = {
  'user unit': {input: base, description: 'OpenClaw Gateway', memoryMax: '512M'},
  'system unit with User=': {
    input: {...base, scope: 'system', runAs: {user: 'ana', group: 'ana'}, envFile: '/etc/openclaw/openclaw-gateway.env'},
    description: 'OpenClaw Gateway',
    memoryMax: '1G',
  },
  'profile with a pinned port': {
    input: {...base, profile: 'work', port: 18790, unitName: 'openclaw-gateway-work.service', stateDir: '/home/ana/.openclaw-work', configPath: '/home/ana/.openclaw-work/openclaw.json', envFile: '/home/ana/.openclaw-work/gateway.env'},
    description: 'OpenClaw Gateway (profile: work)',
    memoryMax: '512M',
  },
  'odd paths with spaces and %': {
    input: {...base, home: '/home/ana b', stateDir: '/home/ana b/100% state', configPath: '/home/ana b/100% state/open "claw".json', entryPath: '/opt/open claw/bin/run.js', envFile: '/home/ana b/100% state/gateway.env'},
    description: 'OpenClaw Gateway',
    memoryMax: null,
  },
}
