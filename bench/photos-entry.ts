// What bench/photos.mjs bundles (esbuild): the photo download path and the fake Bot API.
export {startFakeTelegram} from '../test/fakes/telegram-api/index.js'
export {downloadFile, toImagePart} from '../src/runtime/channels/telegram/inbound/download-media.js'
export {openAiMessagesJson} from '../src/runtime/models/openai-request.js'
