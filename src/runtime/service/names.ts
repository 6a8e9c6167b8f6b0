import {envValue, type Env} from '../paths.js'

/** Unit name, launchd label and Description of the gateway service (operations.md §4.2). */
export interface ServiceNames {
  unitName: string
  label: string
  description: string
}

/** Names for a profile (null = default); OPENCLAW_SYSTEMD_UNIT / OPENCLAW_LAUNCHD_LABEL override. */
export function serviceNames(profile: string | null, env: Env): ServiceNames {
  const unitOverride = envValue(env, 'OPENCLAW_SYSTEMD_UNIT')?.trim()
  const labelOverride = envValue(env, 'OPENCLAW_LAUNCHD_LABEL')?.trim()
  const defaultUnit = profile === null ? 'openclaw-gateway.service' : `openclaw-gateway-${profile}.service`
  return {
    unitName: unitOverride === undefined ? defaultUnit : unitOverride.endsWith('.service') ? unitOverride : `${unitOverride}.service`,
    label: labelOverride ?? (profile === null ? 'ai.openclaw.gateway' : `ai.openclaw.${profile}`),
    description: profile === null ? 'OpenClaw Gateway' : `OpenClaw Gateway (profile: ${profile})`,
  }
}

/** `openclaw-gateway.service` -> `openclaw-gateway` (journalctl -u, the system env file name). */
export function unitBaseName(unitName: string): string {
  return unitName.replace(/\.service$/, '')
}
