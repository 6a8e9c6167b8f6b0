import http from 'node:http'
import type {AddressInfo} from 'node:net'

/**
 * An OpenAI-compatible chat-completions server that answers every request with `re: <last user
 * text>` after `delayMs`: for load tests whose request count is not known in advance (crash replay,
 * benchmarks), where the scripted fake model would need one step per request.
 */
export interface EchoModel {
  readonly openaiBaseUrl: string
  /** Requests answered or in progress. */
  requests(): number
  close(): Promise<void>
}

export async function startEchoModel(options: {delayMs?: number} = {}): Promise<EchoModel> {
  let count = 0
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      count++
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {model?: string; messages?: Array<{role: string; content: unknown}>}
      const last = [...(body.messages ?? [])].reverse().find((m) => m.role === 'user')
      const said = typeof last?.content === 'string' ? last.content : Array.isArray(last?.content) ? (last.content as Array<{text?: string}>).map((p) => p.text ?? '').join('') : ''
      const chunk = (delta: Record<string, unknown>, finish: string | null = null) => `data: ${JSON.stringify({id: `echo-${count}`, object: 'chat.completion.chunk', created: 1_767_000_000, model: body.model ?? 'echo', choices: [{index: 0, delta, finish_reason: finish}]})}\n\n`
      const usage = `data: ${JSON.stringify({id: 'usage', object: 'chat.completion.chunk', model: body.model, choices: [], usage: {prompt_tokens: 10, completion_tokens: 3, total_tokens: 13}})}\n\n`
      const answer = () => {
        if (res.destroyed) return
        res.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-cache'})
        res.end(chunk({role: 'assistant', content: `re: ${said}`}) + chunk({}, 'stop') + usage + 'data: [DONE]\n\n')
      }
      if (options.delayMs) setTimeout(answer, options.delayMs)
      else answer()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    openaiBaseUrl: `http://127.0.0.1:${port}/v1`,
    requests: () => count,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}
