import {z} from 'zod'

import {annotate, doc, int, pattern, secret, strictObject, wsUrl} from './primitives.js'

/** Bind modes; the upstream `tailnet` is rejected with a hint (config.md §7.1). */
export const BIND_MODES = ['loopback', 'lan', 'custom', 'auto'] as const

const RateLimitSchema = strictObject({
  maxAttempts: doc(z._default(int(1), 10), 'Failed auth attempts allowed per client address within windowMs.'),
  windowMs: doc(z._default(int(1), 60_000), 'Window for counting failed attempts, in milliseconds.'),
  lockoutMs: doc(z._default(int(0), 300_000), 'How long a client address is locked out after too many failures, in milliseconds.'),
  exemptLoopback: doc(z._default(z.boolean(), true), 'Never lock out clients connecting from 127.0.0.1 / ::1.'),
})

const AuthSchema = strictObject({
  mode: doc(z.optional(z.enum(['token', 'password', 'none'])), 'How clients authenticate. Unset: token, or password when only a password is set. Required when both are set.'),
  token: doc(z.optional(secret()), 'Shared gateway token (file beats OPENCLAW_GATEWAY_TOKEN); use ${VAR} to keep it out of the file.'),
  password: doc(z.optional(secret()), 'Gateway password (file beats OPENCLAW_GATEWAY_PASSWORD).'),
  rateLimit: doc(z.prefault(RateLimitSchema, {}), 'Failed-auth rate limit per client address.'),
})

const ReloadSchema = strictObject({
  mode: doc(z._default(z.enum(['hybrid', 'hot', 'restart', 'off']), 'hybrid'), 'How the gateway applies config file changes: hybrid = hot where possible, else in-process restart.'),
  debounceMs: doc(z._default(int(0, 60_000), 300), 'Quiet time after the last file change before reloading, in milliseconds.'),
})

function remoteSchema() {
  return strictObject({
    url: doc(z.optional(wsUrl()), 'Gateway URL client commands use when gateway.mode is remote.'),
    token: doc(z.optional(secret()), 'Token for the remote gateway.'),
    password: doc(z.optional(secret()), 'Password for the remote gateway.'),
  })
}

const ControlUiSchema = strictObject({
  enabled: doc(z._default(z.boolean(), true), 'Serve the Control UI over HTTP on the gateway port.'),
  basePath: doc(z._default(pattern(/^\/$|^\/.*[^/]$/, 'a path starting with / and without a trailing / (or / itself)'), '/'), 'URL path the Control UI is served under.'),
})

/** `gateway` (config.md §7.1). */
export const GatewaySchema = strictObject({
  port: doc(z._default(int(1, 65_535), 18_789), 'Port for the WebSocket + HTTP listener (--port and OPENCLAW_GATEWAY_PORT win).'),
  mode: doc(z.optional(z.enum(['local', 'remote'])), 'local: this machine runs the gateway; remote: client commands use gateway.remote. `gateway run` requires local.'),
  bind: doc(z._default(z.enum(BIND_MODES), 'loopback'), 'Listen address: loopback = 127.0.0.1, lan = 0.0.0.0, custom = customBindHost, auto = loopback (0.0.0.0 in a container).'),
  customBindHost: doc(z.optional(annotate(z.ipv4(), {typeLabel: 'IPv4', expected: 'an IPv4 address'})), 'IPv4 address to bind with bind "custom" (127.0.0.1 is bound too); only allowed with custom.'),
  auth: doc(z.prefault(AuthSchema, {}), 'Client authentication.'),
  reload: doc(z.prefault(ReloadSchema, {}), 'Config file watching (config.md §8).'),
  remote: doc(z.optional(remoteSchema()), 'Target for client commands when mode is remote.'),
  controlUi: doc(z.prefault(ControlUiSchema, {}), 'The browser Control UI.'),
})
