import {OPERATOR_SCOPES, type OperatorScope as Scope} from '../protocol/frames.js'

const READ: Scope = 'operator.read'
const WRITE: Scope = 'operator.write'
const ADMIN: Scope = 'operator.admin'
const PAIRING: Scope = 'operator.pairing'
const APPROVALS: Scope = 'operator.approvals'

/**
 * The one scope each method of protocol §6.2/§6.5 needs; `null` = none (`health`). Kept on the
 * client side on purpose: the client must also talk to upstream gateways, and must not load the
 * server's method registry.
 */
const METHOD_SCOPES: Readonly<Record<string, Scope | null>> = {
  health: null,
  status: READ,
  'system-presence': READ,
  'config.get': READ,
  'config.schema': READ,
  'config.set': ADMIN,
  'config.apply': ADMIN,
  'config.patch': ADMIN,
  'logs.tail': READ,
  agent: WRITE,
  'agent.wait': WRITE,
  'chat.send': WRITE,
  'chat.history': READ,
  'chat.abort': WRITE,
  'sessions.list': READ,
  'sessions.reset': ADMIN,
  'sessions.delete': ADMIN,
  'sessions.patch': WRITE,
  send: WRITE,
  'channels.status': READ,
  'channels.start': ADMIN,
  'channels.stop': ADMIN,
  'channels.logout': ADMIN,
  'channels.pairing.list': PAIRING,
  'channels.pairing.approve': PAIRING,
  'models.list': READ,
  'agents.list': READ,
  'agents.create': ADMIN,
  'agents.update': ADMIN,
  'agents.delete': ADMIN,
  'device.pair.list': PAIRING,
  'device.pair.approve': PAIRING,
  'device.pair.reject': PAIRING,
  'device.pair.remove': PAIRING,
  'exec.approval.resolve': APPROVALS,
  wake: WRITE,
  'cron.list': READ,
  'cron.status': READ,
  'cron.runs': READ,
  'cron.add': ADMIN,
  'cron.update': ADMIN,
  'cron.remove': ADMIN,
  'cron.run': ADMIN,
}

/** Methods that MUST carry an `idempotencyKey` (protocol §8). */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['agent', 'chat.send', 'send'])

/**
 * The scopes the CLI requests in `connect` for one call (protocol §9 step 4): the method's scope,
 * `[]` for `health`, all five for a method §6 does not list. `agent` with `/new` or `/reset`
 * needs admin (§6.5).
 */
export function scopesForMethod(method: string, params?: unknown): string[] {
  if (method === 'agent' && isResetCommand(params)) return [ADMIN]
  if (!Object.hasOwn(METHOD_SCOPES, method)) return [...OPERATOR_SCOPES]
  const scope = METHOD_SCOPES[method]
  return scope === null ? [] : [scope]
}

function isResetCommand(params: unknown): boolean {
  if (typeof params !== 'object' || params === null) return false
  const message = (params as {message?: unknown}).message
  return typeof message === 'string' && /^\/(new|reset)(\s|$)/i.test(message.trim())
}
