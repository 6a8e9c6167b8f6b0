/**
 * Shell completion scripts for `openclaw completion bash|zsh|fish`, generated from the command
 * tree (every command, its flags) and the config schema (paths for `config get|set|unset`), so a
 * new command or config key completes without touching this file. Pure: data in, text out.
 */

export type Shell = 'bash' | 'zsh' | 'fish'
export const SHELLS: readonly Shell[] = ['bash', 'zsh', 'fish']

export interface CompletionData {
  /** Commands as typed: `config get`, `status`; with their non-hidden flags (`--json`). */
  commands: Array<{words: string; summary: string; flags: string[]}>
  /** Flags every command accepts (`--profile`, `--help`, …); the ones taking a value in `valueFlags`. */
  globalFlags: string[]
  valueFlags: string[]
  /** Config paths offered as the first argument of these commands. */
  configPaths: string[]
  configPathCommands: string[]
}

export function completionScript(shell: Shell, data: CompletionData): string {
  if (shell === 'fish') return fishScript(data)
  const bash = bashFunction(data)
  if (shell === 'bash') return `# openclaw completion for bash. Load it: source <(openclaw completion bash)\n${bash}complete -F _openclaw_complete openclaw\n`
  // zsh runs the same function through its bash-completion layer.
  return [
    '#compdef openclaw',
    '# openclaw completion for zsh. Load it: source <(openclaw completion zsh)',
    '(( $+functions[compdef] )) || { autoload -U +X compinit && compinit }',
    'autoload -U +X bashcompinit && bashcompinit',
    bash + 'complete -F _openclaw_complete openclaw',
    '',
  ].join('\n')
}

/** Single-quoted for sh: nothing inside is expanded. */
function q(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`
}

function bashFunction(data: CompletionData): string {
  const flagCases = data.commands.map((c) => `    ${q(c.words)}) _openclaw_words=(${c.flags.map(q).join(' ')}) ;;`)
  return `_openclaw_commands=(${data.commands.map((c) => q(c.words)).join(' ')})
_openclaw_config_paths=(${data.configPaths.map(q).join(' ')})
_openclaw_flags_of() {
  case "$1" in
${flagCases.join('\n')}
    *) _openclaw_words=() ;;
  esac
  _openclaw_words+=(${data.globalFlags.map(q).join(' ')})
}
_openclaw_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" skip=0 i w c line cmd=""
  local -a typed=() candidates=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    if ((skip)); then skip=0; continue; fi
    case "$w" in
      ${data.valueFlags.join('|')}) skip=1 ;;
      -*) ;;
      *) typed+=("$w") ;;
    esac
  done
  line="\${typed[*]}"
  for c in "\${_openclaw_commands[@]}"; do
    if [[ "$line" == "$c" || "$line" == "$c "* ]] && ((\${#c} > \${#cmd})); then cmd="$c"; fi
  done
  if [[ "$cur" == -* ]]; then
    _openclaw_flags_of "$cmd"
    candidates=("\${_openclaw_words[@]}")
  elif [[ -n "$cmd" ]]; then
    local -a cmdwords=($cmd)
    case "$cmd" in
      ${data.configPathCommands.map(q).join('|')}) ((\${#typed[@]} == \${#cmdwords[@]})) && candidates=("\${_openclaw_config_paths[@]}") ;;
    esac
  else
    for c in "\${_openclaw_commands[@]}"; do
      if [[ -z "$line" ]]; then candidates+=("\${c%% *}")
      elif [[ "$c" == "$line "* ]]; then w="\${c#"$line "}"; candidates+=("\${w%% *}"); fi
    done
  fi
  COMPREPLY=()
  for c in "\${candidates[@]}"; do
    if [[ "$c" == "$cur"* ]] && [[ " \${COMPREPLY[*]} " != *" $c "* ]]; then COMPREPLY+=("$c"); fi
  done
}
`
}

function fishScript(data: CompletionData): string {
  const lines = ['# openclaw completion for fish. Load it: openclaw completion fish | source', 'complete -c openclaw -f']
  const topics = new Map<string, string>()
  for (const c of data.commands) {
    const [first] = c.words.split(' ')
    if (!topics.has(first)) topics.set(first, c.words === first ? c.summary : `${first} commands`)
  }
  for (const [word, summary] of topics) lines.push(`complete -c openclaw -n __fish_use_subcommand -a ${fq(word)} -d ${fq(summary)}`)
  for (const c of data.commands) {
    const words = c.words.split(' ')
    const seen = words.slice(0, -1).map((w) => `__fish_seen_subcommand_from ${w}`)
    if (words.length > 1) lines.push(`complete -c openclaw -n ${fq(`${seen.join('; and ')}; and not __fish_seen_subcommand_from ${words[words.length - 1]}`)} -a ${fq(words[words.length - 1])} -d ${fq(c.summary)}`)
    const here = words.map((w) => `__fish_seen_subcommand_from ${w}`).join('; and ')
    for (const flag of c.flags) lines.push(`complete -c openclaw -n ${fq(here)} -l ${fq(flag.replace(/^--/, ''))}`)
    if (data.configPathCommands.includes(c.words)) lines.push(`complete -c openclaw -n ${fq(here)} -a ${fq(data.configPaths.join(' '))}`)
  }
  for (const flag of data.globalFlags) if (flag.startsWith('--')) lines.push(`complete -c openclaw -l ${fq(flag.slice(2))}${data.valueFlags.includes(flag) ? ' -r' : ''}`)
  return lines.join('\n') + '\n'
}

/** Single-quoted for fish, where \\ and \' are the escapes inside single quotes. */
function fq(text: string): string {
  return `'${text.replace(/[\\']/g, '\\$&')}'`
}
