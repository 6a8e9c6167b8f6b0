/**
 * Usage errors in the house format (operations.md §1.3): oclif's parser messages rewritten as one
 * line, a did-you-mean for mistyped commands and flags, and hints that are complete command lines.
 * Pure: the command tree and argv come in, an AppError goes out.
 */
import {AppError} from '../runtime/errors/app-error.js'
import {closestKey} from '../runtime/config/schema/suggest.js'

/** What a usage error needs to know about the command that failed to parse. */
export interface CommandShape {
  /** oclif id with ":" (`config:get`). */
  id: string
  flags: Record<string, {char?: string; hidden?: boolean}>
  args?: Record<string, unknown>
}

/** Flags every invocation accepts (lifted by bin/run.js, or handled by oclif). */
export const ROOT_FLAGS = ['--help', '--version', '--profile', '--dev', '--log-level', '--no-color', '--debug']

/** `config:get` + args → `openclaw config get <path> [flags]`. */
export function usageLine(command: CommandShape): string {
  const args = Object.keys(command.args ?? {}).map((a) => `<${a}>`)
  return ['openclaw', ...command.id.split(':'), ...args, '[flags]'].join(' ')
}

/**
 * An oclif parse error (duck-typed: `flags` for unknown flags, the message otherwise) as a USAGE
 * AppError naming the command, with `Did you mean --<flag>?` when a known flag is close.
 */
export function parseErrorToUsage(error: {message: string; flags?: unknown}, command: CommandShape, argv: readonly string[]): AppError {
  const words = command.id.split(':').join(' ')
  const help = `See the usage: ${usageLine(command)}  (every flag: openclaw ${words} --help)`
  if (Array.isArray(error.flags) && error.flags.length > 0) {
    const known = Object.entries(command.flags).filter(([, f]) => !f.hidden).map(([name]) => `--${name}`)
    const unknown = error.flags.map(String)
    const fixes = new Map<string, string>()
    for (const flag of unknown) {
      const name = flag.replace(/=.*$/, '')
      const match = name.startsWith('--') ? closestKey(name, known) : undefined
      if (match !== undefined) fixes.set(name, match)
    }
    const means = [...fixes.values()].map((f) => `Did you mean ${f}?`).join(' ')
    const message = `unknown flag${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} for openclaw ${words}${means === '' ? '' : `. ${means}`}`
    // The line as typed with each typo replaced (or dropped when the right flag is there too).
    const fixed = argv.flatMap((a) => {
      const fix = fixes.get(a.replace(/=.*$/, ''))
      if (fix === undefined) return [a]
      return argv.includes(fix) ? [] : [fix + a.slice(a.replace(/=.*$/, '').length)]
    })
    const corrected = fixes.size === 0 ? [] : [['openclaw', ...command.id.split(':'), ...fixed].join(' ')]
    return new AppError('USAGE', message, {hint: [...corrected, help], details: {unknownFlags: unknown, suggestions: Object.fromEntries(fixes)}})
  }
  return new AppError('USAGE', `${tidyParserMessage(error.message)} (openclaw ${words})`, {hint: [help]})
}

/**
 * oclif's raw texts as one line: `Parsing --timeout \n\tExpected an integer but received: abc`
 * → `--timeout: expected an integer but received: abc`; `The following error occurred: …` → the reasons.
 */
export function tidyParserMessage(raw: string): string {
  // eslint-disable-next-line no-control-regex
  const text = raw.replace(/\u001b\[[0-9;]*m/g, '').replace(/\s*See more help with --help\s*$/, '')
  const parsing = /^Parsing (--[\w-]+)\s*\n\s*([\s\S]*)$/.exec(text)
  if (parsing) return `${parsing[1]}: ${lowerFirst(oneLine(parsing[2]))}`
  const exclusive = /^(--[\w-]+)=\S* cannot also be provided when using (--[\w-]+)$/.exec(oneLine(text.replace(/^The following errors? occurred:\s*/, '')))
  if (exclusive) return `${exclusive[1]} and ${exclusive[2]} can't be combined`
  const following = /^The following errors? occurred:\s*([\s\S]*)$/.exec(text)
  if (following) return following[1].split('\n').map((l) => l.trim()).filter(Boolean).map(lowerFirst).join('; ')
  const missing = /^Missing (\d+) required args?:\s*\n([\s\S]*)$/.exec(text)
  if (missing) {
    const names = missing[2].split('\n').map((l) => l.trim().split(/\s+/)[0]).filter(Boolean)
    return `missing argument${names.length === 1 ? '' : 's'}: ${names.map((n) => `<${n.toLowerCase()}>`).join(' ')}`
  }
  return lowerFirst(oneLine(text))
}

/**
 * `openclaw confg get x` / `openclaw config gte` / `openclaw --jsn`: a USAGE error that names what
 * is unknown and, when a command or flag is close, `Did you mean openclaw <cmd>?` with the
 * corrected line as the first hint. `ids` are the command tree's ids (`config:get`).
 */
export function unknownCommandToUsage(argv: readonly string[], ids: readonly string[]): AppError {
  const words = argv.filter((a) => !a.startsWith('-'))
  if (argv.length > 0 && argv[0].startsWith('-') && argv[0] !== '--') return unknownRootFlag(argv)
  // The longest known prefix of the words (a topic or command), then the first unknown word.
  const prefixes = new Set(ids.flatMap((id) => id.split(':').map((_, i, all) => all.slice(0, i + 1).join(':'))))
  let depth = 0
  while (depth < words.length && prefixes.has(words.slice(0, depth + 1).join(':'))) depth++
  const known = words.slice(0, depth)
  const bad = words[depth] ?? ''
  const siblings = [...prefixes].filter((p) => p.split(':').length === depth + 1 && p.startsWith(known.length === 0 ? '' : known.join(':') + ':')).map((p) => p.split(':')[depth])
  const match = closestKey(bad, siblings)
  const topicHelp = known.length > 0 ? `See the commands of this topic: openclaw ${known.join(' ')} --help` : 'See every command: openclaw --help'
  const shown = ['openclaw', ...words.slice(0, depth + 1)].join(' ')
  if (match === undefined) return new AppError('USAGE', `unknown command: ${shown}`, {hint: [topicHelp]})
  const fixed = [...known, match]
  const corrected = ['openclaw', ...argv.map((a, i) => (i === argv.indexOf(bad) ? match : a))].join(' ')
  return new AppError('USAGE', `unknown command: ${shown}. Did you mean openclaw ${fixed.join(' ')}?`, {
    hint: [corrected, topicHelp],
    details: {suggestion: fixed.join(' ')},
  })
}

function unknownRootFlag(argv: readonly string[]): AppError {
  const flag = argv[0].replace(/=.*$/, '')
  const match = closestKey(flag, [...ROOT_FLAGS, '--json'])
  if (match === '--json') {
    return new AppError('USAGE', `unknown flag ${flag} before a command. Did you mean --json? It goes with a command`, {hint: ['openclaw status --json', 'See every command: openclaw --help']})
  }
  const means = match === undefined ? '' : `. Did you mean ${match}?`
  const hint = match === undefined ? [] : [['openclaw', match, ...argv.slice(1)].join(' ')]
  return new AppError('USAGE', `unknown flag ${flag}${means}`, {hint: [...hint, 'See every command and the global flags: openclaw --help']})
}

function oneLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).join(' ')
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text
}
