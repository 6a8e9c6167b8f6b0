/**
 * The inbound message envelope (runtime.md §2): one shape for every channel. Adapters build it
 * from platform updates; the runtime (routing, the run loop, transcripts) never sees platform
 * objects. Ids are strings; numeric platform ids are stringified exactly (Telegram group ids keep
 * their `-`).
 */

export type PeerKind = 'direct' | 'group' | 'channel'

/** A conversation. Forum topic: `id` is `<chatId>:topic:<topicId>` (kind `group`). */
export interface Peer {
  kind: PeerKind
  id: string
}

export interface MediaRef {
  kind: 'image' | 'audio' | 'voice' | 'video' | 'document' | 'sticker' | 'animation'
  fileId: string
  mimeType?: string
  fileName?: string
  sizeBytes?: number
  width?: number
  height?: number
  durationSec?: number
  /** Set only once the file has been downloaded. */
  localPath?: string
}

export interface InboundEnvelope {
  /** `telegram`; trimmed, lower-case. */
  channel: string
  /** Normalized (routing §3.1); `default` for a single-account channel. */
  accountId: string
  /** Platform message id, as a string. */
  messageId: string
  /** Unique per platform delivery, e.g. `telegram:default:u:812345678`. */
  dedupeKey: string
  /** The conversation: the other user in a DM, the chat in a group. */
  peer: Peer
  /** The enclosing chat when `peer` is a thread/topic. */
  parentPeer?: Peer
  /** Platform thread id (Telegram `message_thread_id`). */
  threadId?: string
  topic?: {id: string; isGeneral: boolean; name?: string}
  /** Reserved for Discord-/Slack-like channels. */
  guildId?: string
  teamId?: string
  sender: {id: string; username?: string; displayName: string; isBot: boolean}
  /** Group subject. */
  chatTitle?: string
  /** Body or caption; "" for media only. */
  text: string
  media: MediaRef[]
  /**
   * Images the adapter downloaded (base64, no `data:` prefix), given to the model beside `text` as
   * user image parts; a text-only model gets a short note instead (models/openai-request.ts).
   */
  images?: Array<{type: 'image'; mimeType: string; data: string}>
  replyTo?: {messageId: string; senderId?: string; senderName?: string; text?: string; isFromSelf: boolean}
  forwardedFrom?: string
  /** Decided by the adapter; always true for direct peers. */
  mentioned: boolean
  mentionSource?: 'entity' | 'text_mention' | 'command' | 'reply' | 'pattern'
  command?: {name: string; args: string; addressedTo?: string}
  /** Epoch ms, platform clock. */
  sentAt: number
  /** Epoch ms, gateway clock. */
  receivedAt: number
}

/** The spec's name for the same shape. */
export type InboundMessage = InboundEnvelope
