import {COMMANDS} from './commands.js'
import {renderConfigReference} from './runtime/config/schema/reference-doc.js'

/**
 * The generated parts of the README: the command reference (from the command classes) and the
 * config reference (from the zod schema). `npm run docs` writes them between the
 * `<!-- BEGIN/END GENERATED:* -->` markers; a unit test fails when the README is stale.
 */

interface DocFlag {
  description?: string
  char?: string
  type?: string
  options?: readonly string[]
  default?: unknown
  hidden?: boolean
  helpGroup?: string
}
interface DocArg {
  description?: string
  required?: boolean
}
interface DocCommand {
  summary?: string
  description?: string
  examples?: readonly string[]
  flags?: Record<string, DocFlag>
  args?: Record<string, DocArg>
  hidden?: boolean
}

function flagUsage(name: string, flag: DocFlag): string {
  const value = flag.type === 'option' ? (flag.options ? ` ${flag.options.join('|')}` : ' <value>') : ''
  return `${flag.char ? `-${flag.char}, ` : ''}--${name}${value}`
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

export function renderCommandReference(): string {
  const commands = Object.entries(COMMANDS as unknown as Record<string, DocCommand>)
    .filter(([, c]) => !c.hidden)
    .sort(([a], [b]) => a.localeCompare(b))
  const out: string[] = []
  for (const [id, command] of commands) {
    const words = id.split(':').join(' ')
    const args = Object.entries(command.args ?? {}).map(([name, arg]) => (arg.required ? `<${name}>` : `[${name}]`))
    out.push(`### \`openclaw ${[words, ...args].join(' ')}\``, '', command.summary ?? '', '')
    if (command.description) out.push(command.description, '')
    const flags = Object.entries(command.flags ?? {}).filter(([, f]) => !f.hidden && f.helpGroup !== 'GLOBAL')
    if (flags.length > 0) {
      out.push('| flag | description |', '|---|---|')
      for (const [name, flag] of flags) {
        const dflt = flag.default === undefined || typeof flag.default === 'function' ? '' : ` (default: ${JSON.stringify(flag.default)})`
        out.push(`| \`${flagUsage(name, flag)}\` | ${escapeCell((flag.description ?? '') + dflt)} |`)
      }
      out.push('')
    }
    for (const example of command.examples ?? []) out.push('```sh', example.replace(/<%= config.bin %>/g, 'openclaw'), '```')
    out.push('')
  }
  return out.join('\n').trimEnd() + '\n'
}

/** Replaces each generated section of `readme` with fresh content. */
export function updateReadme(readme: string, sections: Record<string, string>): string {
  let result = readme
  for (const [name, content] of Object.entries(sections)) {
    const begin = `<!-- BEGIN GENERATED:${name} -->`
    const end = `<!-- END GENERATED:${name} -->`
    const start = result.indexOf(begin)
    const stop = result.indexOf(end)
    if (start === -1 || stop === -1) throw new Error(`README is missing the ${begin} … ${end} markers`)
    result = result.slice(0, start + begin.length) + '\n' + content + result.slice(stop)
  }
  return result
}

export function generatedReadmeSections(): Record<string, string> {
  return {commands: renderCommandReference(), config: renderConfigReference()}
}
