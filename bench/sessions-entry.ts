// Bundled by bench/sessions.mjs (esbuild) so the bench drives the real session store code.
export {createFileSessionStore} from '../src/runtime/sessions/open-store.js'
