import {isPlainObject} from '../../config/deep-merge.js'
import {writeDoctorConfig} from '../config-write.js'
import type {DoctorCheck} from '../doctor-check.js'

export const configGatewayModeCheck: DoctorCheck = {
  id: 'config.gateway-mode',
  title: 'Gateway mode',
  lint: true,
  inspect: (ctx) => {
    if (!ctx.configParsed()) return {status: 'skip', message: 'skipped: config could not be parsed'}
    if (!ctx.config().exists) return {status: 'skip', message: 'skipped: no config file'}
    const gateway = ctx.config().authored?.gateway
    const mode = isPlainObject(gateway) ? gateway.mode : undefined
    if (mode !== undefined) return {status: 'pass', message: `gateway.mode is ${String(mode)}`}
    const remoteUrl = isPlainObject(gateway) && isPlainObject(gateway.remote) ? gateway.remote.url : undefined
    if (remoteUrl !== undefined) return {status: 'warn', message: 'gateway.mode is unset but gateway.remote.url is set', fix: {summary: 'set it: openclaw config set gateway.mode remote (or local)', safe: false}}
    return {
      status: 'warn',
      message: 'gateway.mode is unset (gateway run needs "local")',
      fix: {summary: 'set gateway.mode to "local"', safe: true, command: ctx.fixCommand()},
      repair: async () => {
        const changed = await writeDoctorConfig(ctx, 'config.gateway-mode', 'set-gateway-mode', (tree) => {
          const gw = isPlainObject(tree.gateway) ? tree.gateway : {}
          return {...tree, gateway: {...gw, mode: 'local'}}
        })
        return changed ? {actions: ['set gateway.mode to "local"'], files: [ctx.paths.configPath]} : {actions: [], files: []}
      },
    }
  },
}
