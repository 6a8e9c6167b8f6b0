/** Extracts the runnable shell of README.md (test support for readme-examples.e2e.ts). */

/**
 * A line marked `# needs: model` (a model API), `# needs: network` (Telegram/internet), `# needs: terminal`
 * (an interactive TTY) or `# needs: service-manager` (systemd/launchd) is skipped: it cannot run on a
 * fresh, offline, headless test machine.
 */
const NEEDS = /#\s*needs:\s*(model|network|terminal|service-manager)\b/

/**
 * `quickStart`: the ```sh blocks of "## Quick start", each as its command lines; `examples`: every
 * line of the ```sh blocks in the generated command reference. Comment-only lines and marked lines
 * are dropped; a trailing `# comment` stays (bash ignores it).
 */
export function readmeBlocks(readme: string): {quickStart: string[][]; examples: string[]} {
  const section = (title: string, end: RegExp) => {
    const start = readme.indexOf(title)
    if (start === -1) return ''
    const rest = readme.slice(start + title.length)
    const stop = rest.search(end)
    return stop === -1 ? rest : rest.slice(0, stop)
  }
  const blocks = (text: string) =>
    [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) =>
      m[1]
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#') && !NEEDS.test(l)),
    )
  return {
    quickStart: blocks(section('## Quick start', /\n## /)).filter((b) => b.length > 0),
    examples: blocks(section('<!-- BEGIN GENERATED:commands -->', /<!-- END GENERATED:commands -->/)).flat(),
  }
}
