/**
 * The terminal side of `openclaw chat`: a readline prompt, one turn per line, the reply streamed
 * to stdout. Chat commands (/new, /status, …) go to the runtime as messages; only /exit is ours.
 * On a TTY, Ctrl-C aborts the running turn, a second Ctrl-C (or one at an empty prompt) exits.
 * Without a TTY the lines of stdin are answered one after the other (scriptable).
 */
import {createInterface} from 'node:readline'

import type {RunObserver} from '../runtime/agents/run/run-events.js'
import {isAppError} from '../runtime/errors/app-error.js'
import {streamPrinter} from './render-agent.js'
import {renderErrorText} from './render-error.js'

export type ChatTurn = (message: string, observer: RunObserver, signal: AbortSignal) => Promise<{text: string; status: string; summary: string}>

export interface ChatLoopOptions {
  input: NodeJS.ReadableStream & {isTTY?: boolean}
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream
  /** Aborted by the process (SIGINT outside raw mode, a closed stdout): abort the turn and exit. */
  signal: AbortSignal
  turn: ChatTurn
}

const HELP = 'Type a message and press Enter. /exit or Ctrl-D quits; Ctrl-C aborts a running reply. Chat commands (/new, /reset, /status, /model, /help) go to the agent.\n'

/** Resolves when the conversation ends; `failed` counts turns that ended in an error. */
export function runChatLoop(options: ChatLoopOptions): Promise<{turns: number; failed: number}> {
  const {input, stdout, stderr} = options
  const tty = input.isTTY === true
  const rl = createInterface({input, output: tty ? stderr : undefined, terminal: tty, prompt: 'you> '})
  const queue: string[] = []
  const stats = {turns: 0, failed: 0}
  let turnAbort: AbortController | undefined
  let interrupted = false
  let inputClosed = false
  let done = false
  if (tty) stderr.write(HELP)

  return new Promise((resolve) => {
    const finish = () => {
      if (done) return
      done = true
      turnAbort?.abort()
      options.signal.removeEventListener('abort', finish)
      rl.close()
      if (turnAbort === undefined) resolve(stats)
    }

    const runTurn = async (message: string) => {
      turnAbort = new AbortController()
      interrupted = false
      const printer = streamPrinter(stdout, stderr)
      stats.turns++
      try {
        const result = await options.turn(message, printer.observer, turnAbort.signal)
        if (!printer.printed() && result.text !== '') stdout.write(result.text.endsWith('\n') ? result.text : result.text + '\n')
        printer.finish()
        if (result.status === 'timeout') stderr.write(`⏱️ Timed out (${result.summary}).\n`)
        else if (turnAbort.signal.aborted || result.status === 'aborted') stderr.write('⏹ Aborted.\n')
      } catch (error) {
        printer.finish()
        if (turnAbort.signal.aborted) stderr.write('⏹ Aborted.\n')
        else {
          stats.failed++
          stderr.write(isAppError(error) ? renderErrorText(error) : `Error: ${error instanceof Error ? error.message : String(error)}\n`)
        }
      } finally {
        turnAbort = undefined
      }
    }

    const pump = async () => {
      for (let line = queue.shift(); line !== undefined && !done; line = queue.shift()) {
        const message = line.trim()
        if (message === '/exit' || message === '/quit') return finish()
        if (message !== '') await runTurn(message)
      }
      if (done) return resolve(stats)
      if (inputClosed) return finish()
      if (tty) rl.prompt()
    }

    rl.on('line', (line) => {
      queue.push(line)
      if (turnAbort === undefined && queue.length === 1) void pump()
    })
    rl.on('close', () => {
      inputClosed = true
      if (tty) stderr.write('\n')
      if (turnAbort === undefined && queue.length === 0) finish()
    })
    // Raw mode turns Ctrl-C into this event instead of a process signal.
    rl.on('SIGINT', () => {
      if (turnAbort !== undefined && !interrupted) {
        interrupted = true
        queue.length = 0
        turnAbort.abort()
        return
      }
      if (turnAbort === undefined && rl.line !== '') {
        stderr.write('^C\n')
        rl.write(null, {ctrl: true, name: 'u'})
        rl.prompt()
        return
      }
      stderr.write('\n')
      finish()
    })
    options.signal.addEventListener('abort', finish, {once: true})
    if (tty) rl.prompt()
  })
}
