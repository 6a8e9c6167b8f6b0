/** Finds `openclaw <words>` command mentions in source or Markdown text (test support for hint-commands.test.ts). */

export interface Mention {
  line: number
  text: string
  exists: boolean
}

/** Words after "openclaw" that start prose, not a command ("another openclaw process", "openclaw writes"). */
const PROSE = new Set(['process', 'version', 'writes', 'uses', 'reports', 'or', 'cannot', 'is', 'and', 'reads', 'speaks', 'gateways', 'keeps', 'itself', 'does', 'has', 'will', 'can', 'runs', 'prints', 'never', 'the', 'a', 'to', 'in', 'on', 'at', 'from', 'package', 'manifest', 'needs'])
/** Topic + word pairs that are prose ("an openclaw backup archive", "the openclaw gateway service"). */
const PROSE_PAIRS = new Set(['backup archive', 'gateway service'])
/** Global flags taking a value, skipped with it before the command words. */
const VALUE_FLAGS = new Set(['--profile', '--log-level'])

/**
 * Every `openclaw` followed by command words. A mention exists when its first word is a command
 * or topic and, for a topic, its next plain word (if any) makes a command of the tree; arguments
 * after a complete command are not judged. Comment lines in TypeScript are skipped.
 */
export function commandMentions(text: string, ids: readonly string[]): Mention[] {
  const idSet = new Set(ids)
  const topics = new Set(ids.filter((id) => id.includes(':')).map((id) => id.split(':')[0]))
  const out: Mention[] = []
  text.split('\n').forEach((lineText, index) => {
    if (/^\s*(\/\/|\*|\/\*\*)/.test(lineText)) return
    for (const match of lineText.matchAll(/(?<![\w./-])openclaw((?: +[^\s`'"),;]+)*)/g)) {
      const tokens = match[1].trim().split(/ +/).map((t) => t.replace(/[.:!?]+$/, '')).filter(Boolean)
      let i = 0
      while (i < tokens.length && tokens[i].startsWith('-')) i += VALUE_FLAGS.has(tokens[i]) ? 2 : 1
      const first = tokens[i]
      if (first === undefined || !/^[a-z][a-z-]*$/.test(first) || PROSE.has(first)) continue
      const second = tokens[i + 1]
      if (PROSE_PAIRS.has(`${first} ${second}`)) continue
      let exists: boolean
      if (idSet.has(first) && !topics.has(first)) exists = true
      else if (topics.has(first)) exists = second === undefined || !/^[a-z][a-z-]*$/.test(second) || idSet.has(`${first}:${second}`) || (first === 'gateway' && second.startsWith('-'))
      else exists = false
      out.push({line: index + 1, text: `openclaw ${tokens.slice(0, i + 2).join(' ')}`.trim(), exists})
    }
  })
  return out
}
