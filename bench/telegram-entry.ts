// The fakes the `telegram` bench drives, bundled with esbuild (bench/telegram.mjs).
export {startFakeTelegram} from '../test/fakes/telegram-api/index.js'
export {startEchoModel} from '../test/fakes/model-server/echo.js'
