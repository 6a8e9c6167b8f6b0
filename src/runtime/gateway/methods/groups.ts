/**
 * The method groups this build serves, in `hello-ok.features.methods` order. Adding a group is
 * one line here (config.*, logs.tail and phase 2 groups plug in the same way).
 */
import {MethodRegistry, type MethodDefinition} from '../server/registry.js'
import {configMethods} from './config.js'
import {healthMethods} from './health.js'
import {logsMethods} from './logs.js'
import {presenceMethods} from './presence.js'
import {statusMethods} from './status.js'

export const PHASE1_METHOD_GROUPS: ReadonlyArray<readonly MethodDefinition[]> = [
  healthMethods,
  statusMethods,
  presenceMethods,
  logsMethods,
  configMethods,
]

/** A registry of the phase-1 groups plus `extra` ones; throws DuplicateMethodError on a clash. */
export function createMethodRegistry(extra: ReadonlyArray<readonly MethodDefinition[]> = []): MethodRegistry {
  return new MethodRegistry([...PHASE1_METHOD_GROUPS, ...extra])
}
