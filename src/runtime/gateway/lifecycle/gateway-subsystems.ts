/**
 * The subsystems this build runs, in start order. Adding a capability is one entry here plus its
 * folder under `runtime/`; nothing in `server/` changes.
 */
import type {Config} from '../../config/schema/index.js'
import type {GatewaySubsystem} from './subsystem.js'

/** The subsystems for a gateway started with `config`. */
export function gatewaySubsystems(_config: Config): GatewaySubsystem[] {
  return []
}
