/** Terminal rendering of an agent run: one compact line per tool call, the streamed text as is. */
import type {RunObserver} from '../runtime/agents/run/run-events.js'
import {paint} from './style.js'

/** `→ exec {"command":"echo hi"}` at start; `✗ exec: <error>` when a result is an error. Args cut at 80 chars. */
export function toolLine(event: Parameters<RunObserver>[0]): string | null {
  if (event.kind !== 'tool') return null
  if (event.phase === 'start') {
    const args = JSON.stringify(event.args ?? {})
    return paint.dim(`→ ${event.name} ${args.length > 80 ? `${args.slice(0, 79)}…` : args}`)
  }
  if (event.isError === true) return paint.dim(`✗ ${event.name}: ${(event.result ?? '').split('\n')[0].slice(0, 120)}`)
  return null
}

/** An observer that streams text to `out` and tool lines to `err`; `finish()` ends the reply line. */
export function streamPrinter(out: NodeJS.WritableStream, err: NodeJS.WritableStream): {observer: RunObserver; finish(): void; printed(): boolean} {
  let printed = ''
  let midLine = false
  return {
    observer: (event) => {
      if (event.kind === 'text') {
        // A retry replaced the text: start the reply again on a fresh line.
        if (event.replace && printed !== '') {
          out.write('\n')
          printed = ''
        }
        out.write(event.delta)
        printed += event.delta
        midLine = !printed.endsWith('\n')
        return
      }
      if (event.kind === 'fallback') {
        if (midLine) out.write('\n')
        midLine = false
        // Same text as run-events' fallbackNotice (§8.4); ui may not import runtime values eagerly.
        err.write(`↪️ Model fallback: ${event.to} (selected ${event.selected}; ${event.reason})\n`)
        return
      }
      const line = toolLine(event)
      if (line === null) return
      if (midLine) out.write('\n')
      midLine = false
      err.write(line + '\n')
    },
    finish: () => {
      if (midLine) out.write('\n')
    },
    printed: () => printed !== '',
  }
}
