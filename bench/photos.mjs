// Inbound photo benchmarks (issue 10 item 7): getFile + download + magic-byte check + base64 of a
// 1 MiB JPEG against the fake Bot API on 127.0.0.1, rendered into an OpenAI
// request; and the refusal of a file over mediaMaxMb whose size Telegram does not declare (the
// streaming cap must stop reading early). Bounded runs, loopback only.
import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {build} from 'esbuild'
import {printTable, stats} from './measure.mjs'

const TARGETS = {p50: 40, p99: 200, capP50: 60}
const TOKEN = '565656:BENCHBENCHBENCHBENCHBENCHBENCHBENCH'

async function load() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openclaw-bench-photos-'))
  const outfile = path.join(dir, 'photos.mjs')
  await build({entryPoints: [fileURLToPath(new URL('./photos-entry.ts', import.meta.url))], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'silent'})
  return {mod: await import(pathToFileURL(outfile).href), cleanup: () => rmSync(dir, {recursive: true, force: true})}
}

export async function benchPhotos({quick = false} = {}) {
  const {mod: m, cleanup} = await load()
  const fake = await m.startFakeTelegram({bots: [{token: TOKEN, id: 565656, username: 'bench_bot'}]})
  const rows = []
  const missed = []
  try {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(1024 * 1024 - 4, 0x5a)])
    fake.addFile('photo', jpeg)
    // Over a 5 MiB cap; getFile of the fake declares the size, so a source without it tests the streaming cap.
    fake.addFile('huge', Buffer.alloc(20 * 1024 * 1024, 1))
    // getFile over plain fetch: grammY does not bundle as ESM, and the download is what is measured here.
    const getFile = async (id) => (await (await fetch(`${fake.apiRoot}/bot${TOKEN}/getFile?file_id=${id}`)).json()).result
    const source = {getFile, fileUrl: (p) => `${fake.apiRoot}/file/bot${TOKEN}/${p}`}
    const undeclared = {getFile: async (id) => ({file_path: (await getFile(id)).file_path}), fileUrl: source.fileUrl}
    const model = {input: ['text', 'image'], compat: {developerRole: false}}
    const once = async () => {
      const part = m.toImagePart(await m.downloadFile(source, 'photo', 5 * 1024 * 1024))
      const body = m.openAiMessagesJson({model, system: '', messages: [{role: 'user', content: [{type: 'text', text: 'what is this?'}, part], timestamp: 0}]})
      if (!body.includes('data:image/jpeg;base64,')) throw new Error('no image part')
    }
    for (let i = 0; i < 10; i++) await once()
    const runs = quick ? 50 : 200
    const times = []
    for (let i = 0; i < runs; i++) {
      const start = performance.now()
      await once()
      times.push(performance.now() - start)
    }
    const s = stats(times)
    const ok = s.median <= TARGETS.p50 && s.p99 <= TARGETS.p99
    if (!ok) missed.push('photos 1 MiB download')
    rows.push([`1 MiB photo: getFile + download + check + base64 + OpenAI part (${runs}×)`, `p50 ${s.median.toFixed(1)} ms / p99 ${s.p99.toFixed(1)} ms`, `≤${TARGETS.p50} / ≤${TARGETS.p99} ms`, ok ? 'ok' : 'MISS'])

    const capTimes = []
    for (let i = 0; i < (quick ? 10 : 30); i++) {
      const start = performance.now()
      const refused = await m.downloadFile(undeclared, 'huge', 5 * 1024 * 1024).then(() => false, (e) => e.reason === 'media-too-large')
      if (!refused) throw new Error('20 MiB file was not refused')
      capTimes.push(performance.now() - start)
    }
    const c = stats(capTimes)
    const okCap = c.median <= TARGETS.capP50
    if (!okCap) missed.push('photos streaming cap')
    rows.push([`20 MiB file, size undeclared, cap 5 MiB: refused while streaming (${capTimes.length}×)`, `p50 ${c.median.toFixed(1)} ms`, `≤${TARGETS.capP50} ms`, okCap ? 'ok' : 'MISS'])
  } finally {
    await fake.close()
    cleanup()
  }
  printTable('Inbound photos against the fake Bot API (127.0.0.1)', ['measure', 'value', 'target', ''], rows)
  return missed
}
