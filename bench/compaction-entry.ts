// Bundled by bench/compaction.mjs (esbuild) so the bench drives the real runner, store and compaction.
export {openAgentRunner, openSessionStores} from '../src/runtime/agents/open-runner.js'
export {validateConfigTree} from '../src/runtime/config/schema/validate.js'
