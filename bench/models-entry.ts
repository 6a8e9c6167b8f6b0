// What bench/models.mjs bundles (esbuild) so the .mjs bench can drive the TypeScript model layer
// and the fake model server without a TS loader.
export {startFakeModel, text} from '../test/fakes/model-server/index.js'
export {streamWithFailover} from '../src/runtime/models/failover.js'
export {KeyPools} from '../src/runtime/models/key-pool.js'
export {resolveModelCandidate} from '../src/runtime/models/resolve-model.js'
export {SseParser} from '../src/runtime/models/sse.js'
export {ConfigSchema} from '../src/runtime/config/schema/index.js'
