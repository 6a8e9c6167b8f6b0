/**
 * The fake model server as a standalone process for the by-hand checks of docs/interop.md:
 * `node <bundle> [reply]` listens on 127.0.0.1 (ephemeral port), prints its OpenAI base URL, answers
 * every chat-completions request with `reply` streamed in two chunks (up to 1000 requests), and logs
 * each request's path and model to stderr. Bundle it with esbuild first (see docs/interop.md).
 */
import {startFakeModel, text} from '../fakes/model-server/index.js'

const reply = process.argv[2] ?? 'Hello from the fake model'
const fake = await startFakeModel()
const half = Math.ceil(reply.length / 2)
for (let i = 0; i < 1000; i++) fake.enqueue(text(reply.slice(0, half), reply.slice(half), {usage: {input: 12, output: 5}}))
console.log(fake.openaiBaseUrl)
let seen = 0
const report = async (): Promise<void> => {
  for (;;) {
    const requests = await fake.waitForRequests(seen + 1)
    for (const r of requests.slice(seen)) console.error(`${r.path} model=${String((r.body as {model?: unknown})?.model)} stream=${String((r.body as {stream?: unknown})?.stream)}`)
    seen = requests.length
  }
}
void report()
process.on('SIGTERM', () => void fake.destroy().then(() => process.exit(0)))
