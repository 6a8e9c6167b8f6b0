/** Routing (runtime.md §3, §4): pure functions from an inbound envelope to agent and session key. */
export type {InboundEnvelope, InboundMessage, MediaRef, Peer, PeerKind} from './envelope.js'
export {normalizeAccountId, normalizeAgentId, normalizeChannel, normalizeIdToken} from './normalize.js'
export {defaultAccountId, defaultAgentId, resolveRoute, type MatchedBy, type Route, type RouteInput, type RoutingConfig} from './resolve-route.js'
export {agentIdOfSessionKey, buildSessionKey, canonicalSessionKey, GLOBAL_SESSION_KEY, mainSessionKey, topicOfSessionKey, type DmScope, type SessionKeySettings} from './session-key.js'
