import net from 'node:net'

import {resolveGatewayAuth, resolveGatewayPort} from '../../config/gateway-settings.js'
import type {DoctorCheck} from '../doctor-check.js'

/** A connect attempt to 127.0.0.1:`port`: 'open', 'refused', or 'timeout' within `ms`. */
export function tcpProbe(port: number, ms: number): Promise<'open' | 'refused' | 'timeout'> {
  return new Promise((resolve) => {
    const socket = net.connect({host: '127.0.0.1', port})
    const done = (result: 'open' | 'refused' | 'timeout') => {
      clearTimeout(timer)
      socket.destroy()
      resolve(result)
    }
    const timer = setTimeout(() => done('timeout'), ms)
    socket.once('connect', () => done('open'))
    socket.once('error', () => done('refused'))
  })
}

/** Never waits long on a gateway: a 300 ms connect, then at most a 1.5 s handshake. */
export const gatewayReachabilityCheck: DoctorCheck = {
  id: 'gateway.reachability',
  title: 'Gateway',
  lint: false,
  inspect: async (ctx) => {
    const loaded = ctx.config()
    const layers = {config: loaded.config, authored: loaded.authored, env: ctx.env}
    let port: number
    try {
      port = resolveGatewayPort({...layers, env: ctx.env}).port
    } catch (error) {
      return {status: 'fail', message: error instanceof Error ? error.message : String(error)}
    }
    const tcp = await tcpProbe(port, 300)
    if (tcp !== 'open') return {status: 'pass', message: `not running (port ${port} is free); start it: openclaw gateway run`}
    const auth = resolveGatewayAuth({...layers, flags: {}})
    // The WebSocket client loads only when something listens on the port.
    const {probeGatewayStatus} = await import('../../status/gateway-probe.js')
    const probe = await probeGatewayStatus({target: {url: `ws://127.0.0.1:${port}`, token: auth.token, password: auth.password}, mode: 'local', timeoutMs: 1500, clientInfo: {version: ctx.version}, deep: false})
    if (probe.gateway.reachable && probe.gateway.error === null) return {status: 'pass', message: `running on port ${port} (openclaw ${probe.gateway.version ?? '?'}, ${probe.gateway.latencyMs ?? '?'} ms)`}
    const code = probe.failure?.code ?? probe.gateway.error?.code
    if (code === 'GATEWAY_AUTH_FAILED') return {status: 'fail', message: `a gateway on port ${port} refuses our token`, fix: {summary: 'check the token: openclaw config get gateway.auth.token', safe: false}}
    return {status: 'fail', message: `port ${port} is held by another program (${probe.gateway.error?.message ?? 'no gateway handshake'})`, fix: {summary: `free the port or change it: openclaw config set gateway.port <port>`, safe: false}}
  },
}
