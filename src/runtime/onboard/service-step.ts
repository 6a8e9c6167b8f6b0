import {isAppError} from '../errors/app-error.js'
import type {ResolvedPaths} from '../paths.js'
import {installGatewayService} from '../service/install.js'

/** What onboarding's service step did. */
export interface ServiceStepResult {
  installed: boolean
  path: string | null
  warning?: string
}

export interface ServiceStepOptions {
  paths: ResolvedPaths
  env: NodeJS.ProcessEnv
  version: string
  packageRoot: string
  memoryMax?: string
  interactive: boolean
  /** Seconds to wait for the started gateway to be ready (0 with --skip-health). */
  waitSeconds: number
}

/**
 * Step 9: the one call onboarding makes into `runtime/service/` (`installGatewayService`, the
 * same steps as `gateway install`). A machine without a service manager is not an error here:
 * the wizard says how to run the gateway in the foreground instead. Other failures throw (exit 1;
 * the config written before stays).
 */
export async function installServiceStep(options: ServiceStepOptions): Promise<ServiceStepResult> {
  try {
    const result = await installGatewayService({
      paths: options.paths, env: options.env, version: options.version, packageRoot: options.packageRoot,
      memoryMax: options.memoryMax, interactive: options.interactive, waitSeconds: options.waitSeconds,
    })
    return {installed: true, path: result.unitPath}
  } catch (error) {
    if (isAppError(error) && error.code === 'SERVICE_UNSUPPORTED') {
      return {installed: false, path: null, warning: `${error.message}; run the gateway in the foreground instead: openclaw gateway run`}
    }
    throw error
  }
}
