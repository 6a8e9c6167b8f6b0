/**
 * `npm run test:interop`: the live checks against the reference OpenClaw 2026.9 (docs/interop.md).
 * Without OPENCLAW_PEER_CLI and OPENCLAW_PEER_NODE nothing is collected and the run exits 0 after
 * one line saying how to enable it, so there are no skipped tests to misread.
 */
import {defineConfig} from 'vitest/config'

const enabled = Boolean(process.env.OPENCLAW_PEER_CLI && process.env.OPENCLAW_PEER_NODE)
if (!enabled) {
  console.log('interop: not run; set OPENCLAW_PEER_CLI (the reference openclaw.mjs) and OPENCLAW_PEER_NODE (Node >= 24) to enable it, see docs/interop.md')
}

export default defineConfig({
  test: {
    include: enabled ? ['test/interop/**/*.interop.ts'] : [],
    passWithNoTests: true,
    testTimeout: 60_000,
    hookTimeout: 150_000,
    pool: 'forks',
  },
})
