export {FAKE_MODEL_CA, startFakeModel, type FakeModel, type FakeModelOptions} from './server.js'
export {contextOverflow, expectRequest, hang, httpError, stall, streamError, text, thinking, toolCall, toolCalls} from './steps.js'
export type {FakeToolCall, FakeUsage, RecordedRequest, Step} from './steps.js'
export {startEchoModel, type EchoModel} from './echo.js'
