import {Api} from 'grammy'
import {afterEach, describe, expect, it} from 'vitest'

import {downloadFile, imageNote, mediaPlaceholder, MediaNotLoaded, readCapped, sniffImageMime, toImagePart, type FileSource} from '../../../../src/runtime/channels/telegram/inbound/download-media.js'
import {startFakeTelegram, type FakeTelegram} from '../../../fakes/telegram-api/index.js'
import {BOTS, TOKEN_A} from './harness.js'

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46])
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WEBPVP8 ')])
const PDF = Buffer.from('%PDF-1.7\n')

function stream(chunks: Buffer[]): ReadableStream<Uint8Array> {
  return new ReadableStream({pull(controller) {
    const next = chunks.shift()
    if (next === undefined) controller.close()
    else controller.enqueue(new Uint8Array(next))
  }})
}

/** A FileSource that records what it was asked; `body` is served without a content-length. */
function source(file: {file_path?: string; file_size?: number}, body: Buffer[], calls: string[]): FileSource {
  return {
    getFile: async (fileId) => (calls.push(`getFile ${fileId}`), file),
    fileUrl: (filePath) => `http://files.invalid/secret-token/${filePath}`,
    fetch: (async (url: string) => (calls.push(`fetch ${url}`), new Response(stream([...body])))) as unknown as typeof fetch,
  }
}

describe('sniffImageMime', () => {
  it.each([
    ['jpeg', JPEG, 'image/jpeg'], ['png', PNG, 'image/png'], ['gif', GIF, 'image/gif'], ['webp', WEBP, 'image/webp'],
    ['pdf', PDF, null], ['empty', Buffer.alloc(0), null], ['RIFF but not WEBP', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVE')]), null],
  ])('%s', (_name, bytes, expected) => {
    expect(sniffImageMime(bytes)).toBe(expected)
  })

  it('toImagePart trusts the bytes, not the declared type, and refuses what no model takes', () => {
    expect(toImagePart(PNG, 'image/jpeg')).toEqual({type: 'image', mimeType: 'image/png', data: PNG.toString('base64')})
    expect(() => toImagePart(PDF, 'application/pdf')).toThrow(/not a JPEG, PNG, GIF or WebP image \(application\/pdf\)/)
  })
})

describe('downloadFile under mediaMaxMb', () => {
  it('a declared size over the cap stops before getFile', async () => {
    const calls: string[] = []
    const error = await downloadFile(source({file_path: 'p.jpg'}, [JPEG], calls), 'f1', 1_048_576, 3 * 1_048_576).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MediaNotLoaded)
    expect((error as MediaNotLoaded).reason).toBe('media-too-large')
    expect(imageNote(error as MediaNotLoaded)).toBe('[image not loaded: 3.0 MB is over the 1.0 MB limit]')
    expect(calls).toEqual([])
  })

  it("getFile's file_size over the cap stops before the download", async () => {
    const calls: string[] = []
    await expect(downloadFile(source({file_path: 'p.jpg', file_size: 2000}, [JPEG], calls), 'f1', 1000)).rejects.toMatchObject({reason: 'media-too-large'})
    expect(calls).toEqual(['getFile f1'])
  })

  it('bytes past the cap while streaming stop the read (no size known beforehand)', async () => {
    const calls: string[] = []
    await expect(downloadFile(source({file_path: 'p.jpg'}, [Buffer.alloc(600), Buffer.alloc(600), Buffer.alloc(600)], calls), 'f1', 1000)).rejects.toMatchObject({reason: 'media-too-large', message: 'more than 0.0 MB (the limit)'})
    await expect(readCapped(stream([Buffer.alloc(500), Buffer.alloc(500)]), 1000)).resolves.toHaveLength(1000)
  })

  it('a failed download says why without the URL (it holds the token)', async () => {
    const failing: FileSource = {getFile: async () => ({file_path: 'p.jpg'}), fileUrl: (p) => `http://x/bot${TOKEN_A}/${p}`, fetch: (async () => new Response('nope', {status: 404})) as unknown as typeof fetch}
    const error = (await downloadFile(failing, 'f1', 1000).catch((e: unknown) => e)) as MediaNotLoaded
    expect(error).toMatchObject({reason: 'media-download-failed', message: 'download failed (HTTP 404)'})
    expect(error.message).not.toContain(TOKEN_A)
  })

  describe('against the fake Bot API (getFile + /file/bot<token>/<path>)', () => {
    let fake: FakeTelegram
    afterEach(() => fake.close())

    it('downloads the bytes through the real grammY getFile and the file URL under apiRoot', async () => {
      fake = await startFakeTelegram({bots: BOTS})
      fake.addFile('photo-1', PNG)
      const api = new Api(TOKEN_A, {apiRoot: fake.apiRoot})
      const files: FileSource = {getFile: (id) => api.getFile(id), fileUrl: (p) => `${fake.apiRoot}/file/bot${TOKEN_A}/${p}`}
      const bytes = await downloadFile(files, 'photo-1', 1_048_576)
      expect(bytes.equals(PNG)).toBe(true)
      await expect(downloadFile(files, 'missing', 1_048_576)).rejects.toMatchObject({reason: 'media-download-failed', message: 'getFile failed: Bad Request: invalid file_id'})
    })
  })
})

describe('mediaPlaceholder (runtime.md §2)', () => {
  it.each([
    [{kind: 'image', width: 1280, height: 960, sizeBytes: 240 * 1024}, '<media:image 1280x960 240KB>'],
    [{kind: 'document', fileName: 'report.pdf', mimeType: 'application/pdf', sizeBytes: 1.2 * 1_048_576}, '<media:document report.pdf application/pdf 1.2MB>'],
    [{kind: 'voice', durationSec: 12, sizeBytes: 40_960}, '<media:voice 12s 40KB>'],
    [{kind: 'sticker', fileName: '😀'}, '<media:sticker 😀>'],
    [{kind: 'video'}, '<media:video>'],
  ])('%o', (media, expected) => {
    expect(mediaPlaceholder(media)).toBe(expected)
  })
})
