export {startFakeTelegram, type FakeTelegram, type FakeBotInfo, type RecordedCall, type ApiErrorBody} from './server.js'
export {parseTelegramHtml} from './html.js'
