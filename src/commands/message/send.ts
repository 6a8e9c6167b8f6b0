import {Flags} from '@oclif/core'

import {BaseCommand, type Outcome} from '../base-command.js'
import {clientFlags, clientTarget, jsonFlag} from '../flags.js'

export default class MessageSend extends BaseCommand {
  static override summary = 'Send a message through a channel account'
  static override changesState = true
  static override description = 'Through the running gateway (the send RPC, with a fresh idempotency key, so a retried call never sends twice); without a gateway at the default loopback target, straight through the Bot API (no poller needed). Markdown is rendered as Telegram HTML and split at 4096 characters.'
  static override examples = [
    '<%= config.bin %> message send --channel telegram --target 123456789 --message "Build finished"   # needs: network',
    '<%= config.bin %> message send --channel telegram --account work --target -1001234567890 --thread 42 -m "**Deploy** done" --json   # needs: network',
  ]
  static override flags = {
    ...jsonFlag,
    ...clientFlags,
    channel: Flags.string({description: 'Channel type', options: ['telegram'], default: 'telegram'}),
    account: Flags.string({description: 'Account id to send from (default: the channel\'s default account)'}),
    target: Flags.string({description: 'Chat id to send to (a user id for a DM, -100… for a group)', required: true, aliases: ['to']}),
    message: Flags.string({char: 'm', description: 'Text to send (Markdown)', required: true}),
    thread: Flags.string({description: 'Forum topic (message_thread_id)'}),
    'reply-to': Flags.string({description: 'Message id to reply to'}),
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(MessageSend)
    const {sendChannelMessage} = await import('../../runtime/channels/gateway-or-local.js')
    const {result, warnings} = await sendChannelMessage({
      ...this.context(), flags: clientTarget(flags), timeoutMs: flags.timeout, clientInfo: {version: this.config.version},
    }, {to: flags.target, message: flags.message, ...(flags.account ? {accountId: flags.account} : {}), ...(flags.thread ? {threadId: flags.thread} : {}), ...(flags['reply-to'] ? {replyToId: flags['reply-to']} : {})})
    this.addWarnings(warnings)
    const human = `Sent to ${result.to} via telegram account ${result.accountId} (${result.messageIds.length} message${result.messageIds.length === 1 ? '' : 's'}, ${result.origin === 'gateway' ? 'through the gateway' : 'directly'})`
    return {result, human, log: {message: `message send telegram ${result.accountId}`, data: {origin: result.origin}}}
  }
}
