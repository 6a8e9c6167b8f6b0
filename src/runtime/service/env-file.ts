import {AppError} from '../errors/app-error.js'

/**
 * The service env file (operations.md §4.4 step 3): created with a comment header, the invoking
 * shell's proxy variables and NODE_EXTRA_CA_CERTS; `--env KEY=VALUE` upserts a line; every other
 * line (the user's own) is kept as it is. Secrets never go here: the token lives in the config.
 */
export const PASSTHROUGH_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'NODE_EXTRA_CA_CERTS'] as const

const HEADER = [
  '# Environment of the gateway service (written by: openclaw gateway install).',
  '# One KEY=VALUE per line; your own lines are kept on re-install. Restart to apply: openclaw gateway restart',
]

/** Parses `--env KEY=VALUE` flags; USAGE for a malformed one. */
export function parseEnvAssignments(values: readonly string[]): Array<[string, string]> {
  return values.map((item) => {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(item)
    if (match === null || /[\r\n]/.test(match[2]!)) {
      throw new AppError('USAGE', `--env ${JSON.stringify(item)}: expected KEY=VALUE on one line`, {hint: ['openclaw gateway install --env HTTPS_PROXY=http://proxy:3128']})
    }
    return [match[1]!, match[2]!]
  })
}

/** Renders the env file from what exists (null = none yet). Returns the existing text unchanged when nothing is added. */
export function renderEnvFile(existing: string | null, options: {shellEnv: Readonly<Record<string, string | undefined>>; upserts: ReadonlyArray<readonly [string, string]>}): string {
  const lines = existing === null ? [...HEADER] : existing.replace(/\n$/, '').split('\n')
  const set = (key: string, value: string) => {
    const line = `${key}=${quoteEnvValue(value)}`
    const at = lines.findIndex((l) => l.trimStart().startsWith(`${key}=`))
    if (at >= 0) lines[at] = line
    else lines.push(line)
  }
  if (existing === null) {
    for (const key of PASSTHROUGH_VARS) {
      const value = options.shellEnv[key]
      if (value !== undefined && value !== '' && !/[\r\n]/.test(value)) set(key, value)
    }
  }
  for (const [key, value] of options.upserts) set(key, value)
  const text = lines.join('\n') + '\n'
  return existing !== null && text === (existing.endsWith('\n') ? existing : existing + '\n') ? existing : text
}

function quoteEnvValue(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]*$/.test(value) ? value : `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}
