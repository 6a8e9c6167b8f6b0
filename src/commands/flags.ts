import {Flags} from '@oclif/core'

/**
 * Flags shared by spreading, never by subclassing. The global ones are lifted out of argv by
 * bin/run.js before oclif parses (so they work before or after the command words); they are
 * declared here so that help lists them and oclif accepts them in any remaining position.
 */
export const globalFlags = {
  profile: Flags.string({description: 'Use a named profile (state dir ~/.openclaw-<name>)', helpGroup: 'GLOBAL'}),
  dev: Flags.boolean({description: 'Use the dev profile (state dir ~/.openclaw-dev, gateway port 19001)', helpGroup: 'GLOBAL'}),
  'log-level': Flags.string({
    description: 'Log level for this run (silent|fatal|error|warn|info|debug|trace)',
    options: ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'],
    helpGroup: 'GLOBAL',
  }),
  'no-color': Flags.boolean({description: 'Disable colour output', helpGroup: 'GLOBAL'}),
  debug: Flags.boolean({description: 'Show stack traces on errors', helpGroup: 'GLOBAL', hidden: true}),
}

export const jsonFlag = {
  json: Flags.boolean({description: 'Print one JSON document on stdout: {"ok":true,"result":…} or {"ok":false,"error":…}'}),
}

/** `--timeout <ms>`; commands whose wait is not a plain gateway call give their own default and wording. */
export function timeoutFlag(defaultMs: number, description = 'Timeout in milliseconds') {
  return Flags.integer({description, default: defaultMs, min: 1})
}

/** Client flags for commands that reach the gateway (operations.md §1.2). */
export const clientFlags = {
  url: Flags.string({description: 'Gateway WebSocket URL (needs --token or --password)'}),
  token: Flags.string({description: 'Gateway token'}),
  password: Flags.string({description: 'Gateway password'}),
  port: Flags.integer({description: 'Gateway port on loopback', min: 1, max: 65535}),
  timeout: timeoutFlag(10_000),
}

/** The parsed client flags as the runtime's target resolution takes them (`setupGatewayClient`'s `flags`). */
export function clientTarget(flags: {url?: string; token?: string; password?: string; port?: number}): {url?: string; token?: string; password?: string; port?: number} {
  return {url: flags.url, token: flags.token, password: flags.password, port: flags.port}
}
