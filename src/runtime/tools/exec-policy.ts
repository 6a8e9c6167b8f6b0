import path from 'node:path'

/** What the approval rules see in a command (runtime.md §8.8). */
export interface CommandAnalysis {
  /** Executable of each part, as written. */
  executables: string[]
  /** Every part's executable is a safe bin or allow-listed, with no `$(…)`, backticks or outside redirection. */
  matches: boolean
  /** Why the command is dangerous, when it is. */
  dangerous?: string
  /** Why it does not match, for the approval prompt and refusals. */
  missReason?: string
}

/** Splits on `|`, `&&`, `||`, `;` outside quotes. */
export function splitCommand(command: string): string[] {
  const parts: string[] = []
  let current = ''
  let quote: '"' | "'" | undefined
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]
    if (quote !== undefined) {
      if (ch === quote) quote = undefined
      else if (ch === '\\' && quote === '"') current += command[i++] ?? ''
      current += ch
      continue
    }
    if (ch === '"' || ch === "'") {
      quote = ch
      current += ch
      continue
    }
    if (ch === '\\') {
      current += ch + (command[++i] ?? '')
      continue
    }
    const two = command.slice(i, i + 2)
    if (two === '&&' || two === '||') {
      parts.push(current)
      current = ''
      i++
      continue
    }
    if (ch === '|' || ch === ';' || ch === '\n') {
      parts.push(current)
      current = ''
      continue
    }
    current += ch
  }
  parts.push(current)
  return parts.map((p) => p.trim()).filter((p) => p !== '')
}

/** Words of one part, quotes removed (enough for executable and flag checks). */
export function words(part: string): string[] {
  const out: string[] = []
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g
  let m: RegExpExecArray | null
  while ((m = re.exec(part)) !== null) out.push(m[1] ?? m[2] ?? m[3])
  return out
}

/** The executable of a part: skips `VAR=value` prefixes and `env`. */
function executableOf(tokens: string[]): {exe: string; args: string[]} {
  let i = 0
  while (i < tokens.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(tokens[i])) i++
  if (tokens[i] === 'env') i++
  return {exe: tokens[i] ?? '', args: tokens.slice(i + 1)}
}

function dangerOf(exe: string, args: string[], part: string): string | undefined {
  const base = path.basename(exe)
  if (base === 'sudo' || base === 'su' || base === 'doas') return `${base} runs as another user`
  if (base === 'rm' && args.some((a) => /^-[a-zA-Z]*[rRf]/.test(a) || a === '--recursive' || a === '--force')) return 'rm with -r or -f'
  if (base.startsWith('mkfs')) return 'mkfs formats a filesystem'
  if (base === 'dd' && args.some((a) => a.startsWith('of='))) return 'dd writing to a file or device'
  if (['shutdown', 'reboot', 'halt', 'poweroff'].includes(base)) return `${base} stops the machine`
  if ((base === 'chmod' || base === 'chown') && args.some((a) => /^-[a-zA-Z]*R/.test(a) || a === '--recursive')) return `recursive ${base}`
  if (/>\s*\/dev\/(sd|nvme|mmcblk)/.test(part)) return 'writes to a block device'
  return undefined
}

/** A redirection target outside the workspace (`> /etc/x`, `>> ../y`), if any. */
function outsideRedirect(part: string, workspace: string): string | undefined {
  const re = /(?:^|[^<>&0-9])\d?>>?\s*("([^"]*)"|'([^']*)'|[^\s;|&]+)/g
  let m: RegExpExecArray | null
  while ((m = re.exec(part)) !== null) {
    const target = m[2] ?? m[3] ?? m[1]
    if (target === '/dev/null' || target.startsWith('&')) continue
    const resolved = path.resolve(workspace, target)
    if (resolved !== workspace && !resolved.startsWith(workspace + path.sep)) return target
  }
  return undefined
}

/** Analyzes a shell command against the safe bins and the agent's allowlist (resolved paths or names). */
export function analyzeCommand(command: string, options: {safeBins: readonly string[]; allowlist?: readonly string[]; workspace: string}): CommandAnalysis {
  const parts = splitCommand(command)
  const executables: string[] = []
  let dangerous: string | undefined
  let missReason: string | undefined
  if (/\$\(|`/.test(command)) missReason = 'uses command substitution'
  if (/\b(curl|wget)\b[^|]*\|\s*(sudo\s+)?(ba|z|da)?sh\b/.test(command)) dangerous = 'pipes a download into a shell'
  for (const part of parts) {
    const {exe, args} = executableOf(words(part))
    executables.push(exe)
    dangerous ??= dangerOf(exe, args, part)
    const base = path.basename(exe)
    const listed = options.safeBins.includes(base) || (options.allowlist ?? []).some((entry) => entry === exe || entry === base || path.basename(entry) === base && entry === exe)
    if (!listed) missReason ??= `${base === '' ? 'an empty command' : `"${base}"`} is not a safe bin`
    const outside = outsideRedirect(part, options.workspace)
    if (outside !== undefined) missReason ??= `redirects to ${outside} outside the workspace`
  }
  if (parts.length === 0) missReason ??= 'empty command'
  return {executables, matches: missReason === undefined, dangerous, missReason}
}

export type ExecDecision = {action: 'run'} | {action: 'ask'; reason: string} | {action: 'deny'; reason: string}

/**
 * The decision table of runtime.md §8.8: `deny` refuses all; `allowlist` runs matches that are
 * not dangerous and otherwise asks (refuses with `ask: off`); `full` runs everything unless
 * `ask: always`. `ask: always` asks for every command under any security but `deny`.
 */
export function decideExec(security: 'deny' | 'allowlist' | 'full', ask: 'off' | 'on-miss' | 'always', analysis: CommandAnalysis, allowedAlways = false): ExecDecision {
  if (security === 'deny') return {action: 'deny', reason: 'exec is disabled (tools.exec.security is deny)'}
  const why = analysis.dangerous ?? analysis.missReason ?? 'approval required'
  if (ask === 'always' && !allowedAlways) return {action: 'ask', reason: 'tools.exec.ask is always'}
  if (security === 'full') return {action: 'run'}
  if (allowedAlways || (analysis.matches && analysis.dangerous === undefined)) return {action: 'run'}
  if (ask === 'off') return {action: 'deny', reason: why}
  return {action: 'ask', reason: why}
}
