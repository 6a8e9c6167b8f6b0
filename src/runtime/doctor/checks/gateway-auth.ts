import {randomBytes} from 'node:crypto'

import {isPlainObject} from '../../config/deep-merge.js'
import {resolveGatewayAuth, resolveGatewayBind} from '../../config/gateway-settings.js'
import {envValue} from '../../paths.js'
import {writeDoctorConfig} from '../config-write.js'
import type {DoctorContext} from '../context.js'
import type {DoctorCheck} from '../doctor-check.js'
import type {Finding} from '../check.js'

/** A new gateway token: 32 random bytes, hex (64 chars). */
export function generateGatewayToken(): string {
  return randomBytes(32).toString('hex')
}

function authoredToken(ctx: DoctorContext): unknown {
  const gw = ctx.config().authored?.gateway
  return isPlainObject(gw) && isPlainObject(gw.auth) ? gw.auth.token : undefined
}

function setToken(ctx: DoctorContext, token: string, action: string) {
  return async () => {
    const changed = await writeDoctorConfig(ctx, 'gateway.auth', action, (tree) => {
      const gw = isPlainObject(tree.gateway) ? tree.gateway : {}
      const auth = isPlainObject(gw.auth) ? gw.auth : {}
      return {...tree, gateway: {...gw, auth: {...auth, token}}}
    })
    if (action === 'rotate-token') ctx.tokenRotated = true
    return changed ? {actions: [action === 'rotate-token' ? 'rotated gateway.auth.token' : 'generated gateway.auth.token'], files: [ctx.paths.configPath]} : {actions: [], files: []}
  }
}

export const gatewayAuthCheck: DoctorCheck = {
  id: 'gateway.auth',
  title: 'Gateway auth',
  lint: true,
  inspect: (ctx): Finding => {
    if (!ctx.configParsed()) return {status: 'skip', message: 'skipped: config could not be parsed'}
    const loaded = ctx.config()
    if (!loaded.exists) return {status: 'skip', message: 'skipped: no config file (openclaw onboard sets up auth)'}
    const layers = {config: loaded.config, authored: loaded.authored, env: ctx.env}
    const auth = resolveGatewayAuth({...layers, flags: {}})
    const bind = resolveGatewayBind(layers).bind
    const written = authoredToken(ctx)
    const isReference = typeof written === 'string' && /\$\{[A-Z_][A-Z0-9_]*\}/.test(written)
    if (ctx.flags.generateGatewayToken && !ctx.tokenRotated) {
      if (isReference) return {status: 'warn', message: `gateway.auth.token is the reference ${String(written)}; it is never overwritten`, fix: {summary: 'change the variable it names instead', safe: false}}
      const fresh = generateGatewayToken()
      return {status: 'warn', message: 'a new gateway token was requested', fix: {summary: 'rotate gateway.auth.token (connected clients must re-authenticate)', safe: false, command: ctx.fixCommand(' --generate-gateway-token')}, approved: true, repair: setToken(ctx, fresh, 'rotate-token')}
    }
    if (auth.mode === 'none') {
      return bind === 'loopback' ? {status: 'pass', message: 'auth off (loopback only)'} : {status: 'fail', message: `bind ${bind} without auth exposes the gateway`, fix: {summary: 'set gateway.auth.mode to token: openclaw config set gateway.auth.mode token', safe: false}}
    }
    if (auth.mode === 'password') return auth.password === undefined ? {status: 'fail', message: 'gateway.auth.mode is password but no password is set', fix: {summary: 'openclaw config set gateway.auth.password <password>', safe: false}} : {status: 'pass', message: 'password auth'}
    if (auth.token === undefined) {
      if (isReference) return {status: 'fail', message: `gateway.auth.token is ${String(written)} and that variable is unset`, fix: {summary: 'set the variable (it is never overwritten)', safe: false}}
      return {status: 'fail', message: 'gateway.auth.mode is token but no token is set', fix: {summary: 'generate gateway.auth.token', safe: true, command: ctx.fixCommand()}, repair: setToken(ctx, generateGatewayToken(), 'generate-token')}
    }
    const problems: string[] = []
    const envToken = envValue(ctx.env, 'OPENCLAW_GATEWAY_TOKEN')
    if (auth.tokenSource === 'config' && envToken !== undefined && envToken !== auth.token) problems.push('gateway.auth.token and OPENCLAW_GATEWAY_TOKEN differ (the config wins)')
    if (auth.token.length < 24) problems.push(`the token is short (${auth.token.length} chars; use 24 or more: ${ctx.fixCommand(' --generate-gateway-token')})`)
    const hooks = loaded.authored?.hooks
    if (isPlainObject(hooks) && hooks.token === auth.token) problems.push('hooks.token equals the gateway token')
    if (problems.length > 0) return {status: 'warn', message: problems.join('; ')}
    return {status: 'pass', message: `token auth (token from ${auth.tokenSource === 'env' ? 'OPENCLAW_GATEWAY_TOKEN' : 'config'})`}
  },
}
