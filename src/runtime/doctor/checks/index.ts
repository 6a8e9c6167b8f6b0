import type {DoctorCheck} from '../doctor-check.js'
import {legacyAgentDirCheck} from '../migrations/legacy-agent-dir.js'
import {legacyConfigKeysCheck} from '../migrations/legacy-config-keys.js'
import {legacyCredentialsCheck} from '../migrations/legacy-credentials.js'
import {legacySessionsCheck} from '../migrations/legacy-sessions.js'
import {legacyStateCheck} from '../migrations/legacy-state-dir.js'
import {channelsTelegramCheck} from './channels-telegram.js'
import {configEnvRefsCheck} from './config-env-refs.js'
import {configGatewayModeCheck} from './config-gateway-mode.js'
import {configParseCheck} from './config-parse.js'
import {configSchemaCheck} from './config-schema.js'
import {gatewayAuthCheck} from './gateway-auth.js'
import {gatewayReachabilityCheck} from './gateway-reachability.js'
import {logsDirCheck} from './logs-dir.js'
import {modelsAuthCheck} from './models-auth.js'
import {runtimeNode} from './runtime-node.js'
import {serviceLingerCheck, serviceUnitCheck} from './service.js'
import {sessionsStoreCheck} from './sessions-store.js'
import {gatewayLockCheck, sessionsLocksCheck} from './stale-locks.js'
import {staleTempsCheck} from './stale-temps.js'
import {stateDirCheck} from './state-dir.js'
import {statePermissionsCheck} from './state-permissions.js'
import {workspaceCheck} from './workspace.js'

/**
 * The checks in the order of operations.md §5.2, except that `state.permissions` runs after the
 * migrations that move files (issue 8), so one `--fix` settles every mode and a second run finds
 * nothing. A new check is one file plus one line here.
 */
export const DOCTOR_CHECKS: readonly DoctorCheck[] = [
  runtimeNode,
  stateDirCheck,
  legacyStateCheck,
  configParseCheck,
  legacyConfigKeysCheck,
  configEnvRefsCheck,
  configSchemaCheck,
  configGatewayModeCheck,
  gatewayAuthCheck,
  legacySessionsCheck,
  legacyAgentDirCheck,
  legacyCredentialsCheck,
  sessionsStoreCheck,
  sessionsLocksCheck,
  gatewayLockCheck,
  staleTempsCheck,
  statePermissionsCheck,
  workspaceCheck,
  modelsAuthCheck,
  channelsTelegramCheck,
  serviceUnitCheck,
  serviceLingerCheck,
  gatewayReachabilityCheck,
  logsDirCheck,
]
