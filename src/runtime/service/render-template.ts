/**
 * Fills `{{name}}` placeholders. A placeholder alone on its line takes a list of lines: each
 * becomes a line with the same indentation, and an empty list removes the line. Unknown or
 * unused placeholders throw, so a template and its renderer cannot drift apart silently.
 */
export function fillTemplate(template: string, values: Readonly<Record<string, string | readonly string[]>>): string {
  const used = new Set<string>()
  const lookup = (name: string): string | readonly string[] => {
    const value = values[name]
    if (value === undefined) throw new Error(`template placeholder {{${name}}} has no value`)
    used.add(name)
    return value
  }
  const out: string[] = []
  for (const line of template.split('\n')) {
    const whole = /^(\s*)\{\{(\w+)\}\}$/.exec(line)
    if (whole !== null) {
      const value = lookup(whole[2]!)
      for (const item of typeof value === 'string' ? [value] : value) out.push(whole[1] + item)
      continue
    }
    out.push(
      line.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
        const value = lookup(name)
        if (typeof value !== 'string') throw new Error(`template placeholder {{${name}}} takes a list and must stand alone on its line`)
        return value
      }),
    )
  }
  const unused = Object.keys(values).filter((name) => !used.has(name))
  if (unused.length > 0) throw new Error(`template has no placeholder for ${unused.join(', ')}`)
  return out.join('\n')
}
