/**
 * Inbound photos and image documents (issue 10 item 7): `getFile`, then the file download under
 * the account's `apiRoot`, capped at `mediaMaxMb` twice: from the size Telegram declares before
 * anything is fetched, and from the bytes while they stream (a declared size can be missing or
 * wrong). The bytes become one base64 image for the user message; whatever goes wrong becomes a
 * short note in the text instead, so the message itself is never lost. The token is part of the
 * download URL, so no error text here ever includes the URL.
 */
import {IMAGE_OMITTED} from '../../../models/openai-request.js'

/** The image formats both providers accept (OpenAI `image_url`, Anthropic `image` blocks). */
export const MODEL_IMAGE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp'])

const DOWNLOAD_TIMEOUT_MS = 30_000

/** The image type from the first bytes (magic numbers), or null when it is none we can pass on. Pure. */
export function sniffImageMime(bytes: Uint8Array): string | null {
  const starts = (...sig: number[]) => sig.every((byte, i) => bytes[i] === byte)
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg'
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png'
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif'
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return 'image/webp'
  return null
}

export type MediaSkipReason = 'media-too-large' | 'media-download-failed' | 'media-unsupported'

export class MediaNotLoaded extends Error {
  constructor(readonly reason: MediaSkipReason, message: string) {
    super(message)
  }
}

/** `7.3 MB` (MiB, one decimal). */
export function formatMb(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`
}

function tooLarge(bytes: number, maxBytes: number): MediaNotLoaded {
  return new MediaNotLoaded('media-too-large', `${formatMb(bytes)} is over the ${formatMb(maxBytes)} limit`)
}

/** Reads a body to the end, stopping (and cancelling the stream) as soon as it passes `maxBytes`. */
export async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Buffer> {
  if (body === null) return Buffer.alloc(0)
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const {done, value} = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined)
      // The real size is unknown here; say what was seen so far.
      throw new MediaNotLoaded('media-too-large', `more than ${formatMb(maxBytes)} (the limit)`)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks)
}

/** Where the files of one bot come from: `getFile` and the download URL (which holds the token). */
export interface FileSource {
  getFile(fileId: string): Promise<{file_path?: string; file_size?: number}>
  fileUrl(filePath: string): string
  fetch?: typeof fetch
}

/** Downloads one file under the cap; throws MediaNotLoaded with a token-free message. */
export async function downloadFile(source: FileSource, fileId: string, maxBytes: number, declaredSize?: number): Promise<Buffer> {
  if (declaredSize !== undefined && declaredSize > maxBytes) throw tooLarge(declaredSize, maxBytes)
  let file: {file_path?: string; file_size?: number}
  try {
    file = await source.getFile(fileId)
  } catch (error) {
    const description = (error as {description?: unknown}).description
    throw new MediaNotLoaded('media-download-failed', `getFile failed${typeof description === 'string' ? `: ${description}` : ''}`)
  }
  if (file.file_size !== undefined && file.file_size > maxBytes) throw tooLarge(file.file_size, maxBytes)
  if (file.file_path === undefined) throw new MediaNotLoaded('media-download-failed', 'Telegram gave no file path (files over 20 MB cannot be downloaded by bots)')
  let response: Response
  try {
    response = await (source.fetch ?? fetch)(source.fileUrl(file.file_path), {signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS)})
  } catch (error) {
    const code = (error as {cause?: {code?: unknown}}).cause?.code
    throw new MediaNotLoaded('media-download-failed', `download failed (${typeof code === 'string' ? code : (error as Error).name})`)
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined)
    throw new MediaNotLoaded('media-download-failed', `download failed (HTTP ${response.status})`)
  }
  const length = Number(response.headers.get('content-length') ?? NaN)
  if (Number.isFinite(length) && length > maxBytes) {
    await response.body?.cancel().catch(() => undefined)
    throw tooLarge(length, maxBytes)
  }
  return readCapped(response.body, maxBytes)
}

export interface ImageAttachment {type: 'image'; mimeType: string; data: string}

/** Bytes → an image part, or MediaNotLoaded when the bytes are no image format the models take. */
export function toImagePart(bytes: Buffer, declaredMime?: string): ImageAttachment {
  const mimeType = sniffImageMime(bytes)
  if (mimeType === null || !MODEL_IMAGE_TYPES.has(mimeType)) {
    throw new MediaNotLoaded('media-unsupported', `not a JPEG, PNG, GIF or WebP image${declaredMime ? ` (${declaredMime})` : ''}`)
  }
  return {type: 'image', mimeType, data: bytes.toString('base64')}
}

/** The note a text-only model reads in place of a photo: the words the providers use for an image they drop. */
export const TEXT_ONLY_NOTE = IMAGE_OMITTED

/** The note the model reads in place of an image that was not loaded. */
export function imageNote(error: MediaNotLoaded): string {
  return `[image not loaded: ${error.message}]`
}

/** `240KB` under 1 MB, else `1.2MB` (runtime.md §2 placeholders). */
function placeholderSize(bytes: number): string {
  return bytes < 1_048_576 ? `${Math.max(1, Math.round(bytes / 1024))}KB` : `${(bytes / 1_048_576).toFixed(1)}MB`
}

/**
 * The model-text placeholder of media that reaches the model as text only (runtime.md §2):
 * `<media:image 1280x960 240KB>`, `<media:document report.pdf application/pdf 1.2MB>`, `<media:voice 12s 40KB>`. Pure.
 */
export function mediaPlaceholder(media: {kind: string; fileName?: string; mimeType?: string; sizeBytes?: number; width?: number; height?: number; durationSec?: number}): string {
  const parts = [
    media.width !== undefined && media.height !== undefined ? `${media.width}x${media.height}` : undefined,
    media.fileName,
    media.kind === 'document' ? media.mimeType : undefined,
    media.durationSec !== undefined ? `${media.durationSec}s` : undefined,
    media.sizeBytes !== undefined ? placeholderSize(media.sizeBytes) : undefined,
  ].filter((part): part is string => part !== undefined && part !== '')
  return `<media:${[media.kind, ...parts].join(' ')}>`
}
