/**
 * The wire protocol's single source of truth (protocol.md §2–§3): frame schemas, the error shape,
 * limits, close codes and the fixed handshake texts. Shared by the server and the CLI client, so
 * its exports are kept stable. Snapshot payload shapes live in `snapshots.ts`.
 */
import {z} from 'zod'
import {HealthSnapshotSchema, PresenceEntrySchema, StateVersionSchema} from './snapshots.js'

/** Lowest and highest protocol versions this build speaks (§3.3). */
export const PROTOCOL_MIN = 3
export const PROTOCOL_MAX = 4
export const SUPPORTED_PROTOCOLS: readonly number[] = [3, 4]

/** Limits and intervals (§3.5, §5), in bytes or milliseconds. */
export const LIMITS = {
  /** Largest inbound frame after `hello-ok` (25 MiB). */
  maxPayload: 26_214_400,
  /** Largest inbound frame before `hello-ok`. */
  maxPreauthPayload: 65_536,
  /** Socket buffer above which dropIfSlow events are skipped and other frames close the socket (50 MiB). */
  maxBufferedBytes: 52_428_800,
  tickIntervalMs: 30_000,
  handshakeTimeoutMs: 15_000,
  pingIntervalMs: 25_000,
  /** Frames a client may send after `connect` but before `hello-ok`. */
  maxPendingHandshakeFrames: 15,
  /** Unauthenticated sockets per client IP; the next upgrade gets HTTP 503. */
  maxPreauthSocketsPerIp: 32,
  /** Requests that may wait to start gateway-wide (§2.4). */
  maxQueuedRequests: 256,
  /** Close reasons are truncated to this many bytes (RFC 6455 allows 123). */
  maxCloseReasonBytes: 123,
} as const

/** WebSocket close codes (§3.6). */
export const CLOSE_CODES = {
  normal: 1000,
  protocolMismatch: 1002,
  policyViolation: 1008,
  tooBig: 1009,
  serviceRestart: 1012,
  tryAgainLater: 1013,
  tickTimeout: 4000,
  clientInvalidated: 4001,
} as const

/** Fixed close reasons (§3.6); other 1008 closes carry the error message. */
export const CLOSE_REASONS = {
  protocolMismatch: 'protocol mismatch',
  invalidRequestFrame: 'invalid request frame',
  handshakeTimeout: 'handshake timeout',
  preauthTooLarge: 'preauth payload too large',
  tooManyPending: 'too many pending handshake frames',
  slowConsumer: 'slow consumer',
  serviceRestart: 'service restart',
  gatewayStarting: 'gateway starting',
  restartInProgress: 'gateway restart in progress',
  tickTimeout: 'tick timeout',
  connectTimeout: 'connect timeout',
} as const

/** `ErrorShape.code` values (§2.2). */
export const GATEWAY_ERROR_CODES = ['INVALID_REQUEST', 'FORBIDDEN', 'NOT_PAIRED', 'UNAVAILABLE', 'APPROVAL_NOT_FOUND'] as const
export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number]

/** `ErrorShape.details.code` values clients branch on (§2.4, §3.7, §4.1, §4.5). */
export const DETAIL_CODES = {
  protocolMismatch: 'PROTOCOL_MISMATCH',
  missingScope: 'MISSING_SCOPE',
  originNotAllowed: 'CONTROL_UI_ORIGIN_NOT_ALLOWED',
  authRateLimited: 'AUTH_RATE_LIMITED',
  authTokenMissing: 'AUTH_TOKEN_MISSING',
  authTokenMismatch: 'AUTH_TOKEN_MISMATCH',
  authTokenNotConfigured: 'AUTH_TOKEN_NOT_CONFIGURED',
  authPasswordMissing: 'AUTH_PASSWORD_MISSING',
  authPasswordMismatch: 'AUTH_PASSWORD_MISMATCH',
  authPasswordNotConfigured: 'AUTH_PASSWORD_NOT_CONFIGURED',
  authDeviceTokenMismatch: 'AUTH_DEVICE_TOKEN_MISMATCH',
  authScopeMismatch: 'AUTH_SCOPE_MISMATCH',
  deviceIdentityRequired: 'DEVICE_IDENTITY_REQUIRED',
  pairingRequired: 'PAIRING_REQUIRED',
} as const

/** Fixed message texts (§2.4, §3.7); tests assert them verbatim. */
export const MESSAGES = {
  firstRequestNotConnect: 'invalid handshake: first request must be connect',
  connectAgain: 'connect is only valid as the first request',
  protocolMismatch: 'protocol mismatch',
  invalidRole: 'invalid role',
  gatewayStarting: 'gateway starting; retry shortly',
  draining: 'connect unavailable during gateway restart',
  originNotAllowed: 'origin not allowed',
  authRateLimited: 'unauthorized: too many failed authentication attempts (retry later)',
  deviceIdentityRequired: 'device identity required',
  busy: 'The server is busy. Please try again in a moment.',
  nodeRole: 'unauthorized role: node',
  invalidRequestFrame: (issues: string) => `invalid request frame: ${issues}`,
  invalidConnectParams: (issues: string) => `invalid connect params: ${issues}`,
  unknownMethod: (method: string) => `unknown method: ${method}`,
  missingScope: (scope: string) => `missing scope: ${scope}`,
  invalidParams: (method: string, issues: string) => `invalid ${method} params: ${issues}`,
  unavailableDuringStartup: (method: string) => `${method} unavailable during gateway startup`,
} as const

/** Operator scopes (§4.3). `admin` satisfies every scope; `write` satisfies `read`. */
export const OPERATOR_SCOPES = ['operator.admin', 'operator.read', 'operator.write', 'operator.approvals', 'operator.pairing'] as const
export type OperatorScope = (typeof OPERATOR_SCOPES)[number]

export const CLIENT_IDS = [
  'webchat-ui', 'openclaw-control-ui', 'openclaw-browser-copilot', 'openclaw-tui', 'webchat', 'cli', 'gateway-client',
  'openclaw-macos', 'openclaw-linux', 'openclaw-ios', 'openclaw-watchos', 'openclaw-android', 'node-host',
  'openclaw-worker', 'test', 'fingerprint', 'openclaw-probe',
] as const
export const CLIENT_MODES = ['webchat', 'cli', 'ui', 'backend', 'node', 'worker', 'probe', 'test'] as const
export type ClientId = (typeof CLIENT_IDS)[number]
export type ClientMode = (typeof CLIENT_MODES)[number]

/** §2.2. Every `retryable:true` comes with `retryAfterMs`. */
export const ErrorShapeSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
  retryable: z.boolean().optional(),
  retryAfterMs: z.int().min(0).optional(),
})
export type ErrorShape = z.infer<typeof ErrorShapeSchema>

/** Client → server. Unknown keys are accepted and dropped (§2.1). */
export const RequestFrameSchema = z.object({
  type: z.literal('req'),
  id: z.string().min(1),
  method: z.string().min(1),
  params: z.unknown().optional(),
  traceparent: z.string().max(128).optional(),
})
export type RequestFrame = z.infer<typeof RequestFrameSchema>

/** Server → client answer to one `req`. `ok:true` ⇒ `payload`; `ok:false` ⇒ `error`. */
export const ResponseFrameSchema = z.object({
  type: z.literal('res'),
  id: z.string(),
  ok: z.boolean(),
  payload: z.unknown().optional(),
  error: ErrorShapeSchema.optional(),
})
export type ResponseFrame = z.infer<typeof ResponseFrameSchema>

/** Server → client event; `seq` on every event after `hello-ok` (§2.3). */
export const EventFrameSchema = z.object({
  type: z.literal('event'),
  event: z.string(),
  payload: z.unknown().optional(),
  seq: z.int().min(0).optional(),
  stateVersion: StateVersionSchema.optional(),
})
export type EventFrame = z.infer<typeof EventFrameSchema>

/** Any frame a client may receive. */
export const ServerFrameSchema = z.discriminatedUnion('type', [ResponseFrameSchema, EventFrameSchema])
export type ServerFrame = z.infer<typeof ServerFrameSchema>

export const ConnectChallengePayloadSchema = z.object({nonce: z.string(), ts: z.number()})
export type ConnectChallengePayload = z.infer<typeof ConnectChallengePayloadSchema>

/** `connect` params (§3.2). Unknown keys in params, client and auth are dropped, never rejected. */
export const ConnectParamsSchema = z.object({
  minProtocol: z.int().min(1),
  maxProtocol: z.int().min(1),
  client: z.object({
    id: z.enum(CLIENT_IDS),
    mode: z.enum(CLIENT_MODES),
    version: z.string(),
    platform: z.string(),
    displayName: z.string().optional(),
    instanceId: z.string().optional(),
    deviceFamily: z.string().optional(),
    modelIdentifier: z.string().optional(),
    buildId: z.string().min(1).max(96).optional(),
    timeZone: z.string().min(1).max(64).optional(),
  }),
  role: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  caps: z.array(z.string()).optional(),
  commands: z.array(z.string()).optional(),
  permissions: z.record(z.string(), z.boolean()).optional(),
  pathEnv: z.string().optional(),
  locale: z.string().optional(),
  userAgent: z.string().optional(),
  auth: z.object({
    token: z.string().optional(),
    password: z.string().optional(),
    deviceToken: z.string().optional(),
    bootstrapToken: z.string().optional(),
    approvalRuntimeToken: z.string().optional(),
    agentRuntimeIdentityToken: z.string().optional(),
  }).optional(),
  // Phase 2 (§4.5): parsed so the shape is checked, ignored by phase-1 auth.
  device: z.object({
    id: z.string().min(1),
    publicKey: z.string().min(1),
    signature: z.string().min(1),
    signedAt: z.int(),
    nonce: z.string().min(1).optional(),
  }).optional(),
})
export type ConnectParams = z.infer<typeof ConnectParamsSchema>

export const AuthMethodSchema = z.enum(['token', 'password', 'none', 'device-token'])
export type AuthMethod = z.infer<typeof AuthMethodSchema>

/** `hello-ok` (§3.4). The server emits exactly these keys; clients ignore extra ones. */
export const HelloOkSchema = z.object({
  type: z.literal('hello-ok'),
  protocol: z.int(),
  server: z.object({version: z.string(), connId: z.string()}),
  features: z.object({methods: z.array(z.string()), events: z.array(z.string())}),
  snapshot: z.object({
    presence: z.array(PresenceEntrySchema),
    health: HealthSnapshotSchema,
    stateVersion: StateVersionSchema,
    uptimeMs: z.int().min(0),
    configPath: z.string().optional(),
    stateDir: z.string().optional(),
    authMode: z.enum(['token', 'password', 'none']).optional(),
    sessionDefaults: z.object({defaultAgentId: z.string(), mainKey: z.string(), mainSessionKey: z.string()}).optional(),
  }),
  auth: z.object({
    role: z.enum(['operator', 'node']),
    scopes: z.array(z.string()),
    method: AuthMethodSchema.optional(),
    deviceToken: z.string().optional(),
    issuedAtMs: z.int().optional(),
  }),
  policy: z.object({maxPayload: z.int(), maxBufferedBytes: z.int(), tickIntervalMs: z.int()}),
})
export type HelloOk = z.infer<typeof HelloOkSchema>

/** `shutdown` event payload (§7). */
export const ShutdownPayloadSchema = z.object({reason: z.string(), restartExpectedMs: z.int().optional()})
export type ShutdownPayload = z.infer<typeof ShutdownPayloadSchema>

/** `<path>: <message>` joined by `; ` (§3.2); a root issue is just its message. */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length === 0 ? issue.message : `${issue.path.map(String).join('.')}: ${issue.message}`))
    .join('; ')
}
