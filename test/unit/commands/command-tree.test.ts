import {describe, expect, it} from 'vitest'

import {COMMANDS} from '../../../src/commands.js'

type AnyCommand = {
  summary?: string
  description?: string
  examples?: unknown[]
  flags?: Record<string, {description?: string; hidden?: boolean}>
  baseFlags?: Record<string, {description?: string}>
  supportsJson?: boolean
}

const entries = Object.entries(COMMANDS as unknown as Record<string, AnyCommand>)

describe('the command tree', () => {
  it('has commands', () => {
    expect(entries.length).toBeGreaterThan(0)
  })

  it.each(entries)('%s has a summary, an example and described flags', (_id, command) => {
    expect(command.summary, 'summary').toMatch(/^[A-Z].{10,}/)
    expect(command.examples?.length ?? 0, 'examples').toBeGreaterThan(0)
    for (const [name, flag] of Object.entries({...command.baseFlags, ...command.flags})) {
      expect(flag.description, `--${name} needs a description`).toMatch(/\S{3,}/)
    }
  })

  it.each(entries)('%s offers --json unless it streams or never returns data', (_id, command) => {
    if (command.supportsJson === false) return
    expect(Object.keys(command.flags ?? {})).toContain('json')
  })
})
