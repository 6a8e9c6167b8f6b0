/** What onboarding's service step did. */
export interface ServiceStepResult {
  installed: boolean
  path: string | null
  warning?: string
}

/**
 * Step 9: installs the gateway service through `installGatewayService` of `runtime/service/`
 * (the one call onboarding makes). Until that module is part of this build, it reports how to
 * run the gateway instead.
 */
export async function installServiceStep(_options: {memoryMax?: string}): Promise<ServiceStepResult> {
  return {installed: false, path: null, warning: 'service install is not part of this build yet; run the gateway with: openclaw gateway run'}
}
