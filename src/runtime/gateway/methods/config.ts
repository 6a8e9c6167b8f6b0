/**
 * `config.get`, `config.schema`, `config.set`, `config.apply`, `config.patch` (protocol.md §6.3).
 * The running gateway provides a `ConfigRpcHost` (services.configRpc); writes hold its config
 * lock from the base-hash check through the write to the reload, are limited to 30 per 60 s per
 * method and client IP, and announce themselves with `config.changed`.
 */
import {z} from 'zod'

import {configJsonSchema} from '../../config/schema/json-schema.js'
import {readConfigSnapshot, type ConfigRpcHost} from '../lifecycle/config-rpc.js'
import {writeConfigDocument, type ConfigWriteMethod} from '../lifecycle/config-rpc-write.js'
import {MethodError} from '../server/method-error.js'
import {WRITE_METHOD_RATE_LIMIT} from '../server/method-rate-limit.js'
import {defineMethod, type MethodContext} from '../server/registry.js'

/** Default wait between an apply/patch answer and the in-process restart it causes (ms). */
export const DEFAULT_RESTART_DELAY_MS = 1000

const restartDelay = z.int().min(0).max(60_000).optional()
const SetParams = z.strictObject({raw: z.string(), baseHash: z.string().optional()})
const ApplyParams = z.strictObject({raw: z.string(), baseHash: z.string().optional(), note: z.string().optional(), restartDelayMs: restartDelay})
const PatchParams = z.strictObject({
  raw: z.string(),
  baseHash: z.string().optional(),
  replacePaths: z.array(z.string()).optional(),
  note: z.string().optional(),
  restartDelayMs: restartDelay,
})

function hostOf(ctx: MethodContext): ConfigRpcHost {
  const host = ctx.gateway.configRpc
  if (host === undefined) throw new MethodError('UNAVAILABLE', 'config methods are not available on this gateway')
  return host
}

/** set/apply/patch: write under the lock, announce, then (apply, patch) apply at once. */
async function writeAndApply(ctx: MethodContext, method: ConfigWriteMethod, params: {raw: string; baseHash?: string; replacePaths?: string[]; note?: string; restartDelayMs?: number}) {
  const host = hostOf(ctx)
  return host.exclusive(async () => {
    const outcome = await writeConfigDocument(host, {method, raw: params.raw, baseHash: params.baseHash, replacePaths: params.replacePaths})
    if (outcome.noop) return {outcome, restart: false}
    ctx.gateway.logger.info(`config written by ${method}${params.note === undefined ? '' : ` (note: ${params.note})`}`, {connId: ctx.conn.connId})
    host.written(outcome.hash)
    if (method === 'config.set') return {outcome, restart: false}
    const applied = await host.applyNow(params.restartDelayMs ?? DEFAULT_RESTART_DELAY_MS)
    return {outcome, restart: applied.restart}
  })
}

export const configMethods = [
  defineMethod({
    name: 'config.get',
    scope: 'operator.read',
    params: z.object({}),
    handler: (_params, ctx) => readConfigSnapshot(hostOf(ctx)),
  }),
  defineMethod({
    name: 'config.schema',
    scope: 'operator.read',
    params: z.object({}),
    // The schema depends only on this build: built once per server (a rebuild holds the loop for 30–190 ms).
    handler: (_params, ctx) => {
      const build = () => ({schema: configJsonSchema(), version: ctx.gateway.info.version, generatedAt: new Date(ctx.gateway.now()).toISOString()})
      return ctx.gateway.memo === undefined ? build() : ctx.gateway.memo.get('config.schema', build)
    },
  }),
  defineMethod({
    name: 'config.set',
    scope: 'operator.admin',
    params: SetParams,
    rateLimit: WRITE_METHOD_RATE_LIMIT,
    handler: async (params, ctx) => {
      const {outcome} = await writeAndApply(ctx, 'config.set', params)
      return {ok: true, path: outcome.path, hash: outcome.hash, config: outcome.config}
    },
  }),
  defineMethod({
    name: 'config.apply',
    scope: 'operator.admin',
    params: ApplyParams,
    rateLimit: WRITE_METHOD_RATE_LIMIT,
    handler: async (params, ctx) => {
      const {outcome, restart} = await writeAndApply(ctx, 'config.apply', params)
      const result = {ok: true, path: outcome.path, hash: outcome.hash, config: outcome.config, restart}
      return outcome.noop ? {...result, noop: true} : result
    },
  }),
  defineMethod({
    name: 'config.patch',
    scope: 'operator.admin',
    params: PatchParams,
    rateLimit: WRITE_METHOD_RATE_LIMIT,
    handler: async (params, ctx) => {
      const {outcome, restart} = await writeAndApply(ctx, 'config.patch', params)
      const result = {ok: true, path: outcome.path, hash: outcome.hash, config: outcome.config, restart, changedPaths: outcome.changedPaths}
      return outcome.noop ? {...result, noop: true} : result
    },
  }),
]
